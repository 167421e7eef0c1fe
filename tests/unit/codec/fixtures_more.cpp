// Fixtures for the formats beyond the core three: GIF, TIFF, AVIF, HEIF, and
// the hand-written BMP and ICO encoders.

#include <avif/avif.h>
#include <gif_lib.h>
#include <libheif/heif.h>
#include <tiffio.h>

#include <cstring>
#include <stdexcept>

#include "fixtures.hpp"

namespace fixtures {

using panel::codec::image_format;

namespace {

const std::uint8_t* px(const pixel_image& img, std::uint32_t x, std::uint32_t y) {
  return img.row(y) + std::size_t{x} * img.channels;
}
std::uint8_t cube_index(const std::uint8_t* p) {
  const auto q = [](std::uint8_t v) { return static_cast<std::uint8_t>((v * 5 + 127) / 255); };
  return static_cast<std::uint8_t>(q(p[0]) * 36 + q(p[1]) * 6 + q(p[2]));
}
std::uint8_t cube_level(int i) { return static_cast<std::uint8_t>(i * 51); }

extern "C" int gif_fixture_write(GifFileType* gif, const GifByteType* data, int n) {
  auto* out = static_cast<bytes*>(gif->UserData);
  out->insert(out->end(), data, data + n);
  return n;
}

} // namespace

bytes gif(const pixel_image& img, int frames, bool interlaced, bool transparent_corner) {
  bytes out;
  int err = 0;
  GifFileType* g = EGifOpen(&out, gif_fixture_write, &err);
  GifColorType colors[256] = {};
  for (int i = 0; i < 216; ++i) {
    colors[i] = GifColorType{cube_level(i / 36), cube_level(i / 6 % 6), cube_level(i % 6)};
  }
  ColorMapObject* map = GifMakeMapObject(256, colors);
  const int w = static_cast<int>(img.width);
  const int h = static_cast<int>(img.height);
  bool ok = g != nullptr && EGifPutScreenDesc(g, w, h, 8, 0, map) == GIF_OK;
  std::vector<GifPixelType> line(img.width);
  static constexpr int start[] = {0, 4, 2, 1};
  static constexpr int step[] = {8, 8, 4, 2};
  for (int f = 0; ok && f < frames; ++f) {
    if (transparent_corner) {
      GifByteType gce[4] = {0x01, 10, 0, 216};
      ok = EGifPutExtension(g, GRAPHICS_EXT_FUNC_CODE, 4, gce) == GIF_OK;
    }
    ok = ok && EGifPutImageDesc(g, 0, 0, w, h, interlaced, nullptr) == GIF_OK;
    for (int pass = 0; ok && pass < (interlaced ? 4 : 1); ++pass) {
      for (int y = interlaced ? start[pass] : 0; ok && y < h; y += interlaced ? step[pass] : 1) {
        for (int x = 0; x < w; ++x) {
          const bool hole = transparent_corner && x < 4 && y < 4;
          line[x] = hole ? 216 : cube_index(px(img, x, y));
        }
        ok = EGifPutLine(g, line.data(), w) == GIF_OK;
      }
    }
  }
  if (g != nullptr) {
    ok = EGifCloseFile(g, &err) == GIF_OK && ok;
  }
  GifFreeMapObject(map);
  if (!ok) {
    throw std::runtime_error("gif fixture failed");
  }
  return out;
}

namespace {

struct mem_stream {
  bytes data;
  toff_t pos = 0;
};
extern "C" tmsize_t tiff_fx_read(thandle_t h, void* buf, tmsize_t n) {
  auto* s = static_cast<mem_stream*>(h);
  const std::size_t got = s->pos >= s->data.size() ? 0 : std::min<std::size_t>(n, s->data.size() - s->pos);
  std::memcpy(buf, s->data.data() + s->pos, got);
  s->pos += got;
  return static_cast<tmsize_t>(got);
}
extern "C" tmsize_t tiff_fx_write(thandle_t h, void* buf, tmsize_t n) {
  auto* s = static_cast<mem_stream*>(h);
  if (s->pos + n > s->data.size()) {
    s->data.resize(s->pos + n);
  }
  std::memcpy(s->data.data() + s->pos, buf, n);
  s->pos += n;
  return n;
}
extern "C" toff_t tiff_fx_seek(thandle_t h, toff_t off, int whence) {
  auto* s = static_cast<mem_stream*>(h);
  s->pos = (whence == SEEK_SET ? 0 : whence == SEEK_CUR ? s->pos : s->data.size()) + off;
  return s->pos;
}
extern "C" int tiff_fx_close(thandle_t) { return 0; }
extern "C" toff_t tiff_fx_size(thandle_t h) { return static_cast<mem_stream*>(h)->data.size(); }
extern "C" int tiff_fx_map(thandle_t, void**, toff_t*) { return 0; }
extern "C" void tiff_fx_unmap(thandle_t, void*, toff_t) {}

} // namespace

bytes tiff(const pixel_image& img, std::uint16_t orientation, bool lzw) {
  mem_stream s;
  TIFF* t = TIFFClientOpen("fixture", "w", &s, tiff_fx_read, tiff_fx_write, tiff_fx_seek, tiff_fx_close, tiff_fx_size,
                           tiff_fx_map, tiff_fx_unmap);
  if (t == nullptr) {
    throw std::runtime_error("tiff fixture open failed");
  }
  TIFFSetField(t, TIFFTAG_IMAGEWIDTH, img.width);
  TIFFSetField(t, TIFFTAG_IMAGELENGTH, img.height);
  TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 8);
  TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, img.channels);
  TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB);
  TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  TIFFSetField(t, TIFFTAG_COMPRESSION, lzw ? COMPRESSION_LZW : COMPRESSION_NONE);
  TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, 8);
  TIFFSetField(t, TIFFTAG_ORIENTATION, orientation);
  if (img.channels == 4) {
    std::uint16_t extra = EXTRASAMPLE_UNASSALPHA;
    TIFFSetField(t, TIFFTAG_EXTRASAMPLES, 1, &extra);
  }
  std::vector<std::uint8_t> row(img.stride());
  bool ok = true;
  for (std::uint32_t y = 0; y < img.height && ok; ++y) {
    std::memcpy(row.data(), img.row(y), row.size());
    ok = TIFFWriteScanline(t, row.data(), y, 0) == 1;
  }
  TIFFClose(t);
  if (!ok) {
    throw std::runtime_error("tiff fixture write failed");
  }
  return s.data;
}

bytes avif(const pixel_image& img) {
  avifImage* im = avifImageCreate(img.width, img.height, 8, AVIF_PIXEL_FORMAT_YUV444);
  avifRGBImage rgb;
  avifRGBImageSetDefaults(&rgb, im);
  rgb.format = img.channels == 4 ? AVIF_RGB_FORMAT_RGBA : AVIF_RGB_FORMAT_RGB;
  rgb.depth = 8;
  rgb.pixels = const_cast<std::uint8_t*>(img.pixels.data());
  rgb.rowBytes = static_cast<std::uint32_t>(img.stride());
  avifResult r = avifImageRGBToYUV(im, &rgb);
  avifEncoder* enc = avifEncoderCreate();
  enc->speed = AVIF_SPEED_FASTEST;
  enc->maxThreads = 1;
  enc->minQuantizer = enc->maxQuantizer = 8;
  enc->minQuantizerAlpha = enc->maxQuantizerAlpha = 0;
  avifRWData out = AVIF_DATA_EMPTY;
  if (r == AVIF_RESULT_OK) {
    r = avifEncoderWrite(enc, im, &out);
  }
  bytes b(out.data, out.data + (r == AVIF_RESULT_OK ? out.size : 0));
  avifRWDataFree(&out);
  avifEncoderDestroy(enc);
  avifImageDestroy(im);
  if (r != AVIF_RESULT_OK) {
    throw std::runtime_error(std::string("avif fixture failed: ") + avifResultToString(r));
  }
  return b;
}

namespace {
extern "C" heif_error heif_fx_write(heif_context*, const void* data, size_t size, void* user) {
  auto* out = static_cast<bytes*>(user);
  const auto* p = static_cast<const std::uint8_t*>(data);
  out->insert(out->end(), p, p + size);
  return heif_error{heif_error_Ok, heif_suberror_Unspecified, "ok"};
}
} // namespace

// x265 (behind libheif's HEVC encoder, used only to make fixtures) keeps a few
// process-wide allocations it never frees; LeakSanitizer reads this hook in
// sanitizer builds. Nothing of ours is suppressed.
extern "C" const char* __lsan_default_suppressions() { return "leak:libx265.so\n"; }

bytes heif(const pixel_image& img) {
  heif_init(nullptr);
  heif_context* ctx = heif_context_alloc();
  heif_encoder* enc = nullptr;
  heif_image* im = nullptr;
  heif_image_handle* handle = nullptr;
  bytes out;
  bool ok = heif_context_get_encoder_for_format(ctx, heif_compression_HEVC, &enc).code == heif_error_Ok;
  const bool alpha = img.channels == 4;
  ok = ok && heif_encoder_set_lossy_quality(enc, 90).code == heif_error_Ok;
  ok = ok && heif_image_create(static_cast<int>(img.width), static_cast<int>(img.height), heif_colorspace_RGB,
                               alpha ? heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB, &im)
                     .code == heif_error_Ok;
  ok = ok && heif_image_add_plane(im, heif_channel_interleaved, static_cast<int>(img.width),
                                  static_cast<int>(img.height), 8)
                     .code == heif_error_Ok;
  if (ok) {
    int stride = 0;
    std::uint8_t* plane = heif_image_get_plane(im, heif_channel_interleaved, &stride);
    for (std::uint32_t y = 0; y < img.height; ++y) {
      std::memcpy(plane + std::size_t(y) * stride, img.row(y), img.stride());
    }
    ok = heif_context_encode_image(ctx, im, enc, nullptr, &handle).code == heif_error_Ok;
  }
  heif_writer writer{1, heif_fx_write};
  ok = ok && heif_context_write(ctx, &writer, &out).code == heif_error_Ok;
  if (handle != nullptr) {
    heif_image_handle_release(handle);
  }
  if (im != nullptr) {
    heif_image_release(im);
  }
  if (enc != nullptr) {
    heif_encoder_release(enc);
  }
  heif_context_free(ctx);
  if (!ok) {
    throw std::runtime_error("heif fixture failed");
  }
  return out;
}

} // namespace fixtures
