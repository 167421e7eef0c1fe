#pragma once
// gallery_files: the files behind gallery rows on disk (spec/API.md §8.5,
// §13.1): thumbnail names, and removing files once no row names them.
// Blocking file I/O: store threads only.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "store/gallery_repo.hpp"

namespace panel::store {

/// The thumbnail file name of image `filename` (§8.5): its stem with every
/// character but ASCII letters, digits, `-`, `_` and `.` made `_`, leading and
/// trailing `.`/`_` stripped, at most 80 characters ("image" when nothing is
/// left), then `-`, the first 12 hex digits of SHA-256(filename) and `.webp`.
[[nodiscard]] std::string thumbnail_name(std::string_view filename);

/// Where removed files are looked for.
struct gallery_dirs {
  std::filesystem::path images;      ///< IMAGES_DIR
  std::filesystem::path thumbnails;  ///< THUMBNAILS_DIR
};

/// Removes the image of every entry in `orphaned` and its thumbnails (the
/// recorded name and the §8.5 name). Call only after the transaction that
/// deleted the rows committed. Unsafe names are never touched; a file that is
/// already gone is not an error; any other failure is logged as the warning
/// `Failed to delete gallery image file <name>` (thumbnails likewise) and the
/// rest goes on. Returns how many image files were removed.
std::int64_t remove_orphaned_files(gallery_dirs const& dirs, std::vector<orphaned_file> const& orphaned) noexcept;

} // namespace panel::store
