// AVIF through libavif (AV1 via dav1d/aom). The container is parsed first, so
// the declared size is checked before any AV1 frame is decoded. Single
// threaded: the codec pool already runs one decode per core.

#include <avif/avif.h>

#include <algorithm>
#include <string>

#include "codec/bmff.hpp"
#include "codec/decoder.hpp"

namespace panel::codec::detail {

namespace {

// Owns a libavif decoder.
struct avif_decoder {
  avifDecoder* d = avifDecoderCreate();
  avif_decoder() = default;
  avif_decoder(const avif_decoder&) = delete;
  avif_decoder& operator=(const avif_decoder&) = delete;
  ~avif_decoder() {
    if (d != nullptr) {
      avifDecoderDestroy(d);
    }
  }
};

// HEIF's irot (anticlockwise quarter turns) then imir, as an EXIF orientation.
std::uint8_t orientation_of(const avifImage& image) {
  const bool rot = (image.transformFlags & AVIF_TRANSFORM_IROT) != 0;
  const bool mir = (image.transformFlags & AVIF_TRANSFORM_IMIR) != 0;
  const unsigned angle = rot ? image.irot.angle % 4 : 0;
  if (!mir) {
    static constexpr std::uint8_t by_angle[] = {1, 8, 3, 6};
    return by_angle[angle];
  }
  // mode 1 mirrors left-right, mode 0 top-bottom, applied after the rotation.
  static constexpr std::uint8_t lr[] = {2, 7, 4, 5};
  static constexpr std::uint8_t tb[] = {4, 5, 2, 7};
  return image.imir.mode == 1 ? lr[angle] : tb[angle];
}

panel::error avif_failure(const avifDecoder& d, avifResult r) {
  std::string detail = avifResultToString(r);
  if (d.diag.error[0] != '\0') {
    detail += ": ";
    detail += d.diag.error;
  }
  return not_decodable(image_format::avif, detail);
}

} // namespace

expected<header> decode_avif(byte_view bytes, const decode_options& options, row_sink& sink) {
  avif_decoder dec;
  if (dec.d == nullptr) {
    return fail(errc::internal, "libavif initialisation failed");
  }
  // The declared size, read by us before libavif or dav1d allocate anything.
  if (const auto ispe = bmff_largest_ispe(bytes)) {
    if (auto ok = check_dimensions(ispe->first, ispe->second, options.max_pixels); !ok) {
      return tl::unexpected(ok.error());
    }
  }
  // Also caps dav1d's frame size, should the AV1 data disagree with ispe.
  dec.d->imageSizeLimit = static_cast<std::uint32_t>(
      std::min<std::uint64_t>(options.max_pixels, AVIF_DEFAULT_IMAGE_SIZE_LIMIT));
  dec.d->maxThreads = 1;
  dec.d->ignoreExif = AVIF_TRUE;
  dec.d->ignoreXMP = AVIF_TRUE;
  avifResult r = avifDecoderSetIOMemory(dec.d, bytes.data(), bytes.size());
  if (r == AVIF_RESULT_OK) {
    r = avifDecoderParse(dec.d);
  }
  if (r != AVIF_RESULT_OK) {
    return tl::unexpected(avif_failure(*dec.d, r));
  }
  const std::uint32_t w = dec.d->image->width;
  const std::uint32_t h = dec.d->image->height;
  if (auto ok = check_dimensions(w, h, options.max_pixels); !ok) {
    return tl::unexpected(ok.error());
  }
  r = avifDecoderNextImage(dec.d);
  if (r != AVIF_RESULT_OK) {
    return tl::unexpected(avif_failure(*dec.d, r));
  }
  const avifImage& image = *dec.d->image;
  if (image.width != w || image.height != h) {
    return tl::unexpected(not_decodable(image_format::avif, "frame size differs from the declared size"));
  }
  const bool alpha = image.alphaPlane != nullptr;
  const std::uint32_t channels = alpha ? 4 : 3;
  std::vector<std::uint8_t> raster(std::size_t{w} * h * channels);
  avifRGBImage rgb;
  avifRGBImageSetDefaults(&rgb, &image);
  rgb.format = alpha ? AVIF_RGB_FORMAT_RGBA : AVIF_RGB_FORMAT_RGB;
  rgb.depth = 8;
  rgb.pixels = raster.data();
  rgb.rowBytes = w * channels;
  r = avifImageYUVToRGB(&image, &rgb);
  if (r != AVIF_RESULT_OK) {
    return tl::unexpected(not_decodable(image_format::avif, avifResultToString(r)));
  }
  sink.begin(raster_shape{w, h, channels, w, h});
  for (std::uint32_t y = 0; y < h; ++y) {
    sink.row(raster.data() + std::size_t{y} * w * channels);
  }
  return header{w, h, orientation_of(image)};
}

} // namespace panel::codec::detail
