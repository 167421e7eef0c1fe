#include <catch2/catch.hpp>

#include "codec/format.hpp"

using namespace panel::codec;

TEST_CASE("format names, extensions and MIME types", "[codec][format]") {
  CHECK(format_name(image_format::jpeg) == "jpeg");
  CHECK(format_extension(image_format::jpeg) == "jpg");
  CHECK(format_extension(image_format::heif) == "heif");
  CHECK(format_extension(image_format::tiff) == "tiff");
  CHECK(format_mime(image_format::webp) == "image/webp");
  for (const auto f : all_formats) {
    CHECK(format_from_extension(format_extension(f)) == f);
    CHECK(format_from_mime(format_mime(f)) == f);
  }
}

TEST_CASE("exactly the twelve upload extensions are known", "[codec][format]") {
  for (const auto* e : {".png", ".jpg", ".jpeg", ".webp", ".gif", ".avif", ".bmp", ".heic", ".heif", ".ico", ".tif",
                        ".tiff", "PNG", "JpEg"}) {
    INFO(e);
    CHECK(format_from_extension(e).has_value());
  }
  for (const auto* e : {".svg", ".jfif", ".txt", "", ".", ".png.exe"}) {
    INFO(e);
    CHECK_FALSE(format_from_extension(e).has_value());
  }
}

TEST_CASE("MIME aliases and parameters", "[codec][format]") {
  CHECK(format_from_mime("image/jpg") == image_format::jpeg);
  CHECK(format_from_mime("IMAGE/PNG; charset=binary") == image_format::png);
  CHECK(format_from_mime("image/x-ms-bmp") == image_format::bmp);
  CHECK(format_from_mime("image/heic") == image_format::heif);
  CHECK(format_from_mime("image/vnd.microsoft.icon") == image_format::ico);
  CHECK_FALSE(format_from_mime("image/svg+xml"));
  CHECK_FALSE(format_from_mime("application/octet-stream"));
  CHECK(upstream_accepts(image_format::webp));
  CHECK_FALSE(upstream_accepts(image_format::heif));
}
