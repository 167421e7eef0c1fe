// JPEG through TurboJPEG (tj2 API; libjpeg's setjmp stays inside TurboJPEG).
// Shrink-on-load: the DCT scaling factor is chosen so the decoded image is the
// smallest that is still at least the thumbnail size.

#include <turbojpeg.h>

#include <cstring>
#include <string_view>

#include "codec/decoder.hpp"
#include "codec/exif.hpp"

namespace panel::codec::detail {

namespace {

// Owns a TurboJPEG decompressor.
struct tj_decompressor {
  tjhandle handle = tjInitDecompress();
  tj_decompressor() = default;
  tj_decompressor(const tj_decompressor&) = delete;
  tj_decompressor& operator=(const tj_decompressor&) = delete;
  ~tj_decompressor() {
    if (handle != nullptr) {
      tjDestroy(handle);
    }
  }
};

std::string_view tj_message(tjhandle h) {
  const char* m = tjGetErrorStr2(h);
  return m != nullptr ? std::string_view(m) : std::string_view("error");
}

// The smallest scaling factor (<= 1) whose scaled longest side still reaches
// `wanted`; 1/1 when none is smaller.
tjscalingfactor pick_scale(int width, int height, std::uint32_t wanted, bool smallest) {
  tjscalingfactor best{1, 1};
  int count = 0;
  const tjscalingfactor* factors = tjGetScalingFactors(&count);
  if (factors == nullptr) {
    return best;
  }
  const int longest = std::max(width, height);
  int best_side = longest;
  for (int i = 0; i < count; ++i) {
    const tjscalingfactor f = factors[i];
    if (f.num > f.denom) {
      continue; // never upscale in the decoder
    }
    const int side = TJSCALED(longest, f);
    if ((smallest || side >= static_cast<int>(wanted)) && side < best_side) {
      best = f;
      best_side = side;
    }
  }
  return best;
}

// TurboJPEG returns -1 for warnings too. A truncated or corrupt entropy stream
// is a warning in libjpeg; only "extraneous bytes before marker", which real
// cameras write and which loses no pixel, is let through.
bool warning_is_harmless(tjhandle h) {
  return tjGetErrorCode(h) == TJERR_WARNING && tj_message(h).find("extraneous bytes") != std::string_view::npos;
}

} // namespace

expected<header> decode_jpeg(byte_view bytes, const decode_options& options, row_sink& sink) {
  tj_decompressor tj;
  if (tj.handle == nullptr) {
    return fail(errc::internal, "TurboJPEG initialisation failed");
  }
  int width = 0;
  int height = 0;
  int subsampling = 0;
  int colorspace = 0;
  const auto size = static_cast<unsigned long>(bytes.size());
  if (tjDecompressHeader3(tj.handle, bytes.data(), size, &width, &height, &subsampling, &colorspace) != 0) {
    return tl::unexpected(not_decodable(image_format::jpeg, tj_message(tj.handle)));
  }
  if (width <= 0 || height <= 0) {
    return tl::unexpected(check_dimensions(0, 0, options.max_pixels).error());
  }
  const auto w = static_cast<std::uint32_t>(width);
  const auto h = static_cast<std::uint32_t>(height);
  if (auto ok = check_dimensions(w, h, options.max_pixels); !ok) {
    return tl::unexpected(ok.error());
  }
  const std::uint32_t wanted = std::min(options.fit_side == 0 ? std::max(w, h) : options.fit_side, std::max(w, h));
  const tjscalingfactor scale = pick_scale(width, height, wanted, options.validate_only);
  const int sw = TJSCALED(width, scale);
  const int sh = TJSCALED(height, scale);
  const bool cmyk = colorspace == TJCS_CMYK || colorspace == TJCS_YCCK;
  const int pixel_format = cmyk ? TJPF_CMYK : TJPF_RGB;
  const std::size_t in_channels = cmyk ? 4 : 3;
  std::vector<std::uint8_t> raster(static_cast<std::size_t>(sw) * sh * in_channels);
  const int flags = TJFLAG_LIMITSCANS;
  if (tjDecompress2(tj.handle, bytes.data(), size, raster.data(), sw, 0, sh, pixel_format, flags) != 0 &&
      !warning_is_harmless(tj.handle)) {
    return tl::unexpected(not_decodable(image_format::jpeg, tj_message(tj.handle)));
  }
  const auto uw = static_cast<std::uint32_t>(sw);
  const auto uh = static_cast<std::uint32_t>(sh);
  sink.begin(raster_shape{uw, uh, 3, w, h});
  if (!cmyk) {
    for (std::uint32_t y = 0; y < uh; ++y) {
      sink.row(raster.data() + std::size_t{y} * uw * 3);
    }
  } else {
    // Adobe CMYK JPEGs store inverted inks; multiply them out to RGB.
    std::vector<std::uint8_t> rgb(std::size_t{uw} * 3);
    for (std::uint32_t y = 0; y < uh; ++y) {
      const std::uint8_t* src = raster.data() + std::size_t{y} * uw * 4;
      for (std::uint32_t x = 0; x < uw; ++x, src += 4) {
        const unsigned k = src[3];
        rgb[x * 3 + 0] = static_cast<std::uint8_t>(src[0] * k / 255);
        rgb[x * 3 + 1] = static_cast<std::uint8_t>(src[1] * k / 255);
        rgb[x * 3 + 2] = static_cast<std::uint8_t>(src[2] * k / 255);
      }
      sink.row(rgb.data());
    }
  }
  return header{w, h, jpeg_orientation(bytes)};
}

} // namespace panel::codec::detail
