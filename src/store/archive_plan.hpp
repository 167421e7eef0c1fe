#pragma once
// archive_plan: what an exported archive will hold (spec §9.1), decided before
// its first byte so the exact size is known up front (Content-Length, an
// export job's bytes_total). Rows are read newest first, one at a time; each
// row's file is checked on disk (a missing file or an unsafe name is skipped
// and recorded); names are de-duplicated (dup.png, dup_1.png); metadata.json
// is written to a temporary file as the rows go by. Blocking (SQLite and file
// reads): a reader task or an export run's thread.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/expected.hpp"
#include "store/export_metadata.hpp"

namespace panel::store {

class database;

/// One image going into the archive.
struct export_image {
  std::string name;      ///< its name inside images/ (de-duplicated)
  std::string filename;  ///< its file in IMAGES_DIR
  std::uint64_t size = 0;
};

/// The preparing stage's progress (spec §3.10: 0..20 on the 1st, every 10th and the last row).
struct plan_progress {
  std::int64_t processed = 0;  ///< rows looked at, plus the rows already known missing
  std::int64_t requested = 0;  ///< the denominator: max(requested, processed, 1)
  std::int64_t exported = 0;
  std::int64_t missing = 0;
  std::int64_t percent = 0;    ///< 0..20
};

struct plan_request {
  std::optional<std::vector<std::string>> ids; ///< the selection; nullopt = the whole gallery
  std::filesystem::path images_dir;
  std::filesystem::path metadata_path;         ///< created here; the caller removes it
  std::string app_version;
  std::string exported_at;                     ///< UTC ISO
  std::int64_t requested_count = 0;            ///< 0: the gallery's row count (or ids.size())
  std::function<void(plan_progress const&)> on_progress; ///< optional
};

struct archive_plan {
  std::vector<export_image> images;
  std::vector<skipped_entry> skipped;    ///< missing rows first (request order), then missing files
  std::filesystem::path metadata_path;
  std::uint64_t metadata_bytes = 0;
  std::int64_t requested_count = 0;
  std::int64_t found_rows = 0;           ///< rows that exist (for "Gallery entries not found")
};

/// Reads the rows, checks the files and writes metadata.json. On failure the
/// metadata file is removed. A selection none of whose ids exist still
/// succeeds (found_rows == 0): the caller answers 404.
[[nodiscard]] expected<archive_plan> build_archive_plan(database& db, plan_request const& req);

/// How many gallery rows there are.
[[nodiscard]] expected<std::int64_t> gallery_row_count(database& db);

/// How many of `ids` have a row.
[[nodiscard]] expected<std::int64_t> existing_row_count(database& db, std::vector<std::string> const& ids);

} // namespace panel::store
