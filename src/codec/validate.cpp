#include "codec/validate.hpp"

#include <string>

#include "codec/decoder.hpp"

namespace panel::codec {

expected<image_info> validate(byte_view bytes, const limits& lim, sniff_context context) {
  if (auto ok = detail::check_byte_size(bytes.size(), lim.max_bytes); !ok) {
    return tl::unexpected(ok.error());
  }
  auto format = sniff(bytes, context);
  if (!format) {
    return tl::unexpected(format.error());
  }
  // Validation keeps no pixels: rows are dropped as they come, and decoders
  // that can (JPEG DCT scaling, WebP scaling) decode all data at a small size.
  discard_sink sink;
  const detail::decode_options options{lim.max_pixels, 0, true};
  auto header = detail::decode(*format, bytes, options, sink);
  if (!header) {
    return tl::unexpected(header.error());
  }
  return image_info{*format, header->width, header->height, bytes.size()};
}

} // namespace panel::codec
