#pragma once
// A tiny append-only JSON writer: the mock only ever produces small documents
// whose shape is fixed in code, so a DOM would be wasted work.
#include <cstdint>
#include <string>
#include <string_view>

namespace mock {

/// Appends `s` to `out` as a JSON string literal (quotes and escapes included).
void append_json_string(std::string& out, std::string_view s);

/// Builds one JSON document; the caller is responsible for nesting order.
/// Not thread-safe; one writer per document.
class json_writer {
public:
  /// Opens an object (`{`), as a value or after `key()`.
  json_writer& begin_object();
  /// Closes the innermost object.
  json_writer& end_object();
  /// Opens an array (`[`).
  json_writer& begin_array();
  /// Closes the innermost array.
  json_writer& end_array();
  /// Writes an object key; the next call writes its value.
  json_writer& key(std::string_view k);
  /// Writes a string value.
  json_writer& value(std::string_view v);
  /// Writes a string that needs no escaping (base64, ids) without scanning it.
  json_writer& plain_string(std::string_view v);
  /// Writes a string value (overload so literals do not pick `bool`).
  json_writer& value(char const* v) { return value(std::string_view{v}); }
  /// Writes an integer value.
  json_writer& value(std::int64_t v);
  /// Writes an integer value.
  json_writer& value(int v) { return value(static_cast<std::int64_t>(v)); }
  /// Writes an unsigned integer value.
  json_writer& value(unsigned v) { return value(static_cast<std::int64_t>(v)); }
  /// Writes a floating-point value.
  json_writer& value(double v);
  /// Writes `true` or `false`.
  json_writer& value(bool v);
  /// Writes `null`.
  json_writer& null();
  /// Writes already-serialised JSON text verbatim (the caller vouches for it).
  json_writer& raw(std::string_view json);
  /// Shorthand for `key(k).value(v)`.
  template <class T>
  json_writer& field(std::string_view k, T const& v) {
    key(k);
    return value(v);
  }
  /// The document written so far.
  [[nodiscard]] std::string const& str() const { return out_; }
  /// Moves the document out; the writer is empty afterwards.
  [[nodiscard]] std::string take() { return std::move(out_); }

private:
  void separate();
  std::string out_;
  // True right after `{`, `[` or a key: the next value needs no comma.
  bool fresh_ = true;
};

} // namespace mock
