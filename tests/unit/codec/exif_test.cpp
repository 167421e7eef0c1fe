#include <catch2/catch.hpp>

#include "codec/exif.hpp"
#include "fixtures.hpp"

using namespace panel::codec;
using panel::codec::detail::exif_orientation;
using panel::codec::detail::jpeg_orientation;

TEST_CASE("JPEG EXIF orientation in both byte orders", "[codec][exif]") {
  const auto img = fixtures::pattern(16, 8);
  for (std::uint8_t o = 1; o <= 8; ++o) {
    CHECK(jpeg_orientation(fixtures::jpeg(img, 80, o, false)) == o);
    CHECK(jpeg_orientation(fixtures::jpeg(img, 80, o, true)) == o);
  }
  CHECK(jpeg_orientation(fixtures::jpeg(img)) == 1);
}

TEST_CASE("malformed EXIF never reads out of bounds and falls back to 1", "[codec][exif]") {
  const auto good = fixtures::jpeg(fixtures::pattern(16, 8), 80, 6);
  // Every truncation of the APP1 segment's area.
  for (std::size_t n = 0; n < 60 && n < good.size(); ++n) {
    const std::vector<std::uint8_t> cut(good.begin(), good.begin() + n);
    const auto o = jpeg_orientation(cut);
    CHECK((o == 1 || o == 6));
  }
  std::vector<std::uint8_t> t = {'I', 'I', 42, 0, 8, 0, 0, 0, 0xFF, 0xFF}; // 65535 entries claimed
  CHECK(exif_orientation(t) == 1);
  t = {'I', 'I', 42, 0, 0xF0, 0xFF, 0xFF, 0xFF}; // IFD offset far away
  CHECK(exif_orientation(t) == 1);
  t = {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 9, 0, 0}; // value 9 is invalid
  CHECK(exif_orientation(t) == 1);
  t = {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 3, 0, 0};
  CHECK(exif_orientation(t) == 3);
  t = {'X', 'X', 0, 42, 0, 0, 0, 8};
  CHECK(exif_orientation(t) == 1);
  // A segment length running past the end of the file.
  const std::vector<std::uint8_t> bad_len = {0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF, 'E', 'x', 'i', 'f', 0, 0};
  CHECK(jpeg_orientation(bad_len) == 1);
}
