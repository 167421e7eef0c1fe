#include <catch2/catch.hpp>

#include "upstream/optimizer.hpp"

using namespace panel::upstream;
using panel::errc;

TEST_CASE("optimizer payload: exact bytes with context lines") {
  optimizer_request r;
  r.model = "prompt-model";
  r.system_prompt = "You are a prompt engineer.";
  r.prompt = "a fox";
  r.target_language = "zh-CN";
  r.api_path = "/v1/images/generations";
  r.image_model = "gpt-image-2";
  r.size = "1024x1024";
  REQUIRE(build_optimizer_payload(r) ==
          R"J({"model":"prompt-model","messages":[{"role":"system","content":"You are a prompt engineer."},)J"
          R"J({"role":"user","content":"Target language: zh-CN\nImage API path: /v1/images/generations\n)J"
          R"J(Image model: gpt-image-2\nSize: 1024x1024\nQuality: unspecified\n\nUser image idea:\na fox"}],)J"
          R"J("temperature":0.4,"max_tokens":900,"stream":false})J");
}

TEST_CASE("optimizer user message: language names and unspecified values") {
  optimizer_request r;
  r.prompt = "idea";
  r.target_language = "same";
  r.quality = "";
  REQUIRE(build_optimizer_user_message(r) ==
          "Target language: same as user's input language\nImage API path: unspecified\nImage model: unspecified\n"
          "Size: unspecified\nQuality: unspecified\n\nUser image idea:\nidea");
  r.target_language = "fr";
  REQUIRE(build_optimizer_user_message(r).starts_with("Target language: en\n"));
}

TEST_CASE("optimizer output cleaning") {
  REQUIRE(clean_optimizer_output("```text\nA red fox at dawn.\n```", 100) == "A red fox at dawn.");
  REQUIRE(clean_optimizer_output("  \"'A quoted prompt'\"  ", 100) == "A quoted prompt");
  REQUIRE(clean_optimizer_output("```\n\"fenced and quoted\"\n```\n", 100) == "fenced and quoted");
  REQUIRE(clean_optimizer_output("keep ``` inside", 100) == "keep ``` inside");
  REQUIRE(clean_optimizer_output("狐狸在黎明", 2) == "狐狸");
}

TEST_CASE("optimizer response parsing: success and model fallback") {
  auto ok = parse_optimizer_response(200, R"J({"model":"up-model","choices":[{"message":{"content":"```\nBetter\n```"}}]})J",
                                     "configured", 4000);
  REQUIRE(ok.has_value());
  REQUIRE(ok->optimized_prompt == "Better");
  REQUIRE(ok->model == "up-model");
  auto fallback = parse_optimizer_response(200, R"J({"choices":[{"message":{"content":"Fine"}}]})J", "configured", 4000);
  REQUIRE(fallback->model == "configured");
}

TEST_CASE("optimizer response parsing: failures") {
  auto status = parse_optimizer_response(500, "{}", "m", 10);
  REQUIRE(status.error().code == errc::upstream);
  REQUIRE(status.error().message == "Optimizer upstream returned HTTP 500");
  REQUIRE(parse_optimizer_response(200, "<html>", "m", 10).error().message == "Optimizer returned non-JSON response");
  REQUIRE(parse_optimizer_response(200, R"J({"choices":[]})J", "m", 10).error().message ==
          "Optimizer response missing choices[0].message.content");
  REQUIRE(parse_optimizer_response(200, R"J({"choices":[{"message":{}}]})J", "m", 10).error().message ==
          "Optimizer response missing choices[0].message.content");
  REQUIRE(parse_optimizer_response(200, R"J({"choices":[{"message":{"content":null}}]})J", "m", 10).error().message ==
          "Optimizer returned empty content");
  REQUIRE(parse_optimizer_response(200, R"J({"choices":[{"message":{"content":"  \n"}}]})J", "m", 10).error().message ==
          "Optimizer returned empty content");
}
