#pragma once
// transcode_for_upstream(): edit sources the upstream cannot read become PNG.

#include <string>
#include <string_view>

#include "codec/image.hpp"
#include "core/expected.hpp"

namespace panel::codec {

/// The bytes to send upstream and what happened to them.
struct transcode_result {
  shared_bytes bytes;                              ///< the input itself when passed through
  image_format source_format = image_format::png;  ///< sniffed from the input
  image_format format = image_format::png;         ///< of `bytes`
  bool transcoded = false;                         ///< true when re-encoded (the job records it)
};

/// PNG, JPEG and WebP pass through untouched (same buffer, no copy; they were
/// validated at upload). HEIC/HEIF, AVIF, GIF (first frame), BMP, TIFF and ICO
/// are decoded within `lim`, turned upright by their orientation, and
/// re-encoded as PNG with alpha kept. CPU-bound: codec workers only.
[[nodiscard]] expected<transcode_result> transcode_for_upstream(const shared_bytes& input, const limits& lim = {});

/// The filename to send upstream: `original` with its extension replaced by
/// ".png" when the source was transcoded, else unchanged.
[[nodiscard]] std::string upstream_filename(std::string_view original, const transcode_result& result);

} // namespace panel::codec
