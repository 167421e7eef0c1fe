#include <catch2/catch.hpp>

#include "codec/upload_rules.hpp"
#include "fixtures.hpp"

using namespace panel::codec;

namespace {
const limits lim{100'000'000, 50ull << 20};
std::string message_of(const panel::expected<image_info>& r) { return r ? std::string("ok") : r.error().message; }
} // namespace

TEST_CASE("upload type: extension and effective content type", "[codec][upload]") {
  CHECK(check_upload_type("a.png", "image/png") == image_format::png);
  CHECK(check_upload_type("a.JPG", "application/octet-stream") == image_format::jpeg);
  CHECK(check_upload_type("IMG.heic", "") == image_format::heif);
  for (const auto& [name, type] : {std::pair{"a.svg", "image/svg+xml"}, {"a.png", "image/svg+xml"},
                                   {"a.txt", "text/plain"}, {"a", "image/png"}, {"a.png", "image/x-unknown"}}) {
    INFO(name << " " << type);
    const auto r = check_upload_type(name, type);
    REQUIRE_FALSE(r);
    CHECK(r.error().message == "Upload must be an image file.");
    CHECK(r.error().code == panel::errc::bad_request);
  }
}

TEST_CASE("upload rules in spec order with spec messages", "[codec][upload]") {
  const auto png = fixtures::png(fixtures::pattern(40, 30));
  const auto jpg = fixtures::jpeg(fixtures::pattern(40, 30));
  const std::string svg_text = "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>";
  const std::vector<std::uint8_t> svg(svg_text.begin(), svg_text.end());

  CHECK(message_of(validate_upload("a.png", "image/png", png, lim)) == "ok");
  CHECK(message_of(validate_upload("a.svg", "image/svg+xml", svg, lim)) == "Upload must be an image file.");
  CHECK(message_of(validate_upload("a.png", "image/png", {}, lim)) == "Uploaded image is empty.");
  CHECK(message_of(validate_upload("a.png", "image/png", png, limits{100'000'000, 3 << 20})) == "ok");
  CHECK(message_of(validate_upload("a.png", "image/png", png, limits{100'000'000, 100})) ==
        "Uploaded image is too large. Max size is 0 MB.");
  // [TEST] of the original: a PNG name with SVG bytes.
  CHECK(message_of(validate_upload("a.png", "image/png", svg, lim)) ==
        "Image data must be a supported raster image format");
  CHECK(message_of(validate_upload("a.png", "image/png", jpg, lim)) ==
        "Image file extension does not match image data");
  CHECK(message_of(validate_upload("a.jpg", "image/png", jpg, lim)) ==
        "Image content type does not match image data");
  CHECK(message_of(validate_upload("a.jpeg", "image/jpg", jpg, lim)) == "ok");
  auto cut = png;
  cut.resize(png.size() / 2);
  CHECK(message_of(validate_upload("a.png", "image/png", cut, lim)).find("fully decodable") != std::string::npos);
  CHECK(message_of(validate_upload("a.png", "image/png", png, limits{100, 1 << 20})).find("exceeds limit") !=
        std::string::npos);
}
