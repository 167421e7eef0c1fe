#pragma once
// validate(): is this a complete, decodable raster image within the limits?

#include "codec/image.hpp"
#include "codec/sniff.hpp"
#include "core/expected.hpp"

namespace panel::codec {

/// Sniffs the format, refuses more than `lim.max_bytes` (errc::too_large,
/// "Image too large: <n> bytes (max <m>)", spec §6.7), reads the declared size
/// and refuses a pixel flood before any pixel buffer exists, then decodes all
/// of the compressed data (truncated or corrupt files fail with a message
/// containing "fully decodable"). Reports the header's width and height.
/// Errors other than the byte limit are errc::bad_request. Pure CPU work: run
/// it on a codec worker, not on an io or scheduler thread.
[[nodiscard]] expected<image_info> validate(byte_view bytes, const limits& lim = {},
                                            sniff_context context = sniff_context::data);

} // namespace panel::codec
