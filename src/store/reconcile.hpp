#pragma once
// reconcile: bringing gallery rows and the files on disk back in line
// (ARCHITECTURE.md §5, spec/API.md §8.4, §8.6): at startup, rows whose image
// is gone are removed and temporary files of interrupted atomic writes are
// deleted; afterwards, legacy rows without `bytes` get them from disk, in
// batches. All of it runs on the writer connection's thread.

#include <cstdint>
#include <filesystem>
#include <string>

#include "core/expected.hpp"

namespace panel::store {

class database;

/// What remove_rows_without_files found and did.
struct missing_files_report {
  std::int64_t files_checked = 0;   ///< distinct file names of the gallery
  std::int64_t files_missing = 0;   ///< of those, not a regular file in IMAGES_DIR (or an unsafe name)
  std::int64_t rows_removed = 0;    ///< rows deleted for them
  bool refused_empty_dir = false;   ///< nothing deleted: IMAGES_DIR holds no file at all
};

/// Deletes, in one transaction, every gallery row whose file is not a regular
/// file directly in `images_dir` (spec §8.6; a name that is not a plain file
/// name counts as missing and is never looked up). When every file is missing
/// and `images_dir` contains no regular file at all, nothing is deleted and
/// `refused_empty_dir` is set: an unmounted or wrong IMAGES_DIR must not wipe
/// the gallery. Startup only, before the actors run.
[[nodiscard]] expected<missing_files_report> remove_rows_without_files(database& db,
                                                                       std::filesystem::path const& images_dir);

/// True for the temporary names write_file_atomically uses
/// (`.<name>.tmp-<32 hex>`).
[[nodiscard]] bool is_atomic_write_temp_name(std::string_view name) noexcept;

/// Removes the temporary files interrupted atomic writes left directly in
/// `dir` (a missing directory is fine). Startup only, while nothing writes.
/// Returns how many were removed.
std::size_t remove_stray_temp_files(std::filesystem::path const& dir) noexcept;

/// The startup reconciliation of main(): remove_rows_without_files on
/// `images_dir` and remove_stray_temp_files in both directories, each result
/// logged. Only a database failure is an error.
[[nodiscard]] expected<void> reconcile_gallery_on_startup(database& db, std::filesystem::path const& images_dir,
                                                          std::filesystem::path const& thumbnails_dir);

/// Progress of the `bytes` backfill: file names are visited in order, so a
/// pass ends even when some files stay missing.
struct backfill_cursor {
  std::string after;          ///< last file name visited ("" = from the start)
  std::int64_t rows_updated = 0;
  std::int64_t files_seen = 0;
  bool done = false;
};

/// One batch of the backfill (spec §8.4): up to `limit` file names of rows
/// with a null `bytes`, past `cursor.after`; each existing regular file's size
/// is written to every such row of that name (one transaction). Advances
/// `cursor`; sets `done` when no name is left.
[[nodiscard]] expected<void> backfill_bytes_batch(database& db, std::filesystem::path const& images_dir,
                                                  backfill_cursor& cursor, std::int64_t limit = 500);

} // namespace panel::store
