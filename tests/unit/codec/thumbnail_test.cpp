#include <catch2/catch.hpp>

#include "codec/resize.hpp"
#include "codec/thumbnail.hpp"
#include "fixtures.hpp"

using namespace panel::codec;

namespace {

// Mean colour of a small square of an RGBA image.
std::array<int, 4> mean_at(const pixel_image& img, std::uint32_t cx, std::uint32_t cy, std::uint32_t r = 2) {
  std::array<long, 4> sum{};
  long n = 0;
  for (std::uint32_t y = cy - r; y <= cy + r; ++y) {
    for (std::uint32_t x = cx - r; x <= cx + r; ++x) {
      const std::uint8_t* p = img.row(y) + x * img.channels;
      for (std::uint32_t c = 0; c < img.channels; ++c) {
        sum[c] += p[c];
      }
      ++n;
    }
  }
  return {int(sum[0] / n), int(sum[1] / n), int(sum[2] / n), int(sum[3] / n)};
}

} // namespace

TEST_CASE("every accepted format round-trips validate -> thumbnail", "[codec][thumbnail]") {
  for (const auto& s : fixtures::every_format(96, 64)) {
    INFO(s.name);
    thumbnail_options o;
    o.max_side = 48;
    const auto t = thumbnail(s.data, o);
    REQUIRE(t);
    CHECK(t->source_format == s.format);
    CHECK(t->width == 48);
    CHECK(t->height == 32);
    bool alpha = false;
    const auto img = fixtures::decode_webp_rgba(t->webp, &alpha);
    CHECK(img.width == 48);
    CHECK(img.height == 32);
    CHECK(alpha == s.alpha);
    if (s.name == "bmp pal1" || s.name == "bmp pal4" || s.name == "png gray16") {
      continue; // the fixture itself reduced the colours
    }
    // Quadrant colours survive (red, green, blue, white) away from the edges
    // and away from the transparent corners of some fixtures.
    const auto red = mean_at(img, 14, 10);
    const auto green = mean_at(img, 34, 10);
    const auto blue = mean_at(img, 14, 24);
    CHECK(red[0] > 170);
    CHECK(red[1] < 70);
    CHECK(green[1] > 150);
    CHECK(green[0] < 70);
    CHECK(blue[2] > 160);
    CHECK(blue[0] < 70);
  }
}

TEST_CASE("JPEG EXIF orientation is applied", "[codec][thumbnail][orientation]") {
  // Stored 96x64: red top-left, green top-right, blue bottom-left.
  const auto img = fixtures::pattern(96, 64);
  thumbnail_options o;
  o.max_side = 48;
  {
    const auto t = thumbnail(fixtures::jpeg(img, 90, 6), o); // rotate 90 CW to display
    REQUIRE(t);
    CHECK(t->width == 32);
    CHECK(t->height == 48);
    const auto out = fixtures::decode_webp_rgba(t->webp);
    // After a clockwise turn the stored left column is the top row: blue
    // top-left, red top-right.
    CHECK(mean_at(out, 8, 8)[2] > 160);
    CHECK(mean_at(out, 24, 8)[0] > 170);
  }
  {
    const auto t = thumbnail(fixtures::jpeg(img, 90, 3, true), o); // 180, big-endian EXIF
    REQUIRE(t);
    CHECK(t->width == 48);
    const auto out = fixtures::decode_webp_rgba(t->webp);
    CHECK(mean_at(out, 34, 24)[0] > 170); // red now bottom-right
  }
}

TEST_CASE("TIFF orientation tag is applied like EXIF", "[codec][thumbnail][orientation]") {
  const auto img = fixtures::pattern(96, 64);
  thumbnail_options o;
  o.max_side = 48;
  const auto t = thumbnail(fixtures::tiff(img, 8), o); // rotate 270 CW to display
  REQUIRE(t);
  CHECK(t->width == 32);
  CHECK(t->height == 48);
  const auto out = fixtures::decode_webp_rgba(t->webp);
  // Counter-clockwise: the stored top row becomes the left column, read upwards;
  // green (top-right) is now top-left, red bottom-left.
  CHECK(mean_at(out, 8, 8)[1] > 150);
  CHECK(mean_at(out, 8, 40)[0] > 170);
}

TEST_CASE("JPEG shrink-on-load gives the exact target size", "[codec][thumbnail][jpeg]") {
  for (const auto& [w, h] : {std::pair{2048u, 1365u}, {1000u, 999u}, {4000u, 30u}, {513u, 512u}, {511u, 300u}}) {
    INFO(w << "x" << h);
    const auto t = thumbnail(fixtures::jpeg(fixtures::photo(w, h), 85));
    REQUIRE(t);
    const auto want = fit_within(w, h, 512);
    CHECK(t->width == want.width);
    CHECK(t->height == want.height);
    const auto img = fixtures::decode_webp_rgba(t->webp);
    CHECK(img.width == want.width);
  }
}

TEST_CASE("thumbnails are never upscaled and keep colour", "[codec][thumbnail]") {
  const auto img = fixtures::photo(200, 120);
  const auto t = thumbnail(fixtures::png(img));
  REQUIRE(t);
  CHECK(t->width == 200);
  CHECK(t->height == 120);
  CHECK(fixtures::mean_abs_diff(fixtures::decode_webp_rgba(t->webp), img) < 6.0);
}

TEST_CASE("a downscaled photo matches a reference downscale", "[codec][thumbnail]") {
  const auto big = fixtures::photo(1024, 768, 3);
  const auto reference = fixtures::photo(512, 384, 3);
  const auto t = thumbnail(fixtures::png(big));
  REQUIRE(t);
  // The photo is smooth plus +-8 grain, which averages out when shrinking.
  CHECK(fixtures::mean_abs_diff(fixtures::decode_webp_rgba(t->webp), reference) < 8.0);
}

TEST_CASE("thumbnail refuses what validate refuses", "[codec][thumbnail]") {
  const auto b = fixtures::png(fixtures::pattern(40, 30));
  thumbnail_options o;
  o.lim.max_pixels = 100;
  CHECK_FALSE(thumbnail(b, o));
  const std::string svg = "<svg/>";
  CHECK_FALSE(thumbnail(std::vector<std::uint8_t>(svg.begin(), svg.end())));
  o = {};
  o.max_side = 0;
  CHECK_FALSE(thumbnail(b, o));
}
