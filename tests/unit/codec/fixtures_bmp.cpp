// Hand-written BMP and ICO encoders, and the every-format sample list.

#include <cstring>
#include <stdexcept>

#include "fixtures.hpp"

namespace fixtures {

using panel::codec::image_format;

namespace {

void put_le16(bytes& b, std::uint32_t v) {
  b.push_back(static_cast<std::uint8_t>(v));
  b.push_back(static_cast<std::uint8_t>(v >> 8));
}
void put_le32(bytes& b, std::uint32_t v) {
  put_le16(b, v);
  put_le16(b, v >> 16);
}
const std::uint8_t* px(const pixel_image& img, std::uint32_t x, std::uint32_t y) {
  return img.row(y) + std::size_t{x} * img.channels;
}
std::uint8_t cube_index(const std::uint8_t* p) {
  const auto q = [](std::uint8_t v) { return static_cast<std::uint8_t>((v * 5 + 127) / 255); };
  return static_cast<std::uint8_t>(q(p[0]) * 36 + q(p[1]) * 6 + q(p[2]));
}
std::uint8_t cube_level(int i) { return static_cast<std::uint8_t>(i * 51); }

constexpr std::uint8_t pal16[16][3] = {{0, 0, 0},     {230, 0, 0},   {0, 200, 0},   {0, 0, 220},
                                       {240, 240, 240}, {128, 128, 128}, {255, 255, 0}, {0, 255, 255},
                                       {255, 0, 255}, {64, 64, 64},  {192, 192, 192}, {128, 0, 0},
                                       {0, 128, 0},   {0, 0, 128},   {128, 128, 0}, {0, 128, 128}};

std::uint8_t nearest16(const std::uint8_t* p) {
  int best = 0;
  int best_d = 1 << 30;
  for (int i = 0; i < 16; ++i) {
    const int d = std::abs(p[0] - pal16[i][0]) + std::abs(p[1] - pal16[i][1]) + std::abs(p[2] - pal16[i][2]);
    if (d < best_d) {
      best = i;
      best_d = d;
    }
  }
  return static_cast<std::uint8_t>(best);
}

// BITMAPINFOHEADER (or V4 when `v4`), returns the header bytes.
bytes info_header(std::int32_t w, std::int32_t h, int bpp, std::uint32_t compression, std::uint32_t colors, bool v4) {
  bytes b;
  put_le32(b, v4 ? 108 : 40);
  put_le32(b, static_cast<std::uint32_t>(w));
  put_le32(b, static_cast<std::uint32_t>(h));
  put_le16(b, 1);
  put_le16(b, static_cast<std::uint32_t>(bpp));
  put_le32(b, compression);
  put_le32(b, 0);
  put_le32(b, 2835);
  put_le32(b, 2835);
  put_le32(b, colors);
  put_le32(b, 0);
  if (v4) {
    put_le32(b, 0x00FF0000);
    put_le32(b, 0x0000FF00);
    put_le32(b, 0x000000FF);
    put_le32(b, 0xFF000000);
    put_le32(b, 0x73524742); // 'sRGB'
    b.resize(108, 0);
  }
  return b;
}

} // namespace

bytes bmp(const pixel_image& img, bmp_kind kind) {
  const std::uint32_t w = img.width;
  const std::uint32_t h = img.height;
  int bpp = 24;
  std::uint32_t compression = 0;
  bytes palette;
  switch (kind) {
  case bmp_kind::bgra32_bitfields: bpp = 32; compression = 3; break;
  case bmp_kind::pal8:
  case bmp_kind::rle8:
    bpp = 8;
    compression = kind == bmp_kind::rle8 ? 1 : 0;
    for (int i = 0; i < 256; ++i) {
      const int j = i < 216 ? i : 0;
      palette.insert(palette.end(), {cube_level(j % 6), cube_level(j / 6 % 6), cube_level(j / 36), 0});
    }
    break;
  case bmp_kind::pal4:
    bpp = 4;
    for (const auto& c : pal16) {
      palette.insert(palette.end(), {c[2], c[1], c[0], 0});
    }
    break;
  case bmp_kind::pal1:
    bpp = 1;
    palette = {0, 0, 0, 0, 255, 255, 255, 0};
    break;
  case bmp_kind::rgb16: bpp = 16; break;
  default: break;
  }
  const bool top_down = kind == bmp_kind::top_down24;
  const std::size_t stride = (std::size_t{w} * bpp + 31) / 32 * 4;
  bytes pixels;
  for (std::uint32_t i = 0; i < h; ++i) {
    const std::uint32_t y = top_down ? i : h - 1 - i;
    if (kind == bmp_kind::rle8) {
      std::uint32_t x = 0;
      while (x < w) {
        const std::uint8_t v = cube_index(px(img, x, y));
        std::uint32_t n = 1;
        while (x + n < w && n < 255 && cube_index(px(img, x + n, y)) == v) {
          ++n;
        }
        pixels.push_back(static_cast<std::uint8_t>(n));
        pixels.push_back(v);
        x += n;
      }
      pixels.insert(pixels.end(), {0, 0});
      continue;
    }
    bytes row(stride, 0);
    for (std::uint32_t x = 0; x < w; ++x) {
      const std::uint8_t* p = px(img, x, y);
      switch (bpp) {
      case 32:
        row[x * 4] = p[2], row[x * 4 + 1] = p[1], row[x * 4 + 2] = p[0];
        row[x * 4 + 3] = img.channels == 4 ? p[3] : 255;
        break;
      case 24: row[x * 3] = p[2], row[x * 3 + 1] = p[1], row[x * 3 + 2] = p[0]; break;
      case 16: {
        const std::uint32_t v = ((p[0] >> 3) << 10) | ((p[1] >> 3) << 5) | (p[2] >> 3);
        row[x * 2] = static_cast<std::uint8_t>(v), row[x * 2 + 1] = static_cast<std::uint8_t>(v >> 8);
        break;
      }
      case 8: row[x] = cube_index(p); break;
      case 4: row[x / 2] |= static_cast<std::uint8_t>(nearest16(p) << (x % 2 == 0 ? 4 : 0)); break;
      case 1:
        if (p[0] + p[1] + p[2] > 384) {
          row[x / 8] |= static_cast<std::uint8_t>(0x80 >> (x % 8));
        }
        break;
      default: break;
      }
    }
    pixels.insert(pixels.end(), row.begin(), row.end());
  }
  if (kind == bmp_kind::rle8) {
    pixels.insert(pixels.end(), {0, 1});
  }
  const bool v4 = kind == bmp_kind::bgra32_bitfields;
  const bytes info = info_header(static_cast<std::int32_t>(w), top_down ? -static_cast<std::int32_t>(h) : static_cast<std::int32_t>(h),
                                 bpp, compression, static_cast<std::uint32_t>(palette.size() / 4), v4);
  bytes out{'B', 'M'};
  const std::uint32_t offset = static_cast<std::uint32_t>(14 + info.size() + palette.size());
  put_le32(out, static_cast<std::uint32_t>(offset + pixels.size()));
  put_le32(out, 0);
  put_le32(out, offset);
  out.insert(out.end(), info.begin(), info.end());
  out.insert(out.end(), palette.begin(), palette.end());
  out.insert(out.end(), pixels.begin(), pixels.end());
  return out;
}

bytes ico(const pixel_image& img, ico_kind kind) {
  const std::uint32_t w = img.width;
  const std::uint32_t h = img.height;
  bytes image;
  int bpp = 32;
  if (kind == ico_kind::png_inside) {
    image = png(img);
  } else {
    bpp = kind == ico_kind::dib32 ? 32 : 8;
    image = info_header(static_cast<std::int32_t>(w), static_cast<std::int32_t>(h * 2), bpp, 0, bpp == 8 ? 256 : 0, false);
    if (bpp == 8) {
      for (int i = 0; i < 256; ++i) {
        const int j = i < 216 ? i : 0;
        image.insert(image.end(), {cube_level(j % 6), cube_level(j / 6 % 6), cube_level(j / 36), 0});
      }
    }
    const std::size_t stride = (std::size_t{w} * bpp + 31) / 32 * 4;
    for (std::uint32_t i = 0; i < h; ++i) {
      const std::uint32_t y = h - 1 - i;
      bytes row(stride, 0);
      for (std::uint32_t x = 0; x < w; ++x) {
        const std::uint8_t* p = px(img, x, y);
        if (bpp == 32) {
          row[x * 4] = p[2], row[x * 4 + 1] = p[1], row[x * 4 + 2] = p[0];
          row[x * 4 + 3] = img.channels == 4 ? p[3] : 255;
        } else {
          row[x] = cube_index(p);
        }
      }
      image.insert(image.end(), row.begin(), row.end());
    }
    const std::size_t mask_stride = (std::size_t{w} + 31) / 32 * 4;
    for (std::uint32_t i = 0; i < h; ++i) {
      const std::uint32_t y = h - 1 - i;
      bytes row(mask_stride, 0);
      for (std::uint32_t x = 0; x < w && bpp == 8; ++x) {
        if (x < 4 && y < 4) {
          row[x / 8] |= static_cast<std::uint8_t>(0x80 >> (x % 8)); // transparent
        }
      }
      image.insert(image.end(), row.begin(), row.end());
    }
  }
  bytes out;
  put_le16(out, 0);
  put_le16(out, 1);
  put_le16(out, 1);
  out.push_back(static_cast<std::uint8_t>(w >= 256 ? 0 : w));
  out.push_back(static_cast<std::uint8_t>(h >= 256 ? 0 : h));
  out.push_back(0);
  out.push_back(0);
  put_le16(out, 1);
  put_le16(out, static_cast<std::uint32_t>(bpp));
  put_le32(out, static_cast<std::uint32_t>(image.size()));
  put_le32(out, 22);
  out.insert(out.end(), image.begin(), image.end());
  return out;
}

std::vector<sample> every_format(std::uint32_t w, std::uint32_t h) {
  const pixel_image rgb = pattern(w, h, 3);
  const pixel_image rgba = pattern(w, h, 4);
  using F = image_format;
  std::vector<sample> s;
  s.push_back({"png rgb", F::png, png(rgb), false});
  s.push_back({"png rgba", F::png, png(rgba), true});
  s.push_back({"png interlaced", F::png, png(rgba, {.interlaced = true}), true});
  s.push_back({"png palette+tRNS", F::png, png(rgb, {.palette = true}), true});
  s.push_back({"png gray16", F::png, png(rgb, {.sixteen_bit = true, .gray = true}), false});
  s.push_back({"jpeg", F::jpeg, jpeg(rgb), false});
  s.push_back({"webp lossy", F::webp, webp(rgb), false});
  s.push_back({"webp lossless rgba", F::webp, webp(rgba, true), true});
  s.push_back({"webp animated", F::webp, webp_animated(rgba), true});
  s.push_back({"gif", F::gif, gif(rgb), false});
  s.push_back({"gif animated interlaced", F::gif, gif(rgb, 3, true, true), true});
  s.push_back({"tiff lzw", F::tiff, tiff(rgb), false});
  s.push_back({"tiff rgba raw", F::tiff, tiff(rgba, 1, false), true});
  s.push_back({"avif", F::avif, avif(rgb), false});
  s.push_back({"avif rgba", F::avif, avif(rgba), true});
  s.push_back({"heif", F::heif, heif(rgb), false});
  s.push_back({"heif rgba", F::heif, heif(rgba), true});
  s.push_back({"bmp 24", F::bmp, bmp(rgb, bmp_kind::rgb24), false});
  s.push_back({"bmp 24 top-down", F::bmp, bmp(rgb, bmp_kind::top_down24), false});
  s.push_back({"bmp 32 bitfields", F::bmp, bmp(rgba, bmp_kind::bgra32_bitfields), true});
  s.push_back({"bmp 16", F::bmp, bmp(rgb, bmp_kind::rgb16), false});
  s.push_back({"bmp pal8", F::bmp, bmp(rgb, bmp_kind::pal8), false});
  s.push_back({"bmp pal4", F::bmp, bmp(rgb, bmp_kind::pal4), false});
  s.push_back({"bmp pal1", F::bmp, bmp(rgb, bmp_kind::pal1), false});
  s.push_back({"bmp rle8", F::bmp, bmp(rgb, bmp_kind::rle8), false});
  s.push_back({"ico png", F::ico, ico(rgba, ico_kind::png_inside), true});
  s.push_back({"ico dib32", F::ico, ico(rgba, ico_kind::dib32), true});
  s.push_back({"ico dib8 mask", F::ico, ico(rgb, ico_kind::dib8_mask), true});
  return s;
}

} // namespace fixtures
