#pragma once
// The raster formats the panel accepts (spec §3.6) and their names.

#include <optional>
#include <string_view>

namespace panel::codec {

/// Every accepted raster format. SVG and anything else are not formats here.
enum class image_format { png, jpeg, webp, gif, avif, bmp, heif, ico, tiff };

/// Every format, for tests and tables.
inline constexpr image_format all_formats[] = {
    image_format::png, image_format::jpeg, image_format::webp, image_format::gif, image_format::avif,
    image_format::bmp, image_format::heif, image_format::ico,  image_format::tiff,
};

/// Lower-case name as stored in `output_format` ("png", "jpeg", "heif", ...).
[[nodiscard]] std::string_view format_name(image_format f);

/// File extension without the dot for a saved image (spec §6.7: jpeg -> "jpg").
[[nodiscard]] std::string_view format_extension(image_format f);

/// The canonical MIME type ("image/png", "image/jpeg", ...).
[[nodiscard]] std::string_view format_mime(image_format f);

/// The format named by a file extension (with or without the dot, any case):
/// the twelve extensions of spec §3.6. Anything else is nullopt.
[[nodiscard]] std::optional<image_format> format_from_extension(std::string_view ext);

/// The format named by a MIME type (any case, parameters ignored), including
/// common aliases (image/jpg, image/x-ms-bmp, image/x-icon, image/heic, ...).
/// image/svg+xml and non-raster types are nullopt.
[[nodiscard]] std::optional<image_format> format_from_mime(std::string_view mime);

/// True when the OpenAI edits endpoint takes this format as is (PNG, JPEG, WebP).
[[nodiscard]] bool upstream_accepts(image_format f);

} // namespace panel::codec
