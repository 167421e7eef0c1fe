#pragma once
// Test fixtures made by the tests themselves: small images encoded with the
// real libraries (libpng, TurboJPEG, libwebp, giflib, libtiff, libavif,
// libheif) and hand-written BMP/ICO, plus helpers to corrupt them.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "codec/image.hpp"

namespace fixtures {

using bytes = std::vector<std::uint8_t>;
using panel::codec::pixel_image;

/// An asymmetric test picture: red top-left quadrant, green top-right, blue
/// bottom-left, white bottom-right, with a soft diagonal gradient; with
/// channels == 4 the alpha falls from 255 (left) to 64 (right).
pixel_image pattern(std::uint32_t width, std::uint32_t height, std::uint32_t channels = 3);

/// Photographic-ish content (smooth fields plus grain) for benches and tests.
pixel_image photo(std::uint32_t width, std::uint32_t height, std::uint32_t seed = 1);

struct png_settings {
  bool interlaced = false;
  bool sixteen_bit = false;
  bool palette = false;   ///< 8-bit palette with a tRNS entry (needs channels 3)
  bool gray = false;
};
bytes png(const pixel_image& img, png_settings s = {});
bytes jpeg(const pixel_image& img, int quality = 90, std::uint8_t exif_orientation = 0, bool big_endian_exif = false);
bytes webp(const pixel_image& img, bool lossless = false);
/// A two-frame animated WebP built by hand around lossless frames.
bytes webp_animated(const pixel_image& frame);
bytes gif(const pixel_image& img, int frames = 1, bool interlaced = false, bool transparent_corner = false);
bytes tiff(const pixel_image& img, std::uint16_t orientation = 1, bool lzw = true);
bytes avif(const pixel_image& img);
bytes heif(const pixel_image& img);
enum class bmp_kind { rgb24, bgra32_bitfields, pal8, pal4, pal1, rgb16, rle8, top_down24 };
bytes bmp(const pixel_image& img, bmp_kind kind);
enum class ico_kind { png_inside, dib32, dib8_mask };
bytes ico(const pixel_image& img, ico_kind kind);

/// The encoded bytes of every accepted format from one picture.
struct sample {
  std::string name;
  panel::codec::image_format format;
  bytes data;
  bool alpha = false;
};
std::vector<sample> every_format(std::uint32_t width, std::uint32_t height);

/// PNG helpers: find a chunk, recompute its CRC after patching.
std::size_t png_chunk_offset(const bytes& png, std::string_view type);
void png_fix_crc(bytes& png, std::size_t chunk_offset);

/// Decodes a WebP thumbnail for checks (RGBA).
pixel_image decode_webp_rgba(const bytes& webp, bool* has_alpha = nullptr);

/// Mean absolute difference per channel between two RGB(A) images of equal size.
double mean_abs_diff(const pixel_image& a, const pixel_image& b);

} // namespace fixtures
