#include <catch2/catch.hpp>

#include "upstream/payloads.hpp"

using namespace panel::upstream;

namespace {
generation_params sample() {
  generation_params p;
  p.model = "gpt-image-2";
  p.prompt = "a red fox, \"quoted\"\nsecond line — ünïcode";
  p.size = "1024x1024";
  p.quality = "high";
  p.output_format = "png";
  p.n = 3;
  return p;
}
} // namespace

TEST_CASE("generations payload: exact bytes, n always 1, optional fields omitted") {
  auto p = sample();
  REQUIRE(build_generations_payload(p) ==
          R"({"model":"gpt-image-2","prompt":"a red fox, \"quoted\"\nsecond line — ünïcode","size":"1024x1024",)"
          R"("n":1,"quality":"high","output_format":"png"})");
}

TEST_CASE("generations payload: response_format sent unless null or none") {
  auto p = sample();
  p.prompt = "x";
  p.response_format = "url";
  REQUIRE(build_generations_payload(p) ==
          R"({"model":"gpt-image-2","prompt":"x","size":"1024x1024","n":1,"quality":"high",)"
          R"("output_format":"png","response_format":"url"})");
  p.response_format = "none";
  REQUIRE(build_generations_payload(p).find("response_format") == std::string::npos);
  p.response_format.reset();
  REQUIRE(build_generations_payload(p).find("response_format") == std::string::npos);
}

TEST_CASE("generations payload: output_compression only for non-png formats") {
  auto p = sample();
  p.prompt = "x";
  p.output_compression = 80;
  REQUIRE(build_generations_payload(p).find("output_compression") == std::string::npos);
  p.output_format = "jpeg";
  p.response_format = "b64_json";
  REQUIRE(build_generations_payload(p) ==
          R"({"model":"gpt-image-2","prompt":"x","size":"1024x1024","n":1,"quality":"high",)"
          R"("output_format":"jpeg","response_format":"b64_json","output_compression":80})");
  p.output_compression.reset();
  REQUIRE(build_generations_payload(p).find("output_compression") == std::string::npos);
}

TEST_CASE("responses payload: exactly prompt then model; blank model falls back") {
  auto p = sample();
  p.prompt = "a cat";
  p.model = "gpt-4.1";
  REQUIRE(build_responses_payload(p) == R"({"prompt":"a cat","model":"gpt-4.1"})");
  p.model = "";
  REQUIRE(build_responses_payload(p) == R"({"prompt":"a cat","model":"gpt-5.4"})");
  p.model = "   ";
  REQUIRE(build_responses_payload(p, "custom-default") == R"({"prompt":"a cat","model":"custom-default"})");
}

TEST_CASE("chat completions payload: exact bytes") {
  auto p = sample();
  p.model = "gpt-image-chat";
  p.prompt = "draw a \"boat\"";
  p.output_format = "webp";
  p.output_compression = 50;
  p.response_format = "url";
  REQUIRE(build_chat_completions_payload(p) ==
          R"({"model":"gpt-image-chat","messages":[{"role":"user","content":"draw a \"boat\""}],"stream":false})");
}
