#pragma once
// sync_sources: what the R2 backup reads from the gallery (spec/API.md §11.3):
// every row's id and filename, the row count for a new sync's total_count, and
// the digest of a file about to be uploaded. Read-only; any connection, on that
// connection's thread.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/expected.hpp"

namespace panel::store {

class database;

/// One gallery row as the sync compares it.
struct sync_source {
  std::string id;
  std::string filename; ///< may be empty or unsafe in legacy rows (then "missing locally")
};

/// Every gallery row, oldest first (rowid order, so a run is repeatable).
[[nodiscard]] expected<std::vector<sync_source>> list_sync_sources(database& db);

/// How many gallery rows there are.
[[nodiscard]] expected<std::int64_t> count_gallery_rows(database& db);

/// A local file as the sync uploads it.
struct file_digest {
  std::int64_t size = 0;
  std::string sha256_hex; ///< lower-case hex of the whole file
};

/// Reads `path` once, in chunks: its size and SHA-256. nullopt when it is not a
/// readable regular file. Blocking: a reader task only.
[[nodiscard]] std::optional<file_digest> digest_file(std::filesystem::path const& path);

} // namespace panel::store
