#pragma once
// thumbnail(): the gallery's WebP thumbnails (spec §8.5).

#include <cstdint>
#include <vector>

#include "codec/encode.hpp"
#include "codec/image.hpp"
#include "core/expected.hpp"

namespace panel::codec {

/// Thumbnail settings; the defaults are THUMBNAIL_MAX_SIDE and quality 82.
struct thumbnail_options {
  std::uint32_t max_side = 512;
  webp_options webp{};
  limits lim{};
};

/// An encoded thumbnail and its size.
struct thumbnail_result {
  std::vector<std::uint8_t> webp;
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  image_format source_format = image_format::png;
};

/// Decodes the first frame (JPEG shrunk on load by DCT scaling to the smallest
/// size that still covers the target), resamples it to fit max_side x max_side
/// (box prefilter + Lanczos-3, premultiplied alpha, never upscaled), applies
/// the EXIF orientation (JPEG APP1, PNG eXIf, WebP EXIF, TIFF tag; HEIF/AVIF
/// irot/imir) and encodes lossy WebP with alpha kept. The limits are checked as
/// in validate(); PNG CRCs and zlib Adler-32 sums are not re-verified (the
/// image was validated when stored). CPU-bound: codec workers only.
[[nodiscard]] expected<thumbnail_result> thumbnail(byte_view bytes, const thumbnail_options& options = {});

} // namespace panel::codec
