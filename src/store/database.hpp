#pragma once
// database: RAII owner of one SQLite connection (sqlite3*).

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/expected.hpp"
#include "store/statement.hpp"

struct sqlite3;

namespace panel::store {

/// How database::open opens its file.
enum class open_mode {
  create,      ///< read-write, creating the file when missing (the writer)
  read_write,  ///< read-write, the file must exist
  read_only,   ///< read-only (gallery readers); writes fail with an error
};

/// One SQLite connection. Owned by whoever opened it (the store actor owns the
/// writer; each reader thread owns its reader) and used by one thread at a
/// time. Statements prepared from it must be destroyed first, or close()
/// reports an error. No exception leaves it.
class database {
 public:
  /// Opens `file` in `mode` with extended result codes on. Sets no pragmas:
  /// open_store decides those.
  [[nodiscard]] static expected<database> open(std::filesystem::path const& file, open_mode mode);

  /// A closed connection (is_open() is false).
  database() = default;
  /// Takes over `other`'s handle; `other` is left empty.
  database(database&& other) noexcept;
  /// Releases the current handle, then takes over `other`'s.
  database& operator=(database&& other) noexcept;
  database(database const&) = delete;
  database& operator=(database const&) = delete;
  /// Closes the connection; if statements are still alive SQLite defers the
  /// close until the last one is finalized.
  ~database();

  /// True while a connection is held.
  [[nodiscard]] bool is_open() const noexcept { return db_ != nullptr; }
  /// The raw handle, still owned by this object.
  [[nodiscard]] sqlite3* handle() const noexcept { return db_; }
  /// The file this connection was opened on.
  [[nodiscard]] std::filesystem::path const& file() const noexcept { return file_; }

  /// Runs SQL text that carries no values (DDL, BEGIN/COMMIT); it may hold
  /// several statements. Anything with a value goes through prepare().
  [[nodiscard]] expected<void> exec(std::string_view sql);
  /// Compiles exactly one statement; trailing SQL after it is an error.
  [[nodiscard]] expected<statement> prepare(std::string_view sql);
  /// Runs `PRAGMA <body>` (e.g. "journal_mode=WAL") and returns the first
  /// column of the first row as text ("" when the pragma returns no row).
  /// `body` is a constant from code: quotes and ';' are refused.
  [[nodiscard]] expected<std::string> pragma(std::string_view body);
  /// Sets how long a locked database is retried before SQLITE_BUSY.
  [[nodiscard]] expected<void> set_busy_timeout(std::chrono::milliseconds timeout);

  /// Rowid of the last successful INSERT on this connection.
  [[nodiscard]] std::int64_t last_insert_rowid() const noexcept;
  /// Rows changed by the last INSERT/UPDATE/DELETE on this connection.
  [[nodiscard]] std::int64_t changes() const noexcept;
  /// True while an explicit transaction is open.
  [[nodiscard]] bool in_transaction() const noexcept;

  /// Closes now. Fails (and still gives the handle up to SQLite, which closes
  /// it once the statements are gone) when prepared statements are alive.
  [[nodiscard]] expected<void> close();

 private:
  database(sqlite3* db, std::filesystem::path file) noexcept;

  sqlite3* db_ = nullptr;
  std::filesystem::path file_;
};

} // namespace panel::store
