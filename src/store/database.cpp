#include "store/database.hpp"

#include <algorithm>
#include <cctype>
#include <climits>
#include <utility>

#include <sqlite3.h>

#include "store/sqlite_error.hpp"

namespace panel::store {

namespace {

int open_flags(open_mode mode) {
  switch (mode) {
    case open_mode::create:
      return SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    case open_mode::read_write:
      return SQLITE_OPEN_READWRITE;
    case open_mode::read_only:
      // A reader connection belongs to one actor, used by one thread at a
      // time: SQLite's own per-call mutex is pure cost there.
      return SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX;
  }
  return SQLITE_OPEN_READONLY;
}

bool is_blank_tail(std::string_view tail) {
  return std::all_of(tail.begin(), tail.end(), [](char c) {
    return c == ';' || std::isspace(static_cast<unsigned char>(c)) != 0;
  });
}

bool is_safe_pragma(std::string_view body) {
  if (body.empty()) {
    return false;
  }
  // Pragma arguments cannot be bound, so only identifier-like text is let in.
  return std::all_of(body.begin(), body.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '=' || c == '(' ||
           c == ')' || c == ' ' || c == '.' || c == '-';
  });
}

} // namespace

database::database(sqlite3* db, std::filesystem::path file) noexcept
    : db_{db}, file_{std::move(file)} {}

expected<database> database::open(std::filesystem::path const& file, open_mode mode) {
  sqlite3* raw = nullptr;
  int const rc = sqlite3_open_v2(file.c_str(), &raw, open_flags(mode), nullptr);
  if (rc != SQLITE_OK) {
    auto failure = sqlite_error(rc, raw, "cannot open database " + file.string());
    // SQLite may hand out a handle even on failure; it must still be closed.
    sqlite3_close_v2(raw);
    return tl::unexpected<error>{std::move(failure)};
  }
  sqlite3_extended_result_codes(raw, 1);
  return database{raw, file};
}

database::database(database&& other) noexcept
    : db_{std::exchange(other.db_, nullptr)}, file_{std::move(other.file_)} {}

database& database::operator=(database&& other) noexcept {
  if (this != &other) {
    sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
    file_ = std::move(other.file_);
  }
  return *this;
}

database::~database() {
  // close_v2 never fails: with live statements it turns the connection into a
  // zombie that SQLite frees when the last statement is finalized.
  sqlite3_close_v2(db_);
}

expected<void> database::exec(std::string_view sql) {
  if (db_ == nullptr) {
    return panel::fail(errc::internal, "SQLite exec on a closed database");
  }
  std::string const terminated{sql};
  int const rc = sqlite3_exec(db_, terminated.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) {
    return tl::unexpected<error>{sqlite_error(rc, db_, "SQLite exec")};
  }
  return {};
}

expected<statement> database::prepare(std::string_view sql) {
  if (db_ == nullptr) {
    return panel::fail(errc::internal, "SQLite prepare on a closed database");
  }
  if (sql.size() > static_cast<std::size_t>(INT_MAX)) {
    return panel::fail(errc::internal, "SQLite prepare: SQL text too long");
  }
  sqlite3_stmt* raw = nullptr;
  char const* tail = nullptr;
  int const rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &raw, &tail);
  statement result{raw};
  if (rc != SQLITE_OK) {
    return tl::unexpected<error>{sqlite_error(rc, db_, "SQLite prepare")};
  }
  if (!result.valid()) {
    return panel::fail(errc::internal, "SQLite prepare: no statement in the SQL text");
  }
  std::size_t const consumed = tail != nullptr ? static_cast<std::size_t>(tail - sql.data()) : sql.size();
  if (!is_blank_tail(sql.substr(consumed))) {
    // A second statement would be silently ignored by step(); refuse it instead.
    return panel::fail(errc::internal, "SQLite prepare: more than one statement in the SQL text");
  }
  return result;
}

expected<std::string> database::pragma(std::string_view body) {
  if (!is_safe_pragma(body)) {
    return panel::fail(errc::internal, "SQLite pragma: refused pragma text");
  }
  std::string sql{"PRAGMA "};
  sql += body;
  auto stmt = prepare(sql);
  if (!stmt) {
    return tl::unexpected<error>{stmt.error()};
  }
  auto row = stmt->step();
  if (!row) {
    return tl::unexpected<error>{row.error()};
  }
  std::string value = *row ? stmt->column_text(0) : std::string{};
  // Some pragmas (wal_checkpoint, optimize) do their work across steps.
  while (*row) {
    row = stmt->step();
    if (!row) {
      return tl::unexpected<error>{row.error()};
    }
  }
  return value;
}

expected<void> database::set_busy_timeout(std::chrono::milliseconds timeout) {
  if (db_ == nullptr) {
    return panel::fail(errc::internal, "SQLite busy timeout on a closed database");
  }
  auto const ms = std::clamp<std::chrono::milliseconds::rep>(timeout.count(), 0, INT_MAX);
  int const rc = sqlite3_busy_timeout(db_, static_cast<int>(ms));
  if (rc != SQLITE_OK) {
    return tl::unexpected<error>{sqlite_error(rc, db_, "SQLite busy timeout")};
  }
  return {};
}

std::int64_t database::last_insert_rowid() const noexcept {
  return db_ != nullptr ? static_cast<std::int64_t>(sqlite3_last_insert_rowid(db_)) : 0;
}

std::int64_t database::changes() const noexcept {
  return db_ != nullptr ? static_cast<std::int64_t>(sqlite3_changes64(db_)) : 0;
}

bool database::in_transaction() const noexcept {
  return db_ != nullptr && sqlite3_get_autocommit(db_) == 0;
}

expected<void> database::close() {
  if (db_ == nullptr) {
    return {};
  }
  sqlite3* raw = std::exchange(db_, nullptr);
  int const rc = sqlite3_close(raw);
  if (rc == SQLITE_OK) {
    return {};
  }
  auto failure = sqlite_error(rc, raw, "SQLite close (prepared statements still alive)");
  sqlite3_close_v2(raw);
  return tl::unexpected<error>{std::move(failure)};
}

} // namespace panel::store
