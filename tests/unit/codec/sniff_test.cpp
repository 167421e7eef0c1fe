#include <catch2/catch.hpp>

#include <string>

#include "codec/sniff.hpp"
#include "fixtures.hpp"

using namespace panel::codec;

namespace {
byte_view view(const std::string& s) { return byte_view(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()); }
std::string ftyp(std::string major, std::string compat) {
  std::string box = std::string("\0\0\0", 3) + char(16 + compat.size()) + "ftyp" + major + std::string("\0\0\0\0", 4) + compat;
  return box + std::string(16, '\0');
}
} // namespace

TEST_CASE("sniff detects every accepted format from real files", "[codec][sniff]") {
  for (const auto& s : fixtures::every_format(24, 16)) {
    INFO(s.name);
    const auto f = detect_format(s.data);
    REQUIRE(f.has_value());
    CHECK(*f == s.format);
  }
}

TEST_CASE("sniff reads ISO BMFF brands", "[codec][sniff]") {
  CHECK(detect_format(view(ftyp("avif", "mif1miaf"))) == image_format::avif);
  CHECK(detect_format(view(ftyp("avis", "msf1"))) == image_format::avif);
  CHECK(detect_format(view(ftyp("mif1", "avifmiaf"))) == image_format::avif);
  CHECK(detect_format(view(ftyp("heic", "mif1heic"))) == image_format::heif);
  CHECK(detect_format(view(ftyp("heix", ""))) == image_format::heif);
  CHECK(detect_format(view(ftyp("mif1", "heic"))) == image_format::heif);
  CHECK(detect_format(view(ftyp("msf1", "hevc"))) == image_format::heif);
  CHECK(detect_format(view(ftyp("isom", "iso2mp41"))) == std::nullopt); // an MP4 video
  CHECK(detect_format(view(ftyp("qt  ", ""))) == std::nullopt);
}

TEST_CASE("sniff rejects SVG and other non-raster data with the spec messages", "[codec][sniff]") {
  const std::string svg = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
  CHECK(looks_like_svg(view(svg)));
  CHECK(looks_like_svg(view("\xef\xbb\xbf  <SVG width='1'></SVG>")));
  CHECK_FALSE(looks_like_svg(view("<html><body>hi</body></html>")));
  CHECK_FALSE(looks_like_svg(view("plain text svg")));

  const auto as_data = sniff(view(svg));
  REQUIRE_FALSE(as_data);
  CHECK(as_data.error().code == panel::errc::bad_request);
  CHECK(as_data.error().message == "Image data must be a supported raster image format");
  const auto as_upload = sniff(view(svg), sniff_context::upload);
  REQUIRE_FALSE(as_upload);
  CHECK(as_upload.error().message == "Upload must be an image file.");

  for (const std::string& junk : {std::string(), std::string("\x89PN"), std::string("BM"), std::string("BMthis is text"),
                                 std::string("GIF88a......"), std::string("RIFF\0\0\0\0WAVE", 12),
                                 std::string("\0\0\2\0\1\0", 6), std::string("%PDF-1.7"), std::string("PK\3\4")}) {
    INFO(junk);
    CHECK_FALSE(sniff(view(junk)));
  }
}

TEST_CASE("sniff needs no more than the magic bytes", "[codec][sniff]") {
  CHECK(detect_format(view("\x89PNG\r\n\x1a\n")) == image_format::png);
  CHECK(detect_format(view("\xff\xd8\xff")) == image_format::jpeg);
  CHECK(detect_format(view(std::string("RIFF\0\0\0\0WEBP", 12))) == image_format::webp);
  CHECK(detect_format(view("GIF87a")) == image_format::gif);
  CHECK(detect_format(view(std::string("II*\0", 4))) == image_format::tiff);
  CHECK(detect_format(view(std::string("MM\0*", 4))) == image_format::tiff);
  CHECK(detect_format(view(std::string("\0\0\1\0\1\0", 6))) == image_format::ico);
  CHECK(detect_format(view(std::string("\0\0\1\0\0\0", 6))) == std::nullopt); // zero icons
}
