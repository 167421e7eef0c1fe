#pragma once
// store: the opened SQLite store (DATA_DIR, the writer connection, readers).

#include <chrono>
#include <filesystem>

#include "core/expected.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"

namespace panel::store {

/// Where the store lives (spec/API.md §13.1, §15).
struct store_paths {
  /// DATA_DIR: created when missing and chmodded 0700.
  std::filesystem::path data_dir;
  /// DATABASE_FILE; empty means data_dir / "app.sqlite3".
  std::filesystem::path database_file;
};

/// How long a connection waits on a locked database (spec §13.1).
inline constexpr std::chrono::milliseconds busy_timeout{30000};

/// DATABASE_FILE after defaults: `paths.database_file`, or
/// `paths.data_dir / "app.sqlite3"` when that is empty.
[[nodiscard]] std::filesystem::path resolve_database_file(store_paths const& paths);

/// The open store: owns the single writer connection (WAL, synchronous=NORMAL,
/// foreign_keys=ON, busy_timeout=30000, migrated) and opens read-only reader
/// connections for gallery queries. Made by open_store; owned by the store
/// actor, whose thread alone uses writer(). Move-only.
class store {
 public:
  /// Takes over `other`'s connection; `other` is left closed.
  store(store&&) noexcept = default;
  /// Drops the current connection (without checkpoint), then takes over `other`'s.
  store& operator=(store&&) noexcept = default;
  store(store const&) = delete;
  store& operator=(store const&) = delete;
  /// Closes (with the WAL checkpoint of close()) if still open.
  ~store();

  /// The writer connection; valid until close().
  [[nodiscard]] database& writer() noexcept { return writer_; }
  /// True until close().
  [[nodiscard]] bool is_open() const noexcept { return writer_.is_open(); }
  /// A new read-only connection to the same file with the busy timeout set,
  /// owned by the caller and used by one thread at a time. Any thread.
  [[nodiscard]] expected<database> open_reader() const;
  /// DATABASE_FILE as opened.
  [[nodiscard]] std::filesystem::path const& database_file() const noexcept { return database_file_; }
  /// Whether gallery_entries_fts (FTS5 trigram) exists; false means LIKE search.
  [[nodiscard]] bool fts_available() const noexcept { return fts_available_; }
  /// What the migrations did while opening.
  [[nodiscard]] migration_report const& migrations() const noexcept { return migrations_; }
  /// chmods the database file and its -wal/-shm sidecars (when present) to 0600.
  [[nodiscard]] expected<void> secure_files() const;

  /// Clean shutdown: PRAGMA wal_checkpoint(TRUNCATE), then closes the writer.
  /// Readers should be closed first, or the checkpoint cannot finish (it is
  /// then left to SQLite's last close). The writer is closed even when the
  /// checkpoint fails; the first error is returned. A second call does nothing.
  [[nodiscard]] expected<void> close();

 private:
  friend expected<store> open_store(store_paths const& paths);
  store(database writer, std::filesystem::path database_file) noexcept;

  database writer_;
  std::filesystem::path database_file_;
  bool fts_available_ = false;
  migration_report migrations_;
};

/// Opens the store: creates DATA_DIR (and DATABASE_FILE's folder) when missing,
/// chmods DATA_DIR 0700, opens or creates DATABASE_FILE and chmods it and its
/// sidecars 0600, sets the pragmas, runs the migrations and checks the FTS
/// index. Errors (unwritable place, not a database, failed migration) come
/// back as values. Called once at startup on the store's thread.
[[nodiscard]] expected<store> open_store(store_paths const& paths);

} // namespace panel::store
