#include <catch2/catch.hpp>

#include "http/generate_request.hpp"

using namespace panel;
using namespace panel::http;

namespace {
std::string message_of(std::string_view body) {
  auto r = parse_generate_request(body);
  REQUIRE_FALSE(r.has_value());
  REQUIRE(r.error().code == errc::validation);
  return r.error().message;
}
} // namespace

TEST_CASE("defaults of the request model") {
  auto r = parse_generate_request(R"({"prompt":"a lighthouse"})");
  REQUIRE(r.has_value());
  REQUIRE(r->params.prompt == "a lighthouse");
  REQUIRE(r->params.size == "auto");
  REQUIRE(r->params.model.empty()); // the preset's default_model applies
  REQUIRE(r->params.n == 1);
  REQUIRE(r->params.quality == "auto");
  REQUIRE(r->params.output_format == "png");
  REQUIRE_FALSE(r->params.output_compression.has_value());
  REQUIRE_FALSE(r->params.response_format.has_value());
  REQUIRE_FALSE(r->api_path.has_value());
}

TEST_CASE("strict model: unknown fields and empty prompts are 422") {
  REQUIRE(message_of(R"({"prompt":"valid","unexpected":true})").find("unexpected") != std::string::npos);
  REQUIRE(message_of(R"({"prompt":""})").starts_with("prompt - "));
  REQUIRE(message_of(R"({"prompt":"   "})").starts_with("prompt - "));
  REQUIRE(message_of(R"({})") == "prompt - Field required");
  REQUIRE(message_of(R"({"prompt":"x","n":11})").starts_with("n - "));
  REQUIRE(message_of(R"({"prompt":"x","n":"3"})") == "n - Input should be a valid integer");
  REQUIRE(message_of(R"({"prompt":"x","quality":"ultra"})").starts_with("quality - Input should be"));
  REQUIRE(message_of(R"({"prompt":"x","api_path":"/v1/images/edits"})").starts_with("api_path - "));
}

TEST_CASE("size rules and their messages") {
  REQUIRE(normalise_size("1024X1536").value() == "1024x1536");
  REQUIRE(normalise_size(" auto ").value() == "auto");
  REQUIRE(message_of(R"({"prompt":"x","size":"1025x1025"})") ==
          "size - size width and height must be multiples of 16");
  REQUIRE(normalise_size("big").error().message == "size - size must be 'auto' or formatted as WIDTHxHEIGHT");
  REQUIRE(normalise_size("0x0").error().message ==
          "size - size width and height must be positive, with max side <= 3840");
  REQUIRE(normalise_size("4096x1024").error().message ==
          "size - size width and height must be positive, with max side <= 3840");
  REQUIRE(normalise_size("3072x512").error().message == "size - size aspect ratio must not exceed 3:1");
  REQUIRE(normalise_size("512x512").error().message == "size - size total pixels must be between 655360 and 8294400");
  REQUIRE(normalise_size("3840x2160").has_value());
  REQUIRE(normalise_size("2880x2880").has_value());
}

TEST_CASE("output compression follows the format") {
  auto png = parse_generate_request(R"({"prompt":"x","output_compression":50})");
  REQUIRE_FALSE(png->params.output_compression.has_value());
  auto jpeg = parse_generate_request(R"({"prompt":"x","output_format":"jpeg"})");
  REQUIRE(jpeg->params.output_compression == 100);
  auto webp = parse_generate_request(R"({"prompt":"x","output_format":"webp","output_compression":40})");
  REQUIRE(webp->params.output_compression == 40);
  REQUIRE(message_of(R"({"prompt":"x","output_format":"webp","output_compression":101})")
              .starts_with("output_compression - "));
}

TEST_CASE("api_path override, response format and webhook") {
  auto r = parse_generate_request(
      R"({"prompt":"x","api_path":"/v1/responses","response_format":"b64_json","model":" gpt-image-2 ","webhook_url":"https://hooks.example.com/x"})");
  REQUIRE(r.has_value());
  REQUIRE(r->api_path == upstream::api_path::responses);
  REQUIRE(r->params.response_format == "b64_json");
  REQUIRE(r->params.model == "gpt-image-2");
  REQUIRE(r->webhook_url == "https://hooks.example.com/x");
  auto nulls = parse_generate_request(R"({"prompt":"x","response_format":null,"api_path":null,"size":null})");
  REQUIRE(nulls.has_value());
  REQUIRE(nulls->params.size == "auto");
}
