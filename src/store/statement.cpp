#include "store/statement.hpp"

#include <string>
#include <utility>

#include <sqlite3.h>

#include "store/sqlite_error.hpp"

namespace panel::store {

statement::statement(sqlite3_stmt* raw) noexcept : stmt_{raw} {}

statement::statement(statement&& other) noexcept : stmt_{std::exchange(other.stmt_, nullptr)} {}

statement& statement::operator=(statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

statement::~statement() {
  // sqlite3_finalize(nullptr) is a harmless no-op; its return value repeats
  // the last step error, which the caller has already seen.
  sqlite3_finalize(stmt_);
}

expected<void> statement::check_bind(int result_code, int index) {
  if (result_code == SQLITE_OK) {
    return {};
  }
  // The message names the parameter position only: the value may be a secret.
  return tl::unexpected<error>{sqlite_error(result_code, sqlite3_db_handle(stmt_),
                                            "SQLite bind of parameter " + std::to_string(index))};
}

expected<void> statement::bind_int64(int index, std::int64_t value) {
  if (stmt_ == nullptr) {
    return panel::fail(errc::internal, "SQLite bind on an empty statement");
  }
  return check_bind(sqlite3_bind_int64(stmt_, index, static_cast<sqlite3_int64>(value)), index);
}

expected<void> statement::bind_double(int index, double value) {
  if (stmt_ == nullptr) {
    return panel::fail(errc::internal, "SQLite bind on an empty statement");
  }
  return check_bind(sqlite3_bind_double(stmt_, index, value), index);
}

expected<void> statement::bind_text(int index, std::string_view value) {
  if (stmt_ == nullptr) {
    return panel::fail(errc::internal, "SQLite bind on an empty statement");
  }
  // SQLITE_TRANSIENT: SQLite copies, so the caller's buffer may die before step().
  return check_bind(sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT,
                                        SQLITE_UTF8),
                    index);
}

expected<void> statement::bind_null(int index) {
  if (stmt_ == nullptr) {
    return panel::fail(errc::internal, "SQLite bind on an empty statement");
  }
  return check_bind(sqlite3_bind_null(stmt_, index), index);
}

expected<int> statement::parameter_index(std::string_view name) const {
  if (stmt_ == nullptr) {
    return panel::fail(errc::internal, "SQLite bind on an empty statement");
  }
  std::string const terminated{name};
  int const index = sqlite3_bind_parameter_index(stmt_, terminated.c_str());
  if (index == 0) {
    return panel::fail(errc::internal, "SQLite bind: the statement has no parameter " + terminated);
  }
  return index;
}

int statement::parameter_count() const noexcept {
  return stmt_ != nullptr ? sqlite3_bind_parameter_count(stmt_) : 0;
}

expected<bool> statement::step() {
  if (stmt_ == nullptr) {
    return panel::fail(errc::internal, "SQLite step on an empty statement");
  }
  int const rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  auto failure = sqlite_error(rc, sqlite3_db_handle(stmt_), "SQLite step");
  // Leave the statement rewound so a retry (e.g. after BUSY) starts cleanly.
  sqlite3_reset(stmt_);
  return tl::unexpected<error>{std::move(failure)};
}

expected<void> statement::execute() {
  while (true) {
    auto more = step();
    if (!more) {
      return tl::unexpected<error>{more.error()};
    }
    if (!*more) {
      break;
    }
  }
  reset();
  return {};
}

void statement::reset() noexcept {
  if (stmt_ != nullptr) {
    sqlite3_reset(stmt_);
  }
}

void statement::clear_bindings() noexcept {
  if (stmt_ != nullptr) {
    sqlite3_clear_bindings(stmt_);
  }
}

int statement::column_count() const noexcept {
  return stmt_ != nullptr ? sqlite3_column_count(stmt_) : 0;
}

std::string statement::column_name(int column) const {
  char const* name = stmt_ != nullptr ? sqlite3_column_name(stmt_, column) : nullptr;
  return name != nullptr ? std::string{name} : std::string{};
}

bool statement::column_is_null(int column) const noexcept {
  return stmt_ == nullptr || sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t statement::column_int64(int column) const noexcept {
  return stmt_ != nullptr ? static_cast<std::int64_t>(sqlite3_column_int64(stmt_, column)) : 0;
}

double statement::column_double(int column) const noexcept {
  return stmt_ != nullptr ? sqlite3_column_double(stmt_, column) : 0.0;
}

std::string statement::column_text(int column) const {
  if (stmt_ == nullptr) {
    return {};
  }
  // column_text first, then column_bytes: that order keeps the length in UTF-8.
  auto const* text = reinterpret_cast<char const*>(sqlite3_column_text(stmt_, column));
  if (text == nullptr) {
    return {};
  }
  auto const length = static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column));
  return std::string{text, length};
}

std::optional<std::int64_t> statement::column_optional_int64(int column) const noexcept {
  if (column_is_null(column)) {
    return std::nullopt;
  }
  return column_int64(column);
}

std::optional<double> statement::column_optional_double(int column) const noexcept {
  if (column_is_null(column)) {
    return std::nullopt;
  }
  return column_double(column);
}

std::optional<std::string> statement::column_optional_text(int column) const {
  if (column_is_null(column)) {
    return std::nullopt;
  }
  return column_text(column);
}

} // namespace panel::store
