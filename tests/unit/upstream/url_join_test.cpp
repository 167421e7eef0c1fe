#include <catch2/catch.hpp>

#include "upstream/api_path.hpp"
#include "upstream/url_join.hpp"

using panel::upstream::api_path;
using panel::upstream::build_upstream_url;

TEST_CASE("URL joining: the three §6.1 examples give the same endpoint") {
  const std::string want = "https://api.example.com/v1/chat/completions";
  REQUIRE(build_upstream_url("https://api.example.com", "/v1/chat/completions") == want);
  REQUIRE(build_upstream_url("https://api.example.com/v1", "/v1/chat/completions") == want);
  REQUIRE(build_upstream_url("https://api.example.com/v1/chat/completions", "/v1/chat/completions") == want);
}

TEST_CASE("URL joining strips trailing slashes before comparing") {
  REQUIRE(build_upstream_url("https://api.example.com/", "/v1/images/edits") ==
          "https://api.example.com/v1/images/edits");
  REQUIRE(build_upstream_url("https://api.example.com/v1//", "/v1/images/edits") ==
          "https://api.example.com/v1/images/edits");
  REQUIRE(build_upstream_url("https://api.example.com/v1/images/edits/", "/v1/images/edits") ==
          "https://api.example.com/v1/images/edits");
}

TEST_CASE("URL joining keeps other prefixes and only folds a final /v1") {
  REQUIRE(build_upstream_url("https://gw.example.com/openai", "/v1/responses") ==
          "https://gw.example.com/openai/v1/responses");
  REQUIRE(build_upstream_url("https://gw.example.com/v1beta", "/v1/responses") ==
          "https://gw.example.com/v1beta/v1/responses");
  REQUIRE(build_upstream_url("https://gw.example.com/proxy/v1", "/v1/images/generations") ==
          "https://gw.example.com/proxy/v1/images/generations");
}

TEST_CASE("API paths round-trip through their text") {
  for (auto p : {api_path::images_generations, api_path::images_edits, api_path::responses,
                 api_path::chat_completions}) {
    REQUIRE(panel::upstream::parse_api_path(panel::upstream::to_string(p)) == p);
  }
  REQUIRE(panel::upstream::to_string(api_path::chat_completions) == "/v1/chat/completions");
  REQUIRE(panel::upstream::parse_api_path(" /v1/responses ") == api_path::responses);
  REQUIRE_FALSE(panel::upstream::parse_api_path("/v1/images/variations").has_value());
  REQUIRE_FALSE(panel::upstream::parse_api_path("").has_value());
}
