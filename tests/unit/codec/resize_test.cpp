#include <catch2/catch.hpp>

#include <cmath>

#include "codec/resize.hpp"
#include "fixtures.hpp"

using namespace panel::codec;

TEST_CASE("fit_within keeps the aspect ratio and never upscales", "[codec][resize]") {
  CHECK(fit_within(2048, 2048, 512) == size2{512, 512});
  CHECK(fit_within(2048, 1365, 512) == size2{512, 341});
  CHECK(fit_within(1365, 2048, 512) == size2{341, 512});
  CHECK(fit_within(300, 200, 512) == size2{300, 200});
  CHECK(fit_within(512, 10, 512) == size2{512, 10});
  CHECK(fit_within(100000, 3, 512) == size2{512, 1});
  CHECK(fit_within(1, 1, 512) == size2{1, 1});
  CHECK(fit_within(0, 10, 512) == size2{0, 0});
}

TEST_CASE("downscaling a one-pixel checkerboard gives flat grey, not aliasing", "[codec][resize]") {
  pixel_image board{1000, 1000, 3, std::vector<std::uint8_t>(1000 * 1000 * 3)};
  for (std::uint32_t y = 0; y < 1000; ++y) {
    for (std::uint32_t x = 0; x < 1000; ++x) {
      const std::uint8_t v = ((x + y) % 2) != 0 ? 255 : 0;
      std::fill_n(board.row(y) + x * 3, 3, v);
    }
  }
  for (const auto target : {size2{100, 100}, size2{333, 333}, size2{512, 512}, size2{700, 300}}) {
    const auto small = resize(board, target);
    REQUIRE(small.width == target.width);
    REQUIRE(small.height == target.height);
    int lo = 255;
    int hi = 0;
    for (const auto v : small.pixels) {
      lo = std::min<int>(lo, v);
      hi = std::max<int>(hi, v);
    }
    INFO(target.width << "x" << target.height << " range " << lo << ".." << hi);
    // Nearest neighbour would give pure 0 or 255 here.
    CHECK(lo >= 110);
    CHECK(hi <= 145);
  }
}

TEST_CASE("resampling preserves flat colour and the picture's layout", "[codec][resize]") {
  const auto img = fixtures::pattern(400, 300);
  const auto small = resize(img, {80, 60});
  const auto direct = fixtures::pattern(80, 60);
  CHECK(fixtures::mean_abs_diff(small, direct) < 6.0);
  const std::uint8_t* tl = small.row(10) + 10 * 3;
  CHECK(tl[0] > 200);
  CHECK(tl[1] < 40);
}

TEST_CASE("transparent pixels do not bleed their colour", "[codec][resize]") {
  // Left half: fully transparent red; right half: opaque blue.
  pixel_image img{64, 8, 4, std::vector<std::uint8_t>(64 * 8 * 4)};
  for (std::uint32_t y = 0; y < 8; ++y) {
    for (std::uint32_t x = 0; x < 64; ++x) {
      std::uint8_t* p = img.row(y) + x * 4;
      if (x < 32) {
        p[0] = 255, p[1] = 0, p[2] = 0, p[3] = 0;
      } else {
        p[0] = 0, p[1] = 0, p[2] = 255, p[3] = 255;
      }
    }
  }
  const auto small = resize(img, {16, 2});
  for (std::uint32_t x = 0; x < 16; ++x) {
    const std::uint8_t* p = small.row(1) + x * 4;
    INFO("x=" << x << " rgba " << int(p[0]) << "," << int(p[1]) << "," << int(p[2]) << "," << int(p[3]));
    if (p[3] > 8) {
      CHECK(p[0] < 8); // no red halo at the edge
      CHECK(p[2] > 240);
    }
  }
  CHECK(small.row(0)[3] == 0);
  CHECK(small.row(0)[15 * 4 + 3] == 255);
}

TEST_CASE("identity and upscale requests copy the image", "[codec][resize]") {
  const auto img = fixtures::pattern(37, 23, 4);
  CHECK(resize(img, {37, 23}).pixels == img.pixels);
  const auto same = resize(img, {100, 100});
  CHECK(same.width == 37);
  CHECK(same.height == 23);
}

TEST_CASE("extreme aspect ratios", "[codec][resize]") {
  const auto tall = fixtures::pattern(3, 5000);
  const auto t = resize(tall, fit_within(3, 5000, 512));
  CHECK(t.width == 1);
  CHECK(t.height == 512);
  const auto wide = fixtures::pattern(4099, 2);
  const auto w = resize(wide, fit_within(4099, 2, 512));
  CHECK(w.width == 512);
  CHECK(w.height == 1);
}

TEST_CASE("apply_orientation maps all eight EXIF orientations", "[codec][orientation]") {
  // 3x2 image, pixel value = index: row 0 = 0 1 2, row 1 = 3 4 5.
  pixel_image img{3, 2, 3, {}};
  for (std::uint8_t i = 0; i < 6; ++i) {
    img.pixels.insert(img.pixels.end(), {i, i, i});
  }
  const auto values = [](const pixel_image& p) {
    std::vector<int> v;
    for (std::size_t i = 0; i < p.pixels.size(); i += 3) {
      v.push_back(p.pixels[i]);
    }
    return v;
  };
  struct expect_t {
    std::uint8_t o;
    std::uint32_t w, h;
    std::vector<int> v;
  };
  const expect_t cases[] = {
      {1, 3, 2, {0, 1, 2, 3, 4, 5}}, {2, 3, 2, {2, 1, 0, 5, 4, 3}}, {3, 3, 2, {5, 4, 3, 2, 1, 0}},
      {4, 3, 2, {3, 4, 5, 0, 1, 2}}, {5, 2, 3, {0, 3, 1, 4, 2, 5}}, {6, 2, 3, {3, 0, 4, 1, 5, 2}},
      {7, 2, 3, {5, 2, 4, 1, 3, 0}}, {8, 2, 3, {2, 5, 1, 4, 0, 3}},
  };
  for (const auto& c : cases) {
    INFO("orientation " << int(c.o));
    const auto out = apply_orientation(img, c.o);
    CHECK(out.width == c.w);
    CHECK(out.height == c.h);
    CHECK(values(out) == c.v);
  }
}
