#include "codec/transcode.hpp"

#include "codec/decoder.hpp"
#include "codec/encode.hpp"
#include "codec/resize.hpp"
#include "codec/sniff.hpp"

namespace panel::codec {

expected<transcode_result> transcode_for_upstream(const shared_bytes& input, const limits& lim) {
  if (input == nullptr) {
    return fail(errc::bad_request, std::string(msg_not_raster));
  }
  const byte_view bytes(*input);
  if (auto ok = detail::check_byte_size(bytes.size(), lim.max_bytes); !ok) {
    return tl::unexpected(ok.error());
  }
  auto format = sniff(bytes);
  if (!format) {
    return tl::unexpected(format.error());
  }
  if (upstream_accepts(*format)) {
    return transcode_result{input, *format, *format, false};
  }
  collect_sink sink;
  const detail::decode_options options{lim.max_pixels, 0, false};
  auto header = detail::decode(*format, bytes, options, sink);
  if (!header) {
    return tl::unexpected(header.error());
  }
  auto png = encode_png(apply_orientation(sink.take(), header->orientation));
  if (!png) {
    return tl::unexpected(png.error());
  }
  return transcode_result{share(std::move(*png)), *format, image_format::png, true};
}

std::string upstream_filename(std::string_view original, const transcode_result& result) {
  if (!result.transcoded) {
    return std::string(original);
  }
  const auto slash = original.find_last_of("/\\");
  const auto dot = original.rfind('.');
  const bool has_ext = dot != std::string_view::npos && (slash == std::string_view::npos || dot > slash) && dot > 0;
  std::string stem(has_ext ? original.substr(0, dot) : original);
  if (stem.empty()) {
    stem = "image";
  }
  return stem + ".png";
}

} // namespace panel::codec
