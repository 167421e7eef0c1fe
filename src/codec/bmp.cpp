// BMP and the DIBs inside ICO, parsed by hand: every offset and length is
// checked against the buffer before it is read. Supported: 1/4/8-bit palette,
// 16/24/32-bit (BI_RGB and BI_BITFIELDS), RLE8 and RLE4; top-down and
// bottom-up; ICO's AND mask and 32-bit alpha. Rows are produced one at a time
// (RLE needs an index plane, since deltas jump around).

#include <bit>
#include <cstring>

#include "codec/decoder.hpp"

namespace panel::codec::detail {

namespace {

constexpr std::uint32_t bi_rgb = 0;
constexpr std::uint32_t bi_rle8 = 1;
constexpr std::uint32_t bi_rle4 = 2;
constexpr std::uint32_t bi_bitfields = 3;
constexpr std::uint32_t bi_alphabitfields = 6;

std::uint32_t le16(const std::uint8_t* p) { return p[0] | (p[1] << 8); }
std::uint32_t le32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8) | (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[3]} << 24);
}

struct channel_mask {
  std::uint32_t mask = 0;
  std::uint32_t shift = 0;
  std::uint32_t bits = 0;

  explicit channel_mask(std::uint32_t m = 0) : mask(m) {
    if (m != 0) {
      shift = static_cast<std::uint32_t>(std::countr_zero(m));
      bits = static_cast<std::uint32_t>(std::countr_one(m >> shift));
    }
  }
  [[nodiscard]] std::uint8_t extract(std::uint32_t px) const {
    if (bits == 0) {
      return 0;
    }
    const std::uint32_t used = std::min<std::uint32_t>(bits, 32);
    const std::uint32_t v = (px >> shift) & (used >= 32 ? 0xFFFFFFFFu : (1u << used) - 1);
    if (used >= 8) {
      return static_cast<std::uint8_t>(v >> (used - 8));
    }
    return static_cast<std::uint8_t>(v * 255 / ((1u << used) - 1));
  }
};

struct dib_layout {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  bool top_down = false;
  std::uint32_t bpp = 0;
  std::uint32_t compression = bi_rgb;
  channel_mask r, g, b, a;
  std::uint32_t palette[256] = {};  // 0x00RRGGBB
  std::uint32_t colors = 0;
  byte_view pixels;                 // colour data (XOR image for ICO)
  byte_view and_mask;               // ICO only: 1-bit transparency rows
  std::size_t stride = 0;
  bool alpha = false;
};

panel::error bmp_error(bool ico, std::string_view what) {
  return not_decodable(ico ? image_format::ico : image_format::bmp, what);
}

std::size_t row_stride(std::uint64_t width, std::uint32_t bpp) { return static_cast<std::size_t>((width * bpp + 31) / 32 * 4); }

// Parses the DIB header, masks and palette at dib[0..]; `data` is where the
// colour data starts (given by the file header for BMP, right after the
// palette for ICO when data_offset is 0).
expected<dib_layout> parse_dib(byte_view dib, std::size_t data_offset, bool ico, std::uint64_t max_pixels) {
  dib_layout L;
  if (dib.size() < 12) {
    return tl::unexpected(bmp_error(ico, "truncated header"));
  }
  const std::uint32_t hsize = le32(dib.data());
  if (hsize < 12 || hsize > dib.size()) {
    return tl::unexpected(bmp_error(ico, "truncated or invalid header"));
  }
  std::int64_t height = 0;
  if (hsize == 12) {
    L.width = le16(dib.data() + 4);
    height = le16(dib.data() + 6);
    L.bpp = le16(dib.data() + 10);
  } else {
    if (hsize < 16) {
      return tl::unexpected(bmp_error(ico, "invalid header size"));
    }
    const auto w = static_cast<std::int32_t>(le32(dib.data() + 4));
    if (w <= 0) {
      return tl::unexpected(check_dimensions(0, 0, max_pixels).error());
    }
    L.width = static_cast<std::uint32_t>(w);
    height = static_cast<std::int32_t>(le32(dib.data() + 8));
    L.bpp = le16(dib.data() + 14);
    L.compression = hsize >= 20 ? le32(dib.data() + 16) : bi_rgb;
    L.colors = hsize >= 36 ? le32(dib.data() + 32) : 0;
  }
  L.top_down = height < 0;
  height = height < 0 ? -height : height;
  if (ico) {
    height /= 2; // colour rows plus as many mask rows
  }
  if (height > 0x7fffffff) {
    return tl::unexpected(bmp_error(ico, "invalid height"));
  }
  L.height = static_cast<std::uint32_t>(height);
  if (auto ok = check_dimensions(L.width, L.height, max_pixels); !ok) {
    return tl::unexpected(ok.error());
  }
  const std::uint32_t bpp = L.bpp;
  const std::uint32_t comp = L.compression;
  const bool palette_depth = bpp == 1 || bpp == 4 || bpp == 8;
  const bool valid = (comp == bi_rgb && (palette_depth || bpp == 16 || bpp == 24 || bpp == 32)) ||
                     (comp == bi_rle8 && bpp == 8) || (comp == bi_rle4 && bpp == 4) ||
                     ((comp == bi_bitfields || comp == bi_alphabitfields) && (bpp == 16 || bpp == 32));
  if (!valid) {
    return tl::unexpected(bmp_error(ico, "unsupported bit depth or compression"));
  }
  if (ico && comp != bi_rgb) {
    return tl::unexpected(bmp_error(ico, "compressed icon images are not supported"));
  }
  std::size_t pos = hsize;
  if (comp == bi_bitfields || comp == bi_alphabitfields) {
    const std::size_t n = comp == bi_alphabitfields ? 4 : 3;
    // V2+ headers hold the masks; a 40-byte header is followed by them.
    const std::size_t at = hsize >= 52 ? 40 : hsize;
    if (at + n * 4 > dib.size()) {
      return tl::unexpected(bmp_error(ico, "truncated colour masks"));
    }
    L.r = channel_mask(le32(dib.data() + at));
    L.g = channel_mask(le32(dib.data() + at + 4));
    L.b = channel_mask(le32(dib.data() + at + 8));
    const bool has_alpha_mask = n == 4 || hsize >= 56;
    L.a = channel_mask(has_alpha_mask ? le32(dib.data() + at + 12) : 0);
    if (hsize < 52) {
      pos += n * 4;
    }
  } else if (bpp == 16) {
    L.r = channel_mask(0x7C00), L.g = channel_mask(0x03E0), L.b = channel_mask(0x001F);
  } else if (bpp == 32) {
    L.r = channel_mask(0x00FF0000), L.g = channel_mask(0x0000FF00), L.b = channel_mask(0x000000FF);
    // ICO keeps alpha in the fourth byte; plain BMP's is padding (as Pillow).
    L.a = channel_mask(ico ? 0xFF000000u : 0);
  }
  if (palette_depth) {
    const std::uint32_t max_colors = 1u << bpp;
    L.colors = (L.colors == 0 || L.colors > max_colors) ? max_colors : L.colors;
    const std::size_t entry = hsize == 12 ? 3 : 4;
    if (pos + std::size_t{L.colors} * entry > dib.size()) {
      return tl::unexpected(bmp_error(ico, "truncated palette"));
    }
    for (std::uint32_t i = 0; i < L.colors; ++i) {
      const std::uint8_t* p = dib.data() + pos + i * entry;
      L.palette[i] = (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[1]} << 8) | p[0];
    }
    pos += std::size_t{L.colors} * entry;
  }
  const std::size_t start = ico || data_offset == 0 ? pos : data_offset;
  if (start > dib.size()) {
    return tl::unexpected(bmp_error(ico, "pixel data offset outside the file"));
  }
  L.stride = row_stride(L.width, bpp);
  const byte_view rest = dib.subspan(start);
  if (comp == bi_rle8 || comp == bi_rle4) {
    if (L.top_down) {
      return tl::unexpected(bmp_error(ico, "top-down RLE bitmap"));
    }
    L.pixels = rest;
  } else {
    const std::uint64_t need = std::uint64_t{L.stride} * L.height;
    if (need > rest.size()) {
      return tl::unexpected(bmp_error(ico, "truncated file"));
    }
    L.pixels = rest.first(static_cast<std::size_t>(need));
    if (ico) {
      const std::uint64_t mask_need = std::uint64_t{row_stride(L.width, 1)} * L.height;
      // Some icons omit the mask of a 32-bit image; everything else needs it.
      if (mask_need <= rest.size() - need) {
        L.and_mask = rest.subspan(static_cast<std::size_t>(need), static_cast<std::size_t>(mask_need));
      } else if (bpp != 32) {
        return tl::unexpected(bmp_error(ico, "truncated transparency mask"));
      }
    }
  }
  L.alpha = L.a.bits != 0 || !L.and_mask.empty();
  return L;
}

// Expands RLE8/RLE4 into one palette index per pixel (bottom-up rows).
expected<std::vector<std::uint8_t>> expand_rle(const dib_layout& L) {
  std::vector<std::uint8_t> idx(std::size_t{L.width} * L.height, 0);
  const bool four = L.compression == bi_rle4;
  const byte_view d = L.pixels;
  std::size_t p = 0;
  std::uint64_t x = 0;
  std::uint64_t y = 0;
  // Writes past the row end are dropped without looping over them, so the
  // work stays bounded by the pixel count whatever the runs claim.
  const auto put = [&](std::uint32_t count, auto&& value_at) {
    if (y < L.height && x < L.width) {
      const auto n = static_cast<std::uint32_t>(std::min<std::uint64_t>(count, L.width - x));
      std::uint8_t* row = idx.data() + static_cast<std::size_t>(y) * L.width + static_cast<std::size_t>(x);
      for (std::uint32_t i = 0; i < n; ++i) {
        row[i] = value_at(i);
      }
    }
    x += count;
  };
  while (y < L.height) {
    if (p + 2 > d.size()) {
      return tl::unexpected(bmp_error(false, "truncated RLE data"));
    }
    const std::uint8_t n = d[p];
    const std::uint8_t v = d[p + 1];
    p += 2;
    if (n > 0) {
      put(n, [&](std::uint32_t i) { return static_cast<std::uint8_t>(four ? ((i % 2 == 0) ? v >> 4 : v & 0x0F) : v); });
      continue;
    }
    if (v == 0) {
      x = 0;
      ++y;
    } else if (v == 1) {
      break;
    } else if (v == 2) {
      if (p + 2 > d.size()) {
        return tl::unexpected(bmp_error(false, "truncated RLE delta"));
      }
      x += d[p];
      y += d[p + 1];
      p += 2;
    } else {
      const std::size_t bytes = four ? (v + 1u) / 2 : v;
      if (p + bytes > d.size()) {
        return tl::unexpected(bmp_error(false, "truncated RLE literal"));
      }
      const std::uint8_t* lit = d.data() + p;
      put(v, [&](std::uint32_t i) {
        return static_cast<std::uint8_t>(four ? ((i % 2 == 0) ? lit[i / 2] >> 4 : lit[i / 2] & 0x0F) : lit[i]);
      });
      p += bytes + (bytes & 1); // literals are padded to 16 bits
    }
  }
  return idx;
}

// Converts stored row `sy` (0 = first in the file) to RGB(A).
void convert_row(const dib_layout& L, const std::uint8_t* src, const std::uint8_t* rle_row, std::size_t sy,
                 std::uint8_t* out) {
  const std::uint32_t ch = L.alpha ? 4 : 3;
  for (std::uint32_t x = 0; x < L.width; ++x, out += ch) {
    std::uint32_t rgb = 0;
    std::uint8_t alpha = 255;
    if (rle_row != nullptr || L.bpp <= 8) {
      std::uint32_t index = 0;
      if (rle_row != nullptr) {
        index = rle_row[x];
      } else {
        const std::uint32_t bit = x * L.bpp;
        const std::uint32_t shift = 8 - L.bpp - (bit % 8);
        index = (src[bit / 8] >> shift) & ((1u << L.bpp) - 1);
      }
      rgb = index < L.colors ? L.palette[index] : 0;
    } else if (L.bpp == 24) {
      const std::uint8_t* p = src + x * 3;
      rgb = (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[1]} << 8) | p[0];
    } else {
      const std::uint32_t px = L.bpp == 16 ? le16(src + x * 2) : le32(src + x * 4);
      rgb = (std::uint32_t{L.r.extract(px)} << 16) | (std::uint32_t{L.g.extract(px)} << 8) | L.b.extract(px);
      if (L.a.bits != 0) {
        alpha = L.a.extract(px);
      }
    }
    if (!L.and_mask.empty() && !(L.bpp == 32 && L.a.bits != 0)) {
      const std::uint8_t* m = L.and_mask.data() + sy * row_stride(L.width, 1);
      alpha = ((m[x / 8] >> (7 - x % 8)) & 1) != 0 ? 0 : 255;
    }
    out[0] = static_cast<std::uint8_t>(rgb >> 16);
    out[1] = static_cast<std::uint8_t>(rgb >> 8);
    out[2] = static_cast<std::uint8_t>(rgb);
    if (ch == 4) {
      out[3] = alpha;
    }
  }
}

expected<header> deliver_dib(dib_layout& L, row_sink& sink) {
  std::vector<std::uint8_t> rle;
  if (L.compression == bi_rle8 || L.compression == bi_rle4) {
    auto expanded = expand_rle(L);
    if (!expanded) {
      return tl::unexpected(expanded.error());
    }
    rle = std::move(*expanded);
  }
  // A 32-bit icon whose alpha bytes are all zero relies on its AND mask.
  if (L.bpp == 32 && L.a.bits != 0 && !L.and_mask.empty()) {
    bool any_alpha = false;
    for (std::size_t i = 3; i < L.pixels.size() && !any_alpha; i += 4) {
      any_alpha = L.pixels[i] != 0;
    }
    if (!any_alpha) {
      L.a = channel_mask(0);
    }
  }
  const std::uint32_t ch = L.alpha ? 4 : 3;
  sink.begin(raster_shape{L.width, L.height, ch, L.width, L.height});
  std::vector<std::uint8_t> line(std::size_t{L.width} * ch);
  for (std::uint32_t y = 0; y < L.height; ++y) {
    const std::size_t sy = L.top_down ? y : L.height - 1 - y;
    const std::uint8_t* src = rle.empty() ? L.pixels.data() + sy * L.stride : nullptr;
    const std::uint8_t* rle_row = rle.empty() ? nullptr : rle.data() + sy * L.width;
    convert_row(L, src, rle_row, sy, line.data());
    sink.row(line.data());
  }
  return header{L.width, L.height, 1};
}

} // namespace

expected<header> decode_bmp(byte_view bytes, const decode_options& options, row_sink& sink) {
  if (bytes.size() < 18 || bytes[0] != 'B' || bytes[1] != 'M') {
    return tl::unexpected(bmp_error(false, "truncated header"));
  }
  const std::uint32_t offset = le32(bytes.data() + 10);
  if (offset < 14 || offset > bytes.size()) {
    return tl::unexpected(bmp_error(false, "pixel data offset outside the file"));
  }
  auto layout = parse_dib(bytes.subspan(14), offset - 14, false, options.max_pixels);
  if (!layout) {
    return tl::unexpected(layout.error());
  }
  return deliver_dib(*layout, sink);
}

expected<header> decode_dib(byte_view dib, bool ico_mask, const decode_options& options, row_sink& sink) {
  auto layout = parse_dib(dib, 0, ico_mask, options.max_pixels);
  if (!layout) {
    return tl::unexpected(layout.error());
  }
  return deliver_dib(*layout, sink);
}

} // namespace panel::codec::detail
