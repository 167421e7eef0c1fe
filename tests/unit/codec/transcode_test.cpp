#include <catch2/catch.hpp>

#include "codec/transcode.hpp"
#include "codec/validate.hpp"
#include "fixtures.hpp"

using namespace panel::codec;

TEST_CASE("PNG, JPEG and WebP pass through untouched", "[codec][transcode]") {
  const auto img = fixtures::pattern(40, 30);
  for (auto bytes : {fixtures::png(img), fixtures::jpeg(img), fixtures::webp(img)}) {
    const auto input = share(std::move(bytes));
    const auto r = transcode_for_upstream(input);
    REQUIRE(r);
    CHECK_FALSE(r->transcoded);
    CHECK(r->bytes == input); // the same buffer, not a copy
    CHECK(r->format == r->source_format);
    CHECK(upstream_filename("photo.jpg", *r) == "photo.jpg");
  }
}

TEST_CASE("other formats become PNG, upright, alpha kept", "[codec][transcode]") {
  for (const auto& s : fixtures::every_format(40, 30)) {
    if (upstream_accepts(s.format)) {
      continue;
    }
    INFO(s.name);
    const auto r = transcode_for_upstream(share(s.data));
    REQUIRE(r);
    CHECK(r->transcoded);
    CHECK(r->source_format == s.format);
    CHECK(r->format == image_format::png);
    const auto info = validate(*r->bytes);
    REQUIRE(info);
    CHECK(info->format == image_format::png);
    CHECK(info->width == 40);
    CHECK(info->height == 30);
    CHECK(upstream_filename("IMG_0001.HEIC", *r) == "IMG_0001.png");
  }
  const auto rotated = transcode_for_upstream(share(fixtures::tiff(fixtures::pattern(40, 30), 6)));
  REQUIRE(rotated);
  const auto info = validate(*rotated->bytes);
  REQUIRE(info);
  CHECK(info->width == 30);
  CHECK(info->height == 40);
}

TEST_CASE("transcoding refuses bad input", "[codec][transcode]") {
  CHECK_FALSE(transcode_for_upstream(nullptr));
  const std::string svg = "<svg/>";
  CHECK_FALSE(transcode_for_upstream(share(std::vector<std::uint8_t>(svg.begin(), svg.end()))));
  auto gif = fixtures::gif(fixtures::pattern(40, 30));
  gif.resize(gif.size() / 2);
  CHECK_FALSE(transcode_for_upstream(share(gif)));
  const auto big = transcode_for_upstream(share(fixtures::bmp(fixtures::pattern(40, 30), fixtures::bmp_kind::rgb24)),
                                          limits{1000, 1 << 20});
  REQUIRE_FALSE(big);
  CHECK(big.error().message.find("exceeds limit") != std::string::npos);
}

TEST_CASE("upstream filenames", "[codec][transcode]") {
  transcode_result t;
  t.transcoded = true;
  CHECK(upstream_filename("a.b.tiff", t) == "a.b.png");
  CHECK(upstream_filename("noext", t) == "noext.png");
  CHECK(upstream_filename(".hidden", t) == ".hidden.png");
  CHECK(upstream_filename("", t) == "image.png");
}
