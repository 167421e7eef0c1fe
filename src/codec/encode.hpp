#pragma once
// Encoders for what the panel writes: PNG (transcoded edit sources) and WebP
// (thumbnails).

#include <cstdint>
#include <vector>

#include "codec/image.hpp"
#include "core/expected.hpp"

namespace panel::codec {

/// Lossy WebP settings. quality 82 is the spec's thumbnail quality (§8.5);
/// method trades encoder speed for size (0 fastest .. 6 smallest).
struct webp_options {
  float quality = 82.0f;
  int method = 4;
};

/// Encodes RGB or RGBA as lossy WebP (alpha kept, losslessly compressed).
[[nodiscard]] expected<std::vector<std::uint8_t>> encode_webp(const pixel_image& image, const webp_options& options = {});

/// Encodes RGB or RGBA as PNG (libpng, default zlib level).
[[nodiscard]] expected<std::vector<std::uint8_t>> encode_png(const pixel_image& image);

} // namespace panel::codec
