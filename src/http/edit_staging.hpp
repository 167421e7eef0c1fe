#pragma once
// The blocking half of edit uploads (spec §3.6): the per-file validation of staged
// files (type, size, magic bytes, claims, full decode) and the copy of a gallery
// image into the staging dir. File reads and CPU work: call these from a detached
// actor, never on an io or scheduler thread.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "actors/job_messages.hpp"
#include "core/expected.hpp"
#include "http/form_upload.hpp"

namespace panel::http {

struct edit_limits {
  std::uint64_t max_bytes = 50ull << 20;  ///< MAX_FILE_SIZE_MB
  std::uint64_t max_pixels = 100'000'000; ///< MAX_IMAGE_PIXELS
};

/// Validates the staged files in order (each failure 400 with the contract's
/// message; an unreadable file 500 "Failed to read uploaded image") and
/// describes them for the job ticket.
[[nodiscard]] expected<std::vector<actors::staged_source>> validate_staged(std::vector<uploaded_file> const& files,
                                                                           edit_limits const& lim);

/// A gallery file name that names a plain file inside IMAGES_DIR.
[[nodiscard]] bool safe_gallery_filename(std::string_view name);

/// Copies IMAGES_DIR/<filename> into `staging_dir` (owned by `owned` from then
/// on): 404 "Gallery image file not found" when unsafe or missing, 400
/// "Gallery image is empty" / "Gallery image is too large. Max size is <N> MB.".
[[nodiscard]] expected<uploaded_file> stage_gallery_image(std::filesystem::path const& images_dir,
                                                          std::string const& filename,
                                                          std::filesystem::path const& staging_dir,
                                                          std::uint64_t max_bytes, staged_files& owned);

} // namespace panel::http
