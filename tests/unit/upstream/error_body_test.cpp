#include <catch2/catch.hpp>

#include "upstream/error_body.hpp"

using namespace panel::upstream;
using panel::errc;

TEST_CASE("error bodies: OpenAI, FastAPI and generic shapes") {
  REQUIRE(upstream_error_message(429, "application/json",
                                 R"J({"error":{"message":"upstream quota exhausted","type":"x","code":null}})J") ==
          "upstream quota exhausted");
  REQUIRE(upstream_error_message(400, "application/json", R"J({"error":"bad size"})J") == "bad size");
  REQUIRE(upstream_error_message(422, "application/json", R"J({"detail":"size is invalid"})J") ==
          "size is invalid");
  REQUIRE(upstream_error_message(422, "application/json", R"J({"detail":[{"loc":["body","n"],"msg":"too big"}]})J") ==
          R"J([{"loc":["body","n"],"msg":"too big"}])J");
  REQUIRE(upstream_error_message(500, "text/plain", R"J({"message":"internal failure","code":500})J") ==
          "internal failure");
}

TEST_CASE("error bodies: raw text is trimmed and cut to 500 characters") {
  REQUIRE(upstream_error_message(502, "text/html", "  <html>Bad Gateway</html>\n") == "<html>Bad Gateway</html>");
  const std::string long_text(800, 'x');
  REQUIRE(upstream_error_message(500, "text/plain", long_text) == std::string(500, 'x'));
  REQUIRE(upstream_error_message(503, "", "") == "HTTP 503");
  REQUIRE(upstream_error_message(500, "application/json", "{not json") == "{not json");
  REQUIRE(upstream_error_message(500, "application/json", R"J({"error":{"message":""}})J") ==
          R"J({"error":{"message":""}})J");
}

TEST_CASE("error bodies never carry the API key or a bearer token") {
  const auto msg = upstream_error_message(
      401, "application/json",
      R"J({"error":{"message":"Incorrect API key provided: sk-live-123456. Header was Bearer sk-live-123456"}})J",
      "sk-live-123456");
  REQUIRE(msg.find("sk-live-123456") == std::string::npos);
  REQUIRE(msg == "Incorrect API key provided: ***. Header was Bearer ***");
  REQUIRE(redact_secrets("auth: bearer abc.def, next", "") == "auth: bearer ***, next");
  REQUIRE(redact_secrets("key abc", "abc") == "key abc"); // too short to be a key
}

TEST_CASE("edits not-supported mapping: statuses and message markers") {
  REQUIRE(is_edits_unsupported(404, "whatever"));
  REQUIRE(is_edits_unsupported(405, ""));
  REQUIRE(is_edits_unsupported(501, ""));
  REQUIRE(is_edits_unsupported(400, "This model does NOT SUPPORT edits"));
  REQUIRE(is_edits_unsupported(400, "code: not_supported"));
  REQUIRE(is_edits_unsupported(400, "Unsupported endpoint"));
  REQUIRE(is_edits_unsupported(400, "Route Not Found"));
  REQUIRE(is_edits_unsupported(500, "unknown endpoint /v1/images/edits"));
  REQUIRE(is_edits_unsupported(500, "No route matched"));
  REQUIRE_FALSE(is_edits_unsupported(400, "Invalid image: must be a PNG"));
  REQUIRE_FALSE(is_edits_unsupported(500, "internal error"));
}

TEST_CASE("upstream_http_error: edits path maps, other paths do not") {
  const auto edits = upstream_http_error(api_path::images_edits, 405, "application/json",
                                         R"J({"error":{"message":"Method Not Allowed"}})J");
  REQUIRE(edits.code == errc::upstream);
  REQUIRE(edits.message == "Upstream API does not support /v1/images/edits (405): Method Not Allowed");
  const auto marker = upstream_http_error(api_path::images_edits, 400, "application/json",
                                          R"J({"error":{"message":"images/edits is unsupported for this model"}})J");
  REQUIRE(marker.message ==
          "Upstream API does not support /v1/images/edits (400): images/edits is unsupported for this model");
  const auto plain = upstream_http_error(api_path::images_edits, 400, "application/json",
                                         R"J({"error":{"message":"Invalid mask"}})J");
  REQUIRE(plain.message == "Upstream API error (400): Invalid mask");
  const auto gen = upstream_http_error(api_path::images_generations, 404, "text/plain", "not found");
  REQUIRE(gen.message == "Upstream API error (404): not found");
}
