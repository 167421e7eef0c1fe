#pragma once
// Internal: the per-format decoders behind validate(), thumbnail() and
// transcode_for_upstream(). Every decoder reads its header first, refuses a
// pixel flood before allocating anything image-sized, and then delivers rows
// to a row_sink. Not part of the public codec API.

#include <cstdint>
#include <string>
#include <string_view>

#include "codec/format.hpp"
#include "codec/image.hpp"
#include "core/expected.hpp"

namespace panel::codec::detail {

/// What a decoder learned from the file besides pixels.
struct header {
  std::uint32_t width = 0;       ///< stored width (before orientation)
  std::uint32_t height = 0;      ///< stored height
  std::uint8_t orientation = 1;  ///< EXIF orientation 1..8 to apply for display
};

/// How much decoding the caller needs.
struct decode_options {
  std::uint64_t max_pixels = 100'000'000;
  /// 0: deliver the full raster. Otherwise the decoder may shrink on load as
  /// long as the delivered longest side stays >= min(fit_side, source longest).
  std::uint32_t fit_side = 0;
  /// Validation only: the decoder may deliver any size (JPEG 1/8, WebP scaled)
  /// as long as it decodes all of the compressed data.
  bool validate_only = false;
  /// false: skip checksums that only detect storage corruption (PNG CRC and
  /// zlib Adler-32). For thumbnails of images validated when they were stored;
  /// every bound is still checked.
  bool verify_checksums = true;
};

/// Refuses encoded files over the byte limit (errc::too_large, spec §6.7 text).
[[nodiscard]] expected<void> check_byte_size(std::uint64_t size, std::uint64_t max_bytes);

/// Refuses zero-sized and too-large images: the one place for these messages.
[[nodiscard]] expected<void> check_dimensions(std::uint64_t width, std::uint64_t height, std::uint64_t max_pixels);

/// "Image data is not fully decodable (<format>: <detail>)".
[[nodiscard]] panel::error not_decodable(image_format f, std::string_view detail);

/// Decodes `bytes` (already sniffed as `f`) into `sink`.
[[nodiscard]] expected<header> decode(image_format f, byte_view bytes, const decode_options& options,
                                      row_sink& sink);

// One entry point per format (png.cpp, jpeg.cpp, ...). Same contract as decode().
[[nodiscard]] expected<header> decode_png(byte_view bytes, const decode_options& options, row_sink& sink);
[[nodiscard]] expected<header> decode_jpeg(byte_view bytes, const decode_options& options, row_sink& sink);
[[nodiscard]] expected<header> decode_webp(byte_view bytes, const decode_options& options, row_sink& sink);
[[nodiscard]] expected<header> decode_gif(byte_view bytes, const decode_options& options, row_sink& sink);
[[nodiscard]] expected<header> decode_tiff(byte_view bytes, const decode_options& options, row_sink& sink);
[[nodiscard]] expected<header> decode_avif(byte_view bytes, const decode_options& options, row_sink& sink);
[[nodiscard]] expected<header> decode_heif(byte_view bytes, const decode_options& options, row_sink& sink);
[[nodiscard]] expected<header> decode_bmp(byte_view bytes, const decode_options& options, row_sink& sink);
[[nodiscard]] expected<header> decode_ico(byte_view bytes, const decode_options& options, row_sink& sink);

/// Decodes a headerless DIB (BITMAPINFOHEADER onwards), as embedded in ICO.
/// `ico_mask`: the height is doubled and an AND mask follows the colour data.
[[nodiscard]] expected<header> decode_dib(byte_view dib, bool ico_mask, const decode_options& options,
                                          row_sink& sink);

/// Delivers a finished raster to a sink row by row.
void deliver(const pixel_image& image, std::uint32_t source_width, std::uint32_t source_height, row_sink& sink);

} // namespace panel::codec::detail
