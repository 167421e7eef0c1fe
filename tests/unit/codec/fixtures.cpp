#include "fixtures.hpp"

#include <avif/avif.h>
#include <gif_lib.h>
#include <libheif/heif.h>
#include <png.h>
#include <tiffio.h>
#include <turbojpeg.h>
#include <webp/decode.h>
#include <webp/encode.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <csetjmp>
#include <cstring>
#include <stdexcept>

namespace fixtures {

using panel::codec::image_format;

namespace {

void put_le16(bytes& b, std::uint32_t v) {
  b.push_back(static_cast<std::uint8_t>(v));
  b.push_back(static_cast<std::uint8_t>(v >> 8));
}
void put_le24(bytes& b, std::uint32_t v) {
  put_le16(b, v);
  b.push_back(static_cast<std::uint8_t>(v >> 16));
}
void put_le32(bytes& b, std::uint32_t v) {
  put_le16(b, v);
  put_le16(b, v >> 16);
}
void put_be16(bytes& b, std::uint32_t v) {
  b.push_back(static_cast<std::uint8_t>(v >> 8));
  b.push_back(static_cast<std::uint8_t>(v));
}
void put_str(bytes& b, std::string_view s) { b.insert(b.end(), s.begin(), s.end()); }

const std::uint8_t* px(const pixel_image& img, std::uint32_t x, std::uint32_t y) {
  return img.row(y) + std::size_t{x} * img.channels;
}

// Index into the 6x6x6 colour cube.
std::uint8_t cube_index(const std::uint8_t* p) {
  const auto q = [](std::uint8_t v) { return static_cast<std::uint8_t>((v * 5 + 127) / 255); };
  return static_cast<std::uint8_t>(q(p[0]) * 36 + q(p[1]) * 6 + q(p[2]));
}
std::uint8_t cube_level(int i) { return static_cast<std::uint8_t>(i * 51); }

} // namespace

pixel_image pattern(std::uint32_t w, std::uint32_t h, std::uint32_t channels) {
  pixel_image img{w, h, channels, std::vector<std::uint8_t>(std::size_t{w} * h * channels)};
  for (std::uint32_t y = 0; y < h; ++y) {
    for (std::uint32_t x = 0; x < w; ++x) {
      std::uint8_t* p = img.row(y) + std::size_t{x} * channels;
      const bool right = x >= w / 2;
      const bool bottom = y >= h / 2;
      std::uint8_t r = 0, g = 0, b = 0;
      if (!right && !bottom) {
        r = 230;
      } else if (right && !bottom) {
        g = 200;
      } else if (!right && bottom) {
        b = 220;
      } else {
        r = g = b = 240;
      }
      const auto shade = static_cast<std::uint8_t>((x + y) * 20 / (w + h));
      p[0] = static_cast<std::uint8_t>(std::min(255, r + shade));
      p[1] = static_cast<std::uint8_t>(std::min(255, g + shade));
      p[2] = static_cast<std::uint8_t>(std::min(255, b + shade));
      if (channels == 4) {
        p[3] = static_cast<std::uint8_t>(255 - (w > 1 ? x * 191 / (w - 1) : 0));
      }
    }
  }
  return img;
}

pixel_image photo(std::uint32_t w, std::uint32_t h, std::uint32_t seed) {
  pixel_image img{w, h, 3, std::vector<std::uint8_t>(std::size_t{w} * h * 3)};
  std::uint32_t state = seed * 2654435761u + 12345u;
  const double s = seed * 0.7;
  for (std::uint32_t y = 0; y < h; ++y) {
    std::uint8_t* p = img.row(y);
    for (std::uint32_t x = 0; x < w; ++x, p += 3) {
      state = state * 1664525u + 1013904223u;
      const int grain = static_cast<int>((state >> 24) % 17) - 8;
      const double fx = x * 1024.0 / w;
      const double fy = y * 1024.0 / h;
      const double v1 = std::sin(fx / 97.0 + s) * std::cos(fy / 131.0 - s);
      const double v2 = std::sin((fx + fy) / 211.0 + 2 * s);
      const double v3 = std::cos(std::hypot(fx - 512, fy - 400) / 57.0);
      const auto c = [&](double v) { return static_cast<std::uint8_t>(std::clamp(v + grain, 0.0, 255.0)); };
      p[0] = c(128 + 80 * v1 + 30 * v3);
      p[1] = c(110 + 60 * v2 + 40 * v1);
      p[2] = c(100 + 70 * v3 - 20 * v2);
    }
  }
  return img;
}

// ---------------------------------------------------------------- PNG

namespace {

extern "C" void png_fixture_write(png_structp png, png_bytep data, std::size_t n) {
  auto* out = static_cast<bytes*>(png_get_io_ptr(png));
  out->insert(out->end(), data, data + n);
}
extern "C" void png_fixture_flush(png_structp) {}

// Only trivially destructible locals: libpng may longjmp back here.
bool png_write_all(png_structp png, png_infop info, bytes* out, std::uint32_t w, std::uint32_t h, int depth, int color,
                   int interlace, png_colorp palette, int palette_n, png_bytep trns, int trns_n, png_bytepp rows) {
  if (setjmp(png_jmpbuf(png))) {
    return false;
  }
  png_set_write_fn(png, out, png_fixture_write, png_fixture_flush);
  png_set_IHDR(png, info, w, h, depth, color, interlace, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (palette != nullptr) {
    png_set_PLTE(png, info, palette, palette_n);
  }
  if (trns != nullptr) {
    png_set_tRNS(png, info, trns, trns_n, nullptr);
  }
  png_write_info(png, info);
  png_write_image(png, rows);
  png_write_end(png, nullptr);
  return true;
}

} // namespace

bytes png(const pixel_image& img, png_settings s) {
  const std::uint32_t w = img.width;
  const std::uint32_t h = img.height;
  int color = img.channels == 4 ? PNG_COLOR_TYPE_RGBA : PNG_COLOR_TYPE_RGB;
  std::uint32_t out_ch = img.channels;
  if (s.gray) {
    color = PNG_COLOR_TYPE_GRAY;
    out_ch = 1;
  }
  if (s.palette) {
    color = PNG_COLOR_TYPE_PALETTE;
    out_ch = 1;
  }
  const int depth = s.sixteen_bit ? 16 : 8;
  const std::size_t bps = s.sixteen_bit ? 2 : 1;
  std::vector<std::uint8_t> data(std::size_t{w} * h * out_ch * bps);
  std::vector<png_bytep> rows(h);
  for (std::uint32_t y = 0; y < h; ++y) {
    std::uint8_t* row = data.data() + std::size_t{y} * w * out_ch * bps;
    rows[y] = row;
    for (std::uint32_t x = 0; x < w; ++x) {
      const std::uint8_t* p = px(img, x, y);
      std::uint8_t vals[4];
      std::uint32_t n = out_ch;
      if (s.palette) {
        vals[0] = (x < 4 && y < 4) ? 216 : cube_index(p);
      } else if (s.gray) {
        vals[0] = static_cast<std::uint8_t>((p[0] * 299 + p[1] * 587 + p[2] * 114) / 1000);
      } else {
        std::memcpy(vals, p, img.channels);
      }
      for (std::uint32_t c = 0; c < n; ++c) {
        if (s.sixteen_bit) {
          row[(x * n + c) * 2] = vals[c];
          row[(x * n + c) * 2 + 1] = vals[c];
        } else {
          row[x * n + c] = vals[c];
        }
      }
    }
  }
  png_color palette[217];
  for (int i = 0; i < 216; ++i) {
    palette[i] = png_color{cube_level(i / 36), cube_level(i / 6 % 6), cube_level(i % 6)};
  }
  palette[216] = png_color{0, 0, 0};
  std::vector<png_byte> trns(217, 255);
  trns[216] = 0;
  bytes out;
  png_structp pngp = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(pngp);
  const bool ok = png_write_all(pngp, info, &out, w, h, depth, color,
                                s.interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, s.palette ? palette : nullptr,
                                217, s.palette ? trns.data() : nullptr, 217, rows.data());
  png_destroy_write_struct(&pngp, &info);
  if (!ok) {
    throw std::runtime_error("png fixture failed");
  }
  return out;
}

std::size_t png_chunk_offset(const bytes& b, std::string_view type) {
  std::size_t p = 8;
  while (p + 12 <= b.size()) {
    const std::uint32_t len = (b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3];
    if (std::memcmp(b.data() + p + 4, type.data(), 4) == 0) {
      return p;
    }
    p += 12 + len;
  }
  throw std::runtime_error("chunk not found");
}

void png_fix_crc(bytes& b, std::size_t p) {
  const std::uint32_t len = (b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3];
  const uLong crc = crc32(0, b.data() + p + 4, len + 4);
  const std::size_t at = p + 8 + len;
  b[at] = static_cast<std::uint8_t>(crc >> 24);
  b[at + 1] = static_cast<std::uint8_t>(crc >> 16);
  b[at + 2] = static_cast<std::uint8_t>(crc >> 8);
  b[at + 3] = static_cast<std::uint8_t>(crc);
}

// ---------------------------------------------------------------- JPEG

bytes jpeg(const pixel_image& img, int quality, std::uint8_t orientation, bool big_endian) {
  tjhandle tj = tjInitCompress();
  unsigned char* buf = nullptr;
  unsigned long size = 0;
  const int pf = img.channels == 4 ? TJPF_RGBA : TJPF_RGB;
  const int rc = tjCompress2(tj, img.pixels.data(), static_cast<int>(img.width), 0, static_cast<int>(img.height), pf,
                             &buf, &size, TJSAMP_420, quality, 0);
  bytes out(buf, buf + (rc == 0 ? size : 0));
  tjFree(buf);
  tjDestroy(tj);
  if (rc != 0) {
    throw std::runtime_error("jpeg fixture failed");
  }
  if (orientation == 0) {
    return out;
  }
  bytes tiff;
  const auto u16 = [&](std::uint32_t v) { big_endian ? put_be16(tiff, v) : put_le16(tiff, v); };
  const auto u32 = [&](std::uint32_t v) {
    if (big_endian) {
      put_be16(tiff, v >> 16);
      put_be16(tiff, v);
    } else {
      put_le32(tiff, v);
    }
  };
  put_str(tiff, big_endian ? "MM" : "II");
  u16(42);
  u32(8);
  u16(1);          // one entry
  u16(0x0112);     // Orientation
  u16(3);          // SHORT
  u32(1);
  u16(orientation);
  u16(0);
  u32(0);          // no next IFD
  bytes app1{0xFF, 0xE1};
  put_be16(app1, static_cast<std::uint32_t>(2 + 6 + tiff.size()));
  put_str(app1, std::string_view("Exif\0\0", 6));
  app1.insert(app1.end(), tiff.begin(), tiff.end());
  out.insert(out.begin() + 2, app1.begin(), app1.end());
  return out;
}

// ---------------------------------------------------------------- WebP

bytes webp(const pixel_image& img, bool lossless) {
  std::uint8_t* out = nullptr;
  std::size_t size = 0;
  const int w = static_cast<int>(img.width);
  const int h = static_cast<int>(img.height);
  const int stride = static_cast<int>(img.stride());
  if (img.channels == 4) {
    size = lossless ? WebPEncodeLosslessRGBA(img.pixels.data(), w, h, stride, &out)
                    : WebPEncodeRGBA(img.pixels.data(), w, h, stride, 90, &out);
  } else {
    size = lossless ? WebPEncodeLosslessRGB(img.pixels.data(), w, h, stride, &out)
                    : WebPEncodeRGB(img.pixels.data(), w, h, stride, 90, &out);
  }
  bytes b(out, out + size);
  WebPFree(out);
  if (size == 0) {
    throw std::runtime_error("webp fixture failed");
  }
  return b;
}

bytes webp_animated(const pixel_image& frame) {
  const bytes still = webp(frame, true);
  // A simple lossless file is RIFF, size, WEBP, then one VP8L chunk.
  const bytes vp8l(still.begin() + 12, still.end());
  const std::uint32_t w = frame.width;
  const std::uint32_t h = frame.height;
  bytes body;
  put_str(body, "WEBP");
  put_str(body, "VP8X");
  put_le32(body, 10);
  body.push_back(0x02 | (frame.channels == 4 ? 0x10 : 0));
  put_le24(body, 0);
  put_le24(body, w - 1);
  put_le24(body, h - 1);
  put_str(body, "ANIM");
  put_le32(body, 6);
  put_le32(body, 0xFFFFFFFF);
  put_le16(body, 0);
  for (int i = 0; i < 2; ++i) {
    put_str(body, "ANMF");
    put_le32(body, static_cast<std::uint32_t>(16 + vp8l.size()));
    put_le24(body, 0);
    put_le24(body, 0);
    put_le24(body, w - 1);
    put_le24(body, h - 1);
    put_le24(body, 100);
    body.push_back(0);
    body.insert(body.end(), vp8l.begin(), vp8l.end());
  }
  bytes out;
  put_str(out, "RIFF");
  put_le32(out, static_cast<std::uint32_t>(body.size()));
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

pixel_image decode_webp_rgba(const bytes& b, bool* has_alpha) {
  WebPBitstreamFeatures f;
  if (WebPGetFeatures(b.data(), b.size(), &f) != VP8_STATUS_OK) {
    throw std::runtime_error("not a webp");
  }
  if (has_alpha != nullptr) {
    *has_alpha = f.has_alpha != 0;
  }
  int w = 0;
  int h = 0;
  std::uint8_t* rgba = WebPDecodeRGBA(b.data(), b.size(), &w, &h);
  if (rgba == nullptr) {
    throw std::runtime_error("webp decode failed");
  }
  pixel_image img{static_cast<std::uint32_t>(w), static_cast<std::uint32_t>(h), 4,
                  std::vector<std::uint8_t>(rgba, rgba + std::size_t(w) * h * 4)};
  WebPFree(rgba);
  return img;
}

double mean_abs_diff(const pixel_image& a, const pixel_image& b) {
  if (a.width != b.width || a.height != b.height) {
    return 1e9;
  }
  const std::uint32_t c = std::min<std::uint32_t>(3, std::min(a.channels, b.channels));
  double total = 0;
  for (std::uint32_t y = 0; y < a.height; ++y) {
    for (std::uint32_t x = 0; x < a.width; ++x) {
      for (std::uint32_t k = 0; k < c; ++k) {
        total += std::abs(int(px(a, x, y)[k]) - int(px(b, x, y)[k]));
      }
    }
  }
  return total / (double(a.width) * a.height * c);
}

} // namespace fixtures
