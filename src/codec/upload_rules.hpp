#pragma once
// The per-file rules for edit uploads (spec §3.6, POST /api/edits), in the
// spec's order, with its exact messages. The HTTP handler streams the part to
// disk, then calls these; every failure is errc::bad_request (400).

#include <string_view>

#include "codec/format.hpp"
#include "codec/image.hpp"
#include "core/expected.hpp"

namespace panel::codec {

inline constexpr std::string_view msg_upload_empty = "Uploaded image is empty.";
inline constexpr std::string_view msg_extension_mismatch = "Image file extension does not match image data";
inline constexpr std::string_view msg_content_type_mismatch = "Image content type does not match image data";

/// Step 1: the extension is one of the twelve, and the effective content type
/// (the part's own if it is image/*, else derived from the extension) is a
/// known raster type, never image/svg+xml. Returns the format the extension
/// names; failure: "Upload must be an image file.".
[[nodiscard]] expected<image_format> check_upload_type(std::string_view filename, std::string_view content_type);

/// Step 2: "Uploaded image is empty." / "Uploaded image is too large. Max size is <N> MB."
[[nodiscard]] expected<void> check_upload_size(std::uint64_t size, std::uint64_t max_bytes);

/// Step 3 after sniffing: extension and effective content type must name the
/// detected format (jpg and jpeg are the same, as are heic and heif).
[[nodiscard]] expected<void> check_claims_match(image_format detected, std::string_view filename,
                                                std::string_view content_type);

/// Steps 1 to 4 on bytes in memory: type, size, magic, claims, full decode
/// within `lim.max_pixels`. Returns what validate() returns. CPU-bound.
[[nodiscard]] expected<image_info> validate_upload(std::string_view filename, std::string_view content_type,
                                                   byte_view bytes, const limits& lim);

} // namespace panel::codec
