#pragma once
// export_metadata: metadata.json of an exported archive (spec §9.1), written
// piece by piece so a gallery of any size never sits in memory: the header,
// one entry per exported image, then the footer with the `skipped` list. The
// text is exactly Python's json.dumps(metadata, ensure_ascii=False, indent=2),
// as the original panel writes it (UTF-8, non-ASCII kept, no final newline).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/gallery_repo.hpp"

namespace panel::store {

/// Why a requested row is not in the archive.
struct skipped_entry {
  std::string id;
  std::optional<std::string> filename; ///< set for image_file_missing
  std::string reason;                  ///< "gallery_entry_missing" | "image_file_missing"
};

/// `{"schema_version": 1, "exported_at": ..., "app": {...}, "images": [` pretty-printed.
[[nodiscard]] std::string metadata_header(std::string_view exported_at, std::string_view app_version);

/// Appends one `images[]` element: every GalleryEntry field but the thumbnail
/// ones, in §9.1 order, nulls included; `sha256` only when the row has one.
/// `first` is true for the first element (no separating comma).
void append_metadata_entry(std::string& out, gallery_row const& row, bool first);

/// Closes `images` (empty when `any_images` is false), adds `skipped` when it
/// is not empty, and closes the document.
[[nodiscard]] std::string metadata_footer(bool any_images, std::vector<skipped_entry> const& skipped);

} // namespace panel::store
