#include <catch2/catch.hpp>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "codec/thumbnail.hpp"
#include "codec/transcode.hpp"
#include "codec/validate.hpp"
#include "fixtures.hpp"

using namespace panel::codec;

namespace {

bool contains(const std::string& s, std::string_view part) { return s.find(part) != std::string::npos; }

void put_be32(std::vector<std::uint8_t>& b, std::size_t at, std::uint32_t v) {
  b[at] = static_cast<std::uint8_t>(v >> 24);
  b[at + 1] = static_cast<std::uint8_t>(v >> 16);
  b[at + 2] = static_cast<std::uint8_t>(v >> 8);
  b[at + 3] = static_cast<std::uint8_t>(v);
}

std::size_t find(const std::vector<std::uint8_t>& b, std::string_view what, std::size_t from = 0) {
  for (std::size_t i = from; i + what.size() <= b.size(); ++i) {
    if (std::memcmp(b.data() + i, what.data(), what.size()) == 0) {
      return i;
    }
  }
  FAIL("marker not found: " << what);
  return 0;
}

std::size_t find_next(const std::vector<std::uint8_t>& b, std::string_view what, std::size_t from) {
  for (std::size_t i = from; i + what.size() <= b.size(); ++i) {
    if (std::memcmp(b.data() + i, what.data(), what.size()) == 0) {
      return i;
    }
  }
  return 0;
}

} // namespace

TEST_CASE("every accepted format validates with its header size", "[codec][validate]") {
  for (const auto& s : fixtures::every_format(40, 30)) {
    INFO(s.name);
    const auto info = validate(s.data);
    REQUIRE(info);
    CHECK(info->format == s.format);
    CHECK(info->width == 40);
    CHECK(info->height == 30);
    CHECK(info->bytes == s.data.size());
  }
}

TEST_CASE("truncated files and bare magic bytes fail as not fully decodable", "[codec][validate]") {
  for (const auto& s : fixtures::every_format(40, 30)) {
    // Keep the magic, cut the rest at several points.
    for (const double keep : {0.0, 0.3, 0.6, 0.9}) {
      const std::size_t magic = s.format == image_format::bmp ? 18 : 16;
      std::size_t n = std::max<std::size_t>(magic, static_cast<std::size_t>(s.data.size() * keep));
      if (s.format == image_format::jpeg || s.format == image_format::gif || s.format == image_format::png) {
        n = std::min(n, s.data.size() - 12); // past the last frame's data, not just the trailer
      } else {
        n = std::min(n, s.data.size() - 1);
      }
      const std::vector<std::uint8_t> cut(s.data.begin(), s.data.begin() + static_cast<std::ptrdiff_t>(n));
      INFO(s.name << " cut to " << n << " of " << s.data.size());
      const auto r = validate(cut);
      REQUIRE_FALSE(r);
      CHECK(r.error().code == panel::errc::bad_request);
      const bool explained = contains(r.error().message, "fully decodable") ||
                             r.error().message == "Image data must be a supported raster image format";
      CHECK(explained);
    }
  }
}

TEST_CASE("PNG with a bad CRC is refused", "[codec][validate][png]") {
  auto b = fixtures::png(fixtures::pattern(64, 64));
  // The stored CRC of the first IDAT, data untouched.
  const std::size_t idat = fixtures::png_chunk_offset(b, "IDAT");
  const std::uint32_t len = (b[idat] << 24) | (b[idat + 1] << 16) | (b[idat + 2] << 8) | b[idat + 3];
  b[idat + 8 + len] ^= 0x55;
  const auto r = validate(b);
  REQUIRE_FALSE(r);
  CHECK(contains(r.error().message, "fully decodable"));
  CHECK(contains(r.error().message, "CRC"));
}

TEST_CASE("huge declared sizes are refused before decoding", "[codec][validate][limits]") {
  const auto img = fixtures::pattern(40, 30);
  std::vector<std::pair<std::string, std::vector<std::uint8_t>>> floods;
  {
    auto b = fixtures::png(img);
    const auto ihdr = fixtures::png_chunk_offset(b, "IHDR");
    put_be32(b, ihdr + 8, 100000);
    put_be32(b, ihdr + 12, 100000);
    fixtures::png_fix_crc(b, ihdr);
    floods.emplace_back("png", b);
    // One row of 2^31-1 pixels: libpng would allocate two ~8 GiB row buffers
    // in png_read_update_info, so the limit must be checked before that.
    put_be32(b, ihdr + 8, 0x7FFFFFFF);
    put_be32(b, ihdr + 12, 1);
    fixtures::png_fix_crc(b, ihdr);
    floods.emplace_back("png one huge row", b);
  }
  {
    auto b = fixtures::jpeg(img);
    const auto sof = find(b, "\xFF\xC0");
    b[sof + 5] = 0xEA, b[sof + 6] = 0x60; // height 60000
    b[sof + 7] = 0xEA, b[sof + 8] = 0x60; // width 60000
    floods.emplace_back("jpeg", b);
  }
  {
    auto b = fixtures::webp(img, true); // VP8L: 14-bit width-1 and height-1
    const std::size_t at = 21;          // after "VP8L", size and the 0x2f signature
    const std::uint32_t bits = 0x3FFF | (0x3FFFu << 14);
    b[at] = bits & 0xFF, b[at + 1] = (bits >> 8) & 0xFF, b[at + 2] = (bits >> 16) & 0xFF;
    b[at + 3] = static_cast<std::uint8_t>((b[at + 3] & 0xF0) | ((bits >> 24) & 0x0F));
    floods.emplace_back("webp", b);
  }
  {
    auto b = fixtures::gif(img);
    b[6] = b[7] = b[8] = b[9] = 0xFF; // 65535 x 65535 screen
    floods.emplace_back("gif", b);
  }
  {
    auto b = fixtures::bmp(img, fixtures::bmp_kind::rgb24);
    b[18] = 0xA0, b[19] = 0x86, b[20] = 0x01, b[21] = 0; // width 100000
    b[22] = 0xA0, b[23] = 0x86, b[24] = 0x01, b[25] = 0; // height 100000
    floods.emplace_back("bmp", b);
  }
  {
    auto b = fixtures::ico(img, fixtures::ico_kind::dib32);
    b[22 + 4] = 0xA0, b[22 + 5] = 0x86, b[22 + 6] = 0x01, b[22 + 7] = 0;
    b[22 + 8] = 0x40, b[22 + 9] = 0x0D, b[22 + 10] = 0x03, b[22 + 11] = 0; // 200000 = 2 x 100000
    floods.emplace_back("ico", b);
  }
  for (const auto* fmt : {"avif", "heif"}) {
    auto b = std::string(fmt) == "avif" ? fixtures::avif(img) : fixtures::heif(img);
    // Every ispe (libheif writes one per property set): 144 M pixels is over
    // our limit and under the libraries' own.
    for (std::size_t at = find(b, "ispe"); at != 0; at = find_next(b, "ispe", at + 4)) {
      put_be32(b, at + 8, 12000);
      put_be32(b, at + 12, 12000);
    }
    floods.emplace_back(fmt, b);
  }
  for (const auto& [name, b] : floods) {
    INFO(name);
    const auto r = validate(b);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == panel::errc::bad_request);
    CHECK(contains(r.error().message, "exceeds limit of 100000000 pixels"));
  }
}

TEST_CASE("TIFF with a huge declared width is refused", "[codec][validate][limits]") {
  auto b = fixtures::tiff(fixtures::pattern(40, 30), 1, false);
  // Little-endian classic TIFF: walk IFD0 and patch ImageWidth/ImageLength.
  const std::uint32_t ifd = b[4] | (b[5] << 8) | (b[6] << 16) | (b[7] << 24);
  const std::uint32_t count = b[ifd] | (b[ifd + 1] << 8);
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::size_t e = ifd + 2 + i * 12;
    const std::uint32_t tag = b[e] | (b[e + 1] << 8);
    if (tag == 256 || tag == 257) {
      b[e + 2] = 4, b[e + 3] = 0; // LONG
      b[e + 8] = 0x40, b[e + 9] = 0x42, b[e + 10] = 0x0F, b[e + 11] = 0; // 1,000,000
    }
  }
  const auto r = validate(b);
  REQUIRE_FALSE(r);
  CHECK(contains(r.error().message, "exceeds limit"));
}

TEST_CASE("the pixel and byte limits are configurable", "[codec][validate][limits]") {
  const auto b = fixtures::png(fixtures::pattern(40, 30));
  CHECK(validate(b, limits{1200, 1 << 20}));
  const auto px = validate(b, limits{1199, 1 << 20});
  REQUIRE_FALSE(px);
  CHECK(px.error().message == "Image size (1200 pixels) exceeds limit of 1199 pixels");
  const auto big = validate(b, limits{1200, 10});
  REQUIRE_FALSE(big);
  CHECK(big.error().code == panel::errc::too_large);
  CHECK(big.error().message == "Image too large: " + std::to_string(b.size()) + " bytes (max 10)");
}

TEST_CASE("zero-sized images are refused", "[codec][validate]") {
  auto p = fixtures::png(fixtures::pattern(8, 8));
  const auto ihdr = fixtures::png_chunk_offset(p, "IHDR");
  put_be32(p, ihdr + 8, 0);
  fixtures::png_fix_crc(p, ihdr);
  CHECK_FALSE(validate(p));
  auto g = fixtures::gif(fixtures::pattern(8, 8));
  g[6] = g[7] = 0;
  const auto gr = validate(g);
  REQUIRE_FALSE(gr);
  CHECK(contains(gr.error().message, "zero width or height"));
  auto bm = fixtures::bmp(fixtures::pattern(8, 8), fixtures::bmp_kind::rgb24);
  bm[22] = bm[23] = bm[24] = bm[25] = 0;
  CHECK_FALSE(validate(bm));
  auto j = fixtures::jpeg(fixtures::pattern(8, 8));
  const auto sof = find(j, "\xFF\xC0");
  j[sof + 5] = j[sof + 6] = 0;
  CHECK_FALSE(validate(j));
}

TEST_CASE("polyglots: one format's magic over another's body fails; trailing data is tolerated",
          "[codec][validate]") {
  const auto img = fixtures::pattern(32, 32);
  const auto jpg = fixtures::jpeg(img);
  std::vector<std::uint8_t> png_magic_jpeg_body = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  png_magic_jpeg_body.insert(png_magic_jpeg_body.end(), jpg.begin(), jpg.end());
  CHECK_FALSE(validate(png_magic_jpeg_body));

  const std::string html = "GIF89a<script>alert(1)</script>";
  CHECK_FALSE(validate(std::vector<std::uint8_t>(html.begin(), html.end())));

  std::vector<std::uint8_t> svg_after_magic = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  const std::string svg = "<svg xmlns='http://www.w3.org/2000/svg'/>";
  svg_after_magic.insert(svg_after_magic.end(), svg.begin(), svg.end());
  const auto r = validate(svg_after_magic);
  REQUIRE_FALSE(r);
  CHECK(contains(r.error().message, "fully decodable"));

  // A valid JPEG with a ZIP appended (a "GIFAR"-style polyglot) is still that
  // JPEG: decoders, browsers and Pillow ignore data after EOI; the panel
  // serves it with nosniff as image/jpeg only.
  auto jpeg_zip = jpg;
  const std::string zip = "PK\x03\x04 rest of an archive";
  jpeg_zip.insert(jpeg_zip.end(), zip.begin(), zip.end());
  const auto ok = validate(jpeg_zip);
  REQUIRE(ok);
  CHECK(ok->format == image_format::jpeg);
}

TEST_CASE("corrupt bodies are refused", "[codec][validate]") {
  const auto img = fixtures::photo(64, 64);
  auto j = fixtures::jpeg(img);
  const auto sos = find(j, "\xFF\xDA");
  for (std::size_t i = sos + 20; i < j.size() - 4; i += 7) {
    j[i] = 0xFF; // markers in the middle of entropy-coded data
  }
  CHECK_FALSE(validate(j));
  // VP8 has no checksum (garbage coefficients decode), but a first partition
  // larger than the chunk must fail.
  auto w = fixtures::webp(img);
  REQUIRE(std::string(w.begin() + 12, w.begin() + 16) == "VP8 ");
  w[20] = static_cast<std::uint8_t>(w[20] | 0xE0);
  w[21] = 0xFF;
  w[22] = 0xFF;
  CHECK_FALSE(validate(w));
  auto g = fixtures::gif(img);
  g[g.size() / 2] = 0; // a zero block length in the middle of the LZW data
  g[g.size() / 2 + 1] = 0x3B;
  CHECK_FALSE(validate(g));
}

TEST_CASE("fuzzer finds stay fixed", "[codec][validate][regression]") {
  // libFuzzer found: a HEIF grid item whose dimg reference points to itself
  // (libheif 1.15 recursed until the stack overflowed); a HEIF-branded file
  // with an AV1 item whose corrupt data made libheif's dav1d path leak.
  const auto dir = std::filesystem::path(PANEL_UNIT_TEST_DIR) / "corpus";
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    INFO(entry.path().filename().string());
    std::ifstream f(entry.path(), std::ios::binary);
    const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    REQUIRE_FALSE(bytes.empty());
    const auto r = validate(bytes);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == panel::errc::bad_request);
    thumbnail_options o;
    CHECK_FALSE(thumbnail(bytes, o));
    CHECK_FALSE(transcode_for_upstream(share(bytes)));
  }
}
