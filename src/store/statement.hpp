#pragma once
// statement: RAII owner of one prepared SQLite statement (sqlite3_stmt*).

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/expected.hpp"

struct sqlite3_stmt;

namespace panel::store {

namespace detail {

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

template <class T>
inline constexpr bool always_false = false;

} // namespace detail

/// One prepared statement. Made by database::prepare, owned by its caller and
/// used on one thread at a time; it must not outlive its database. Values
/// always travel as bound parameters, never inside the SQL text. Parameter
/// indexes are 1-based and column indexes 0-based, as in SQLite.
class statement {
 public:
  /// An empty statement (valid() is false).
  statement() = default;
  /// Takes ownership of `raw` (may be null: SQL made only of comments/space).
  explicit statement(sqlite3_stmt* raw) noexcept;
  /// Takes over `other`'s handle; `other` is left empty.
  statement(statement&& other) noexcept;
  /// Releases the current handle, then takes over `other`'s.
  statement& operator=(statement&& other) noexcept;
  statement(statement const&) = delete;
  statement& operator=(statement const&) = delete;
  /// Finalizes the statement.
  ~statement();

  /// True when a statement is held.
  [[nodiscard]] bool valid() const noexcept { return stmt_ != nullptr; }
  /// The raw handle, still owned by this object (for code that needs the C API).
  [[nodiscard]] sqlite3_stmt* handle() const noexcept { return stmt_; }

  /// Binds a 64-bit integer to parameter `index`.
  [[nodiscard]] expected<void> bind_int64(int index, std::int64_t value);
  /// Binds a double to parameter `index`.
  [[nodiscard]] expected<void> bind_double(int index, double value);
  /// Binds text (copied by SQLite) to parameter `index`.
  [[nodiscard]] expected<void> bind_text(int index, std::string_view value);
  /// Binds SQL NULL to parameter `index`.
  [[nodiscard]] expected<void> bind_null(int index);
  /// The index of a named parameter, spelled as in the SQL (":key", "@key", "$key").
  [[nodiscard]] expected<int> parameter_index(std::string_view name) const;
  /// Number of parameters the SQL declares.
  [[nodiscard]] int parameter_count() const noexcept;

  /// Binds by type: integers and bool as INTEGER, floating point as REAL,
  /// anything convertible to std::string_view as TEXT, std::nullopt/nullptr
  /// and empty std::optional as NULL.
  template <class Value>
  [[nodiscard]] expected<void> bind(int index, Value const& value);
  /// Same as bind(int, Value) for the named parameter `name` (e.g. ":key").
  template <class Value>
  [[nodiscard]] expected<void> bind(std::string_view name, Value const& value) {
    auto index = parameter_index(name);
    if (!index) {
      return tl::unexpected<error>{index.error()};
    }
    return bind(*index, value);
  }
  /// Binds `values` to parameters 1..N in order; stops at the first failure.
  template <class... Values>
  [[nodiscard]] expected<void> bind_all(Values const&... values) {
    expected<void> result{};
    int index = 1;
    auto one = [&](auto const& value) {
      if (result) {
        result = this->bind(index, value);
      }
      ++index;
    };
    (one(values), ...);
    return result;
  }

  /// Advances: true when a row is ready to read, false when done.
  [[nodiscard]] expected<bool> step();
  /// Steps once: the row read by `read(*this)`, or nullopt when there is none.
  template <class Read>
  [[nodiscard]] expected<std::optional<std::invoke_result_t<Read&, statement const&>>> fetch_one(Read read);
  /// Steps to the end, reading every row with `read(*this)`.
  template <class Read>
  [[nodiscard]] expected<std::vector<std::invoke_result_t<Read&, statement const&>>> fetch_all(Read read);
  /// Steps to completion (discarding any rows), then resets for reuse.
  /// Bindings are kept.
  [[nodiscard]] expected<void> execute();
  /// Rewinds so the statement can run again; bindings are kept.
  void reset() noexcept;
  /// Sets every parameter back to NULL.
  void clear_bindings() noexcept;

  /// Number of columns in the result.
  [[nodiscard]] int column_count() const noexcept;
  /// The name of result column `column`.
  [[nodiscard]] std::string column_name(int column) const;
  /// True when the current row's value in `column` is NULL.
  [[nodiscard]] bool column_is_null(int column) const noexcept;
  /// The value as an integer (SQLite's conversion rules; NULL reads as 0).
  [[nodiscard]] std::int64_t column_int64(int column) const noexcept;
  /// The value as a double (NULL reads as 0.0).
  [[nodiscard]] double column_double(int column) const noexcept;
  /// The value as text (NULL reads as "").
  [[nodiscard]] std::string column_text(int column) const;
  /// The integer, or nullopt for NULL.
  [[nodiscard]] std::optional<std::int64_t> column_optional_int64(int column) const noexcept;
  /// The double, or nullopt for NULL.
  [[nodiscard]] std::optional<double> column_optional_double(int column) const noexcept;
  /// The text, or nullopt for NULL.
  [[nodiscard]] std::optional<std::string> column_optional_text(int column) const;

 private:
  [[nodiscard]] expected<void> check_bind(int result_code, int index);

  sqlite3_stmt* stmt_ = nullptr;
};

template <class Value>
expected<void> statement::bind(int index, Value const& value) {
  using type = std::remove_cv_t<std::remove_reference_t<Value>>;
  if constexpr (std::is_same_v<type, std::nullopt_t> || std::is_same_v<type, std::nullptr_t>) {
    return bind_null(index);
  } else if constexpr (detail::is_optional<type>::value) {
    if (!value.has_value()) {
      return bind_null(index);
    }
    return bind(index, *value);
  } else if constexpr (std::is_same_v<type, bool>) {
    return bind_int64(index, value ? 1 : 0);
  } else if constexpr (std::is_integral_v<type>) {
    if constexpr (std::is_unsigned_v<type> && sizeof(type) >= sizeof(std::int64_t)) {
      // SQLite integers are signed 64-bit; refuse rather than wrap.
      if (value > static_cast<type>(std::numeric_limits<std::int64_t>::max())) {
        return panel::fail(errc::internal, "SQLite bind: unsigned value exceeds INTEGER range");
      }
    }
    return bind_int64(index, static_cast<std::int64_t>(value));
  } else if constexpr (std::is_floating_point_v<type>) {
    return bind_double(index, static_cast<double>(value));
  } else if constexpr (std::is_convertible_v<Value const&, std::string_view>) {
    return bind_text(index, std::string_view{value});
  } else {
    static_assert(detail::always_false<type>, "statement::bind: unsupported value type");
  }
}

template <class Read>
expected<std::optional<std::invoke_result_t<Read&, statement const&>>> statement::fetch_one(Read read) {
  using row_type = std::invoke_result_t<Read&, statement const&>;
  auto row = step();
  if (!row) {
    return tl::unexpected<error>{row.error()};
  }
  if (!*row) {
    return std::optional<row_type>{};
  }
  return std::optional<row_type>{read(*this)};
}

template <class Read>
expected<std::vector<std::invoke_result_t<Read&, statement const&>>> statement::fetch_all(Read read) {
  std::vector<std::invoke_result_t<Read&, statement const&>> rows;
  while (true) {
    auto row = step();
    if (!row) {
      return tl::unexpected<error>{row.error()};
    }
    if (!*row) {
      return rows;
    }
    rows.push_back(read(*this));
  }
}

} // namespace panel::store
