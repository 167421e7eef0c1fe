// TIFF through libtiff reading from memory. Errors go to a per-handle handler
// (libtiff 4.5 open options), never to stderr; libtiff does not longjmp.
// Only the first directory (page) is decoded.

#include <tiffio.h>

#include <cstdarg>
#include <cstdio>
#include <cstring>

#include "codec/decoder.hpp"

namespace panel::codec::detail {

namespace {

// libtiff's own strip/tile buffers are capped too (a small file can declare a
// huge single strip).
constexpr tmsize_t max_single_alloc = tmsize_t{256} << 20;

struct tiff_input {
  byte_view data;
  toff_t pos = 0;
  char message[192] = {};
};

extern "C" tmsize_t tiff_read(thandle_t h, void* buf, tmsize_t n) {
  auto* in = static_cast<tiff_input*>(h);
  if (n <= 0 || in->pos >= in->data.size()) {
    return 0;
  }
  const std::size_t got = std::min<std::size_t>(static_cast<std::size_t>(n), in->data.size() - in->pos);
  std::memcpy(buf, in->data.data() + in->pos, got);
  in->pos += got;
  return static_cast<tmsize_t>(got);
}

extern "C" tmsize_t tiff_write(thandle_t, void*, tmsize_t) { return 0; }

extern "C" toff_t tiff_seek(thandle_t h, toff_t off, int whence) {
  auto* in = static_cast<tiff_input*>(h);
  toff_t base = 0;
  if (whence == SEEK_CUR) {
    base = in->pos;
  } else if (whence == SEEK_END) {
    base = in->data.size();
  }
  if (off > UINT64_MAX - base) {
    return static_cast<toff_t>(-1);
  }
  in->pos = base + off;
  return in->pos;
}

extern "C" int tiff_close(thandle_t) { return 0; }

extern "C" toff_t tiff_size(thandle_t h) { return static_cast<tiff_input*>(h)->data.size(); }

extern "C" int tiff_map(thandle_t h, void** base, toff_t* size) {
  auto* in = static_cast<tiff_input*>(h);
  // Read-only mode: libtiff reads straight from our buffer and never writes.
  *base = const_cast<std::uint8_t*>(in->data.data());
  *size = in->data.size();
  return 1;
}

extern "C" void tiff_unmap(thandle_t, void*, toff_t) {}

extern "C" int tiff_on_error(TIFF*, void* user, const char* module, const char* fmt, va_list ap) {
  auto* in = static_cast<tiff_input*>(user);
  if (in->message[0] == '\0') {
    char text[160];
    std::vsnprintf(text, sizeof text, fmt, ap);
    std::snprintf(in->message, sizeof in->message, "%s: %s", module != nullptr ? module : "tiff", text);
  }
  return 1; // handled: nothing reaches the global handler (stderr)
}

extern "C" int tiff_on_warning(TIFF*, void*, const char*, const char*, va_list) { return 1; }

struct tiff_options {
  TIFFOpenOptions* opts = TIFFOpenOptionsAlloc();
  tiff_options(const tiff_options&) = delete;
  tiff_options& operator=(const tiff_options&) = delete;
  tiff_options() = default;
  ~tiff_options() { TIFFOpenOptionsFree(opts); }
};

struct tiff_handle {
  TIFF* tif = nullptr;
  tiff_handle() = default;
  tiff_handle(const tiff_handle&) = delete;
  tiff_handle& operator=(const tiff_handle&) = delete;
  ~tiff_handle() {
    if (tif != nullptr) {
      TIFFClose(tif);
    }
  }
};

struct rgba_image {
  TIFFRGBAImage img{};
  bool begun = false;
  rgba_image() = default;
  rgba_image(const rgba_image&) = delete;
  rgba_image& operator=(const rgba_image&) = delete;
  ~rgba_image() {
    if (begun) {
      TIFFRGBAImageEnd(&img);
    }
  }
};

panel::error tiff_error(const tiff_input& in, const char* fallback) {
  return not_decodable(image_format::tiff, in.message[0] != '\0' ? in.message : fallback);
}

} // namespace

expected<header> decode_tiff(byte_view bytes, const decode_options& options, row_sink& sink) {
  tiff_input in{bytes};
  tiff_options opts;
  if (opts.opts == nullptr) {
    return fail(errc::internal, "libtiff initialisation failed");
  }
  TIFFOpenOptionsSetMaxSingleMemAlloc(opts.opts, max_single_alloc);
  TIFFOpenOptionsSetErrorHandlerExtR(opts.opts, tiff_on_error, &in);
  TIFFOpenOptionsSetWarningHandlerExtR(opts.opts, tiff_on_warning, &in);
  tiff_handle t;
  t.tif = TIFFClientOpenExt("memory", "rm", &in, tiff_read, tiff_write, tiff_seek, tiff_close, tiff_size,
                            tiff_map, tiff_unmap, opts.opts);
  if (t.tif == nullptr) {
    return tl::unexpected(tiff_error(in, "cannot open"));
  }
  std::uint32_t w = 0;
  std::uint32_t h = 0;
  if (TIFFGetField(t.tif, TIFFTAG_IMAGEWIDTH, &w) != 1 || TIFFGetField(t.tif, TIFFTAG_IMAGELENGTH, &h) != 1) {
    return tl::unexpected(tiff_error(in, "no image dimensions"));
  }
  if (auto ok = check_dimensions(w, h, options.max_pixels); !ok) {
    return tl::unexpected(ok.error());
  }
  std::uint16_t orientation = ORIENTATION_TOPLEFT;
  TIFFGetFieldDefaulted(t.tif, TIFFTAG_ORIENTATION, &orientation);
  char emsg[1024] = {};
  if (TIFFRGBAImageOK(t.tif, emsg) == 0) {
    return tl::unexpected(not_decodable(image_format::tiff, emsg));
  }
  rgba_image rgba;
  if (TIFFRGBAImageBegin(&rgba.img, t.tif, 1, emsg) == 0) {
    return tl::unexpected(not_decodable(image_format::tiff, emsg));
  }
  rgba.begun = true;
  // Ask for the stored row order (no flips); the orientation is applied by
  // the caller like an EXIF orientation (TIFF defined those values first).
  rgba.img.req_orientation = rgba.img.orientation;
  std::vector<std::uint32_t> raster(std::size_t{w} * h);
  if (TIFFRGBAImageGet(&rgba.img, raster.data(), w, h) == 0) {
    return tl::unexpected(tiff_error(in, "pixel data does not decode"));
  }
  const bool alpha = rgba.img.alpha != 0;
  const std::uint32_t channels = alpha ? 4 : 3;
  sink.begin(raster_shape{w, h, channels, w, h});
  std::vector<std::uint8_t> line(std::size_t{w} * channels);
  for (std::uint32_t y = 0; y < h; ++y) {
    const std::uint32_t* src = raster.data() + std::size_t{y} * w;
    std::uint8_t* out = line.data();
    for (std::uint32_t x = 0; x < w; ++x, out += channels) {
      const std::uint32_t p = src[x];
      const unsigned r = TIFFGetR(p);
      const unsigned g = TIFFGetG(p);
      const unsigned b = TIFFGetB(p);
      if (!alpha) {
        out[0] = static_cast<std::uint8_t>(r);
        out[1] = static_cast<std::uint8_t>(g);
        out[2] = static_cast<std::uint8_t>(b);
        continue;
      }
      // libtiff hands out premultiplied (associated) alpha; undo it.
      const unsigned a = TIFFGetA(p);
      const auto un = [a](unsigned v) { return static_cast<std::uint8_t>(a == 0 ? 0 : std::min(255u, (v * 255 + a / 2) / a)); };
      out[0] = un(r);
      out[1] = un(g);
      out[2] = un(b);
      out[3] = static_cast<std::uint8_t>(a);
    }
    sink.row(line.data());
  }
  const auto o = static_cast<std::uint8_t>(orientation >= 1 && orientation <= 8 ? orientation : 1);
  return header{w, h, o};
}

} // namespace panel::codec::detail
