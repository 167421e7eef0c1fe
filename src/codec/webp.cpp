// WebP: still images through libwebp's advanced decoding API (into our own
// buffer, scaled down when only validating), animations through the demux
// library's frame decoder (first frame), and the thumbnail encoder.

#include <webp/decode.h>
#include <webp/demux.h>
#include <webp/encode.h>

#include <cstring>

#include "codec/decoder.hpp"
#include "codec/encode.hpp"
#include "codec/exif.hpp"

namespace panel::codec::detail {

namespace {

const char* vp8_status_text(VP8StatusCode s) {
  switch (s) {
  case VP8_STATUS_OUT_OF_MEMORY: return "out of memory";
  case VP8_STATUS_INVALID_PARAM: return "invalid parameter";
  case VP8_STATUS_BITSTREAM_ERROR: return "bitstream error";
  case VP8_STATUS_UNSUPPORTED_FEATURE: return "unsupported feature";
  case VP8_STATUS_SUSPENDED: return "suspended";
  case VP8_STATUS_USER_ABORT: return "aborted";
  case VP8_STATUS_NOT_ENOUGH_DATA: return "truncated file";
  default: return "error";
  }
}

// Owns a demuxer (RAII over WebPDemuxDelete).
struct demuxer {
  WebPDemuxer* handle = nullptr;
  explicit demuxer(const WebPData& data) : handle(WebPDemux(&data)) {}
  demuxer(const demuxer&) = delete;
  demuxer& operator=(const demuxer&) = delete;
  ~demuxer() { WebPDemuxDelete(handle); }
};

// Owns an animation decoder.
struct anim_decoder {
  WebPAnimDecoder* handle = nullptr;
  anim_decoder(const WebPData& data, const WebPAnimDecoderOptions& o) : handle(WebPAnimDecoderNew(&data, &o)) {}
  anim_decoder(const anim_decoder&) = delete;
  anim_decoder& operator=(const anim_decoder&) = delete;
  ~anim_decoder() { WebPAnimDecoderDelete(handle); }
};

// Only extended-format files (VP8X) can carry an EXIF chunk.
std::uint8_t webp_orientation(byte_view bytes) {
  if (bytes.size() < 16 || std::memcmp(bytes.data() + 12, "VP8X", 4) != 0) {
    return 1;
  }
  const demuxer dmux(WebPData{bytes.data(), bytes.size()});
  if (dmux.handle == nullptr) {
    return 1;
  }
  WebPChunkIterator it;
  std::uint8_t orientation = 1;
  if (WebPDemuxGetChunk(dmux.handle, "EXIF", 1, &it) != 0) {
    orientation = exif_orientation(strip_exif_prefix(byte_view(it.chunk.bytes, it.chunk.size)));
  }
  WebPDemuxReleaseChunkIterator(&it);
  return orientation;
}

expected<header> decode_animated(byte_view bytes, std::uint32_t w, std::uint32_t h, row_sink& sink) {
  WebPAnimDecoderOptions o;
  if (WebPAnimDecoderOptionsInit(&o) == 0) {
    return fail(errc::internal, "libwebp version mismatch");
  }
  o.color_mode = MODE_RGBA;
  o.use_threads = 0;
  // WebPAnimDecoderNew demuxes the whole file, so truncation fails here.
  const anim_decoder dec(WebPData{bytes.data(), bytes.size()}, o);
  if (dec.handle == nullptr) {
    return tl::unexpected(not_decodable(image_format::webp, "invalid or truncated animation"));
  }
  std::uint8_t* canvas = nullptr;
  int timestamp = 0;
  if (WebPAnimDecoderGetNext(dec.handle, &canvas, &timestamp) == 0 || canvas == nullptr) {
    return tl::unexpected(not_decodable(image_format::webp, "first frame does not decode"));
  }
  sink.begin(raster_shape{w, h, 4, w, h});
  for (std::uint32_t y = 0; y < h; ++y) {
    sink.row(canvas + std::size_t{y} * w * 4);
  }
  return header{w, h, webp_orientation(bytes)};
}

} // namespace

expected<header> decode_webp(byte_view bytes, const decode_options& options, row_sink& sink) {
  WebPDecoderConfig config;
  if (WebPInitDecoderConfig(&config) == 0) {
    return fail(errc::internal, "libwebp version mismatch");
  }
  const VP8StatusCode got = WebPGetFeatures(bytes.data(), bytes.size(), &config.input);
  if (got != VP8_STATUS_OK) {
    return tl::unexpected(not_decodable(image_format::webp, vp8_status_text(got)));
  }
  const auto w = static_cast<std::uint32_t>(std::max(config.input.width, 0));
  const auto h = static_cast<std::uint32_t>(std::max(config.input.height, 0));
  if (auto ok = check_dimensions(w, h, options.max_pixels); !ok) {
    return tl::unexpected(ok.error());
  }
  if (config.input.has_animation != 0) {
    return decode_animated(bytes, w, h, sink);
  }
  const std::uint32_t channels = config.input.has_alpha != 0 ? 4 : 3;
  std::uint32_t ow = w;
  std::uint32_t oh = h;
  if (options.validate_only) {
    // The rescaler consumes every decoded row, so all data is still decoded.
    ow = std::max<std::uint32_t>(1, w / 8);
    oh = std::max<std::uint32_t>(1, h / 8);
    config.options.use_scaling = 1;
    config.options.scaled_width = static_cast<int>(ow);
    config.options.scaled_height = static_cast<int>(oh);
  }
  std::vector<std::uint8_t> raster(std::size_t{ow} * oh * channels);
  config.output.colorspace = channels == 4 ? MODE_RGBA : MODE_RGB;
  config.output.is_external_memory = 1;
  config.output.u.RGBA.rgba = raster.data();
  config.output.u.RGBA.stride = static_cast<int>(ow * channels);
  config.output.u.RGBA.size = raster.size();
  config.options.use_threads = 0;
  const VP8StatusCode status = WebPDecode(bytes.data(), bytes.size(), &config);
  WebPFreeDecBuffer(&config.output);
  if (status != VP8_STATUS_OK) {
    return tl::unexpected(not_decodable(image_format::webp, vp8_status_text(status)));
  }
  sink.begin(raster_shape{ow, oh, channels, w, h});
  for (std::uint32_t y = 0; y < oh; ++y) {
    sink.row(raster.data() + std::size_t{y} * ow * channels);
  }
  return header{w, h, webp_orientation(bytes)};
}

} // namespace panel::codec::detail

namespace panel::codec {

namespace {

// Owns a WebPPicture.
struct picture {
  WebPPicture pic;
  picture() { WebPPictureInit(&pic); }
  picture(const picture&) = delete;
  picture& operator=(const picture&) = delete;
  ~picture() { WebPPictureFree(&pic); }
};

// Appends the encoder's output straight into our vector: no second copy. Runs
// inside libwebp (C frames), so nothing may throw out of it.
extern "C" int webp_append(const std::uint8_t* data, std::size_t size, const WebPPicture* pic) {
  auto* out = static_cast<std::vector<std::uint8_t>*>(pic->custom_ptr);
  try {
    out->insert(out->end(), data, data + size);
  } catch (...) {
    return 0;
  }
  return 1;
}

} // namespace

expected<std::vector<std::uint8_t>> encode_webp(const pixel_image& image, const webp_options& options) {
  WebPConfig config;
  if (WebPConfigInit(&config) == 0) {
    return fail(errc::internal, "libwebp version mismatch");
  }
  config.quality = options.quality;
  config.method = options.method;
  if (WebPValidateConfig(&config) == 0) {
    return fail(errc::internal, "invalid WebP encoder settings");
  }
  picture p;
  p.pic.width = static_cast<int>(image.width);
  p.pic.height = static_cast<int>(image.height);
  const int stride = static_cast<int>(image.stride());
  const int imported = image.channels == 4 ? WebPPictureImportRGBA(&p.pic, image.pixels.data(), stride)
                                           : WebPPictureImportRGB(&p.pic, image.pixels.data(), stride);
  if (imported == 0) {
    return fail(errc::internal, "WebP encoder could not import the image");
  }
  std::vector<std::uint8_t> out;
  out.reserve(std::size_t{image.width} * image.height / 8 + 1024);
  p.pic.writer = webp_append;
  p.pic.custom_ptr = &out;
  if (WebPEncode(&config, &p.pic) == 0) {
    return fail(errc::internal, "WebP encoding failed (error " + std::to_string(p.pic.error_code) + ")");
  }
  return out;
}

} // namespace panel::codec
