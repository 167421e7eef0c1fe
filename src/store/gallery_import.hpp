#pragma once
// gallery_import: the commit of POST /api/import (spec §9.2 step 7). The
// accepted images are already staged as fsynced temporary files in IMAGES_DIR;
// on the writer's thread each gets its final id (the archive's, or a fresh
// UUID when that id exists) and file name (`_N` suffixes while the name is
// used by a row, a file on disk or an earlier image of the same import), is
// renamed into place without ever replacing a file, and every row is inserted
// in one transaction. A failure rolls back and removes the files it renamed,
// so an import lands completely or not at all.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/expected.hpp"
#include "store/gallery_repo.hpp"

namespace panel::store {

class database;

/// One image of an import, ready to commit.
struct import_item {
  std::filesystem::path staged;  ///< the temporary file in IMAGES_DIR
  std::string filename;          ///< the sanitised name it wants
  std::optional<std::string> id; ///< the archive's id, if it gave one
  gallery_row row;               ///< every column; id and filename are set by the commit
};

/// A fresh name for a staged import file in `images_dir` (hidden, so never
/// served: `.import.tmp-<32 hex>`).
[[nodiscard]] std::filesystem::path import_staging_path(std::filesystem::path const& images_dir);

/// Commits `items` in order on the writer connection `db`; returns the rows
/// as inserted. Blocking (SQLite and renames): the store actor's thread only.
[[nodiscard]] expected<std::vector<gallery_row>> commit_import(database& db, std::filesystem::path const& images_dir,
                                                               std::vector<import_item> const& items);

} // namespace panel::store
