#include <catch2/catch.hpp>

#include "upstream/edit_form.hpp"

using namespace panel::upstream;

namespace {

edit_source source(const std::string& bytes, std::string name, std::string type) {
  auto data = std::make_shared<const std::vector<std::uint8_t>>(bytes.begin(), bytes.end());
  return edit_source{data, std::move(name), std::move(type)};
}

generation_params params() {
  generation_params p;
  p.model = "gpt-image-2";
  p.prompt = "make it blue";
  p.size = "auto";
  p.quality = "auto";
  p.output_format = "png";
  p.n = 2;
  return p;
}

std::size_t count(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = hay.find(needle); pos != std::string::npos; pos = hay.find(needle, pos + 1)) {
    ++n;
  }
  return n;
}

} // namespace

TEST_CASE("edits form with one source: exact body, field `image`") {
  const auto body = build_edit_form(params(), {source("PNGDATA", "cat.png", "image/png")}, "BOUNDARY");
  REQUIRE(body == "--BOUNDARY\r\n"
                  "Content-Disposition: form-data; name=\"image\"; filename=\"cat.png\"\r\n"
                  "Content-Type: image/png\r\n\r\n"
                  "PNGDATA\r\n"
                  "--BOUNDARY\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\ngpt-image-2\r\n"
                  "--BOUNDARY\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nmake it blue\r\n"
                  "--BOUNDARY\r\nContent-Disposition: form-data; name=\"size\"\r\n\r\nauto\r\n"
                  "--BOUNDARY\r\nContent-Disposition: form-data; name=\"n\"\r\n\r\n2\r\n"
                  "--BOUNDARY\r\nContent-Disposition: form-data; name=\"quality\"\r\n\r\nauto\r\n"
                  "--BOUNDARY\r\nContent-Disposition: form-data; name=\"output_format\"\r\n\r\npng\r\n"
                  "--BOUNDARY--\r\n");
}

TEST_CASE("edits form with two sources: two image[] parts in order, no image part") {
  const auto body = build_edit_form(
      params(), {source("AAAA", "gallery-combo.png", "image/png"), source("BBBB", "upload.jpg", "image/jpeg")}, "b0");
  REQUIRE(count(body, "name=\"image[]\"") == 2);
  REQUIRE(count(body, "name=\"image\"") == 0);
  const auto first = body.find("filename=\"gallery-combo.png\"\r\nContent-Type: image/png\r\n\r\nAAAA\r\n");
  const auto second = body.find("filename=\"upload.jpg\"\r\nContent-Type: image/jpeg\r\n\r\nBBBB\r\n");
  REQUIRE(first != std::string::npos);
  REQUIRE(second != std::string::npos);
  REQUIRE(first < second);
  REQUIRE(edit_image_field(1) == "image");
  REQUIRE(edit_image_field(16) == "image[]");
}

TEST_CASE("edits form text fields: response_format and output_compression rules") {
  auto p = params();
  p.output_format = "webp";
  p.output_compression = 70;
  p.response_format = "b64_json";
  const auto body = build_edit_form(p, {source("X", "a.webp", "image/webp")}, "B");
  REQUIRE(body.find("name=\"response_format\"\r\n\r\nb64_json\r\n") != std::string::npos);
  REQUIRE(body.find("name=\"output_compression\"\r\n\r\n70\r\n") != std::string::npos);
  REQUIRE(body.find("name=\"output_format\"\r\n\r\nwebp\r\n") < body.find("name=\"response_format\""));

  p.output_format = "png";
  p.response_format = "none";
  const auto png = build_edit_form(p, {source("X", "a.png", "image/png")}, "B");
  REQUIRE(png.find("output_compression") == std::string::npos);
  REQUIRE(png.find("response_format") == std::string::npos);
}

TEST_CASE("edits form binary bytes pass through and defaults fill missing names and types") {
  std::string raw("\x89PNG\r\n\x1a\n\0\xff", 10);
  const auto body = build_edit_form(params(), {source(raw, "", "text/x\r\nInjected: 1")}, "B");
  REQUIRE(body.find("filename=\"image.png\"\r\nContent-Type: application/octet-stream\r\n\r\n" + raw + "\r\n") !=
          std::string::npos);
  REQUIRE(body.find("Injected") == std::string::npos);
}

TEST_CASE("edits form escapes quotes and line breaks in filenames") {
  const auto body = build_edit_form(params(), {source("X", "a\"b\r\nc.png", "image/png")}, "B");
  REQUIRE(body.find("filename=\"a%22b%0D%0Ac.png\"") != std::string::npos);
}

TEST_CASE("write_edit_form appends and boundaries are random") {
  std::string out = "prefix";
  write_edit_form(out, params(), {source("X", "a.png", "image/png")}, "B");
  REQUIRE(out.starts_with("prefix--B\r\n"));
  REQUIRE(out.ends_with("\r\n--B--\r\n"));
  const auto a = make_multipart_boundary();
  const auto b = make_multipart_boundary();
  REQUIRE(a != b);
  REQUIRE(a.size() == 38);
  REQUIRE(multipart_content_type(a) == "multipart/form-data; boundary=" + a);
}
