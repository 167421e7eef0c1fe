#pragma once
// A small compact-JSON writer: `,`/`:` separators, UTF-8 passed through
// (like Python's json.dumps(ensure_ascii=False, separators=(",", ":"))).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace panel::core {

/// Builds one JSON text. Not thread-safe; one writer per document.
class json_writer {
public:
  json_writer& begin_object();
  json_writer& end_object();
  json_writer& begin_array();
  json_writer& end_array();

  /// Writes an object key; the next call writes its value.
  json_writer& key(std::string_view k);

  json_writer& value(std::string_view s);
  json_writer& value(char const* s) { return value(std::string_view{s}); }
  json_writer& value(std::int64_t n);
  json_writer& value(int n) { return value(static_cast<std::int64_t>(n)); }
  json_writer& value(unsigned n) { return value(static_cast<std::int64_t>(n)); }
  json_writer& value(double d);
  json_writer& value(bool b);
  json_writer& null();

  /// A string known to need no escaping (base64, ids, hex), written without scanning it.
  json_writer& plain_string(std::string_view s);

  /// Inserts already-serialised JSON as a value.
  json_writer& raw(std::string_view json);

  /// `key(k).value(v)` in one call.
  template <class T>
  json_writer& field(std::string_view k, T const& v) {
    key(k);
    return value(v);
  }

  /// `key(k)` then the value, or null when `v` is empty.
  template <class T>
  json_writer& field(std::string_view k, std::optional<T> const& v) {
    key(k);
    return v ? value(*v) : null();
  }

  [[nodiscard]] std::string const& str() const& { return out_; }
  [[nodiscard]] std::string str() && { return std::move(out_); }
  /// Moves the document out; the writer is empty afterwards.
  [[nodiscard]] std::string take() { return std::move(out_); }

private:
  void separate();

  std::string out_;
  std::vector<bool> first_; ///< per open container: no element written yet
  bool after_key_ = false;
};

/// Appends `s` as a quoted JSON string (escapes `"`, `\`, control characters).
void append_json_string(std::string& out, std::string_view s);

} // namespace panel::core
