#pragma once
// Format detection by content (magic bytes), never by name.

#include <optional>
#include <string_view>

#include "codec/format.hpp"
#include "codec/image.hpp"
#include "core/expected.hpp"

namespace panel::codec {

/// Spec §3.6 step 1: the upload is not an image at all (wrong type, SVG).
inline constexpr std::string_view msg_upload_not_image = "Upload must be an image file.";
/// Spec §3.6 step 3 and §6.7: the bytes are not one of the raster formats.
inline constexpr std::string_view msg_not_raster = "Image data must be a supported raster image format";

/// Which message a rejected sniff carries, so each caller gets its spec text.
/// The spec's own edit-upload flow uses `data` for the magic check (step 3,
/// "PNG name with SVG bytes"); `upload` is for callers that check content
/// before they have a name or type to check.
enum class sniff_context { upload, data };

/// The format whose magic bytes start `bytes`, or nullopt. Pure, never fails.
[[nodiscard]] std::optional<image_format> detect_format(byte_view bytes);

/// True when the bytes look like an SVG document (XML text with an <svg element
/// near the start). Used to explain rejections; SVG is never accepted.
[[nodiscard]] bool looks_like_svg(byte_view bytes);

/// detect_format() as an expected: a failure is errc::bad_request with the
/// message chosen by `context`.
[[nodiscard]] expected<image_format> sniff(byte_view bytes, sniff_context context = sniff_context::data);

} // namespace panel::codec
