#include "codec/thumbnail.hpp"

#include <string>

#include "codec/decoder.hpp"
#include "codec/resize.hpp"
#include "codec/sniff.hpp"

namespace panel::codec {

expected<thumbnail_result> thumbnail(byte_view bytes, const thumbnail_options& options) {
  if (options.max_side == 0) {
    return fail(errc::bad_request, "Thumbnail size must be at least 1 pixel");
  }
  if (auto ok = detail::check_byte_size(bytes.size(), options.lim.max_bytes); !ok) {
    return tl::unexpected(ok.error());
  }
  auto format = sniff(bytes);
  if (!format) {
    return tl::unexpected(format.error());
  }
  // The resampler consumes rows as they are decoded: the full-size raster is
  // never held for PNG, BMP and GIF, and JPEG arrives already DCT-shrunk.
  resampler sink = resampler::fit(options.max_side);
  // Gallery images were fully validated when stored; checksums that only catch
  // storage corruption are not re-verified for their thumbnails.
  detail::decode_options decode{options.lim.max_pixels, options.max_side, false};
  decode.verify_checksums = false;
  auto header = detail::decode(*format, bytes, decode, sink);
  if (!header) {
    return tl::unexpected(header.error());
  }
  // Orientation after resampling: rotating the small image is the cheap order.
  const pixel_image image = apply_orientation(sink.take(), header->orientation);
  auto webp = encode_webp(image, options.webp);
  if (!webp) {
    return tl::unexpected(webp.error());
  }
  return thumbnail_result{std::move(*webp), image.width, image.height, *format};
}

} // namespace panel::codec
