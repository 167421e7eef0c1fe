#include <catch2/catch.hpp>

#include "upstream/results.hpp"

using namespace panel::upstream;
using panel::errc;

namespace {
image_ref b64(std::string v) { return image_ref{image_kind::base64, std::move(v), {}}; }
image_ref url(std::string v) { return image_ref{image_kind::url, std::move(v), {}}; }
} // namespace

TEST_CASE("JSON detection: content types and the leading-brace rule") {
  REQUIRE(is_json_content_type("application/json"));
  REQUIRE(is_json_content_type("Application/JSON; charset=utf-8"));
  REQUIRE(is_json_content_type("application/problem+json"));
  REQUIRE_FALSE(is_json_content_type("text/plain"));
  REQUIRE_FALSE(is_json_content_type("application/jsonl"));
  REQUIRE(is_json_response("text/plain", "  \n{\"data\":[]}"));
  REQUIRE(is_json_response("", "[1]"));
  REQUIRE(is_json_response("application/json", "oops"));
  REQUIRE_FALSE(is_json_response("text/html", "<html>{"));
  REQUIRE(is_sse_response("text/event-stream; charset=utf-8", ""));
  REQUIRE(is_sse_response("text/plain", "\n\ndata: {}"));
  REQUIRE_FALSE(is_sse_response("text/plain", "event: x"));
}

TEST_CASE("generations: data[] items with b64_json or url, in order") {
  auto r = extract_data_images(200, "application/json",
                               R"J({"created":1,"data":[{"b64_json":"iVBORw0KGgo="},{"url":"https://cdn.example.com/a.png"},)J"
                               R"J({"b64_json":"","url":"https://cdn.example.com/b.png"}]})J");
  REQUIRE(r.has_value());
  REQUIRE(*r == std::vector<image_ref>{b64("iVBORw0KGgo="), url("https://cdn.example.com/a.png"),
                                      url("https://cdn.example.com/b.png")});
}

TEST_CASE("generations: JSON served as text/plain is accepted") {
  auto r = extract_data_images(200, "text/plain; charset=utf-8", R"J({"data":[{"b64_json":"QUJD"}]})J");
  REQUIRE(r.has_value());
  REQUIRE(r->size() == 1);
  REQUIRE(r->front() == b64("QUJD"));
}

TEST_CASE("generations: a data URL in b64_json or url is decoded inline") {
  auto r = extract_data_images(200, "application/json",
                               R"J({"data":[{"b64_json":"data:image/png;base64,QUJD"},{"url":"data:image/webp;base64,REVG"}]})J");
  REQUIRE(r.has_value());
  REQUIRE(r->at(0) == image_ref{image_kind::data_url, "QUJD", "image/png"});
  REQUIRE(r->at(1) == image_ref{image_kind::data_url, "REVG", "image/webp"});
}

TEST_CASE("generations: an item with neither field fails with the preview") {
  const std::string body = R"J({"data":[{"revised_prompt":"x"}]})J";
  auto r = extract_data_images(200, "application/json", body);
  REQUIRE_FALSE(r.has_value());
  REQUIRE(r.error().code == errc::upstream);
  REQUIRE(r.error().message == "No image data (b64_json or url) in upstream response: " + body);
}

TEST_CASE("generations: the preview is the first 200 characters, UTF-8 aware") {
  std::string body = R"J({"data":[{"note":")J";
  for (int i = 0; i < 300; ++i) {
    body += "é";
  }
  body += R"J("}]})J";
  auto r = extract_data_images(200, "application/json", body);
  REQUIRE_FALSE(r.has_value());
  const auto prefix = std::string("No image data (b64_json or url) in upstream response: ");
  REQUIRE(r.error().message.starts_with(prefix));
  const auto preview = r.error().message.substr(prefix.size());
  REQUIRE(preview.size() == 18 + 182 * 2); // 18 ASCII + 182 two-byte characters
  REQUIRE(body.starts_with(preview));
}

TEST_CASE("generations: empty, missing or malformed data") {
  auto empty = extract_data_images(200, "application/json", R"J({"data":[]})J");
  REQUIRE(empty.error().message == R"J(No image data in upstream response: {"data":[]})J");
  auto missing = extract_data_images(200, "application/json", R"J({"error":null})J");
  REQUIRE(missing.error().message == R"J(No image data in upstream response: {"error":null})J");
  auto not_array = extract_data_images(200, "application/json", R"J({"data":{"url":"https://x"}})J");
  REQUIRE(not_array.error().message == "Upstream image data must be an array");
  auto not_object = extract_data_images(200, "application/json", R"J([1,2])J");
  REQUIRE(not_object.error().message == "Upstream JSON response must be an object");
  auto broken = extract_data_images(200, "application/json", R"J({"data":[)J");
  REQUIRE(broken.error().message == R"J(Upstream returned non-JSON (200): {"data":[)J");
  auto html = extract_data_images(200, "text/html", "<html>hi</html>");
  REQUIRE(html.error().message == "Upstream returned non-JSON content-type (200): <html>hi</html>");
}

TEST_CASE("responses: image_generation_call results as base64 and URL") {
  auto r = extract_responses_images(200, "application/json", R"J({"output":[
      {"type":"reasoning","summary":[]},
      {"type":"image_generation_call","status":"completed","result":"iVBORw0KGgo="},
      {"type":"message","content":[{"type":"output_text","text":"https://not.an/image.png"}]},
      {"type":"image_generation_call","result":"https://files.example.com/out.png"}]})J");
  REQUIRE(r.has_value());
  REQUIRE(*r == std::vector<image_ref>{b64("iVBORw0KGgo="), url("https://files.example.com/out.png")});
}

TEST_CASE("responses: object results use the first of url, b64_json, base64, data, result") {
  auto r = extract_responses_images(200, "application/json", R"J({"output":[
      {"type":"image_generation_call","result":{"data":"REFUQQ==","b64_json":"QjY0"}},
      {"type":"image_generation_call","result":{"b64_json":"","result":{"url":"http://h.example/x.png"}}},
      {"type":"image_generation_call","result":{"base64":"QkFTRQ=="}}]})J");
  REQUIRE(r.has_value());
  REQUIRE(*r == std::vector<image_ref>{b64("QjY0"), url("http://h.example/x.png"), b64("QkFTRQ==")});
}

TEST_CASE("responses: array results take the first element yielding an image") {
  auto r = extract_responses_images(200, "application/json", R"J({"output":[
      {"type":"image_generation_call","result":[null,"",{"other":1},{"b64_json":"Rk9P"},"QkFS"]}]})J");
  REQUIRE(r.has_value());
  REQUIRE(*r == std::vector<image_ref>{b64("Rk9P")});
}

TEST_CASE("responses: one image per matching item, duplicates kept") {
  auto r = extract_responses_images(200, "application/json", R"J({"output":[
      {"type":"image_generation_call","result":"QUFB"},{"type":"image_generation_call","result":"QUFB"}]})J");
  REQUIRE(r.has_value());
  REQUIRE(r->size() == 2);
}

TEST_CASE("responses: no usable output is 'No image data'") {
  const std::string body = R"J({"output":[{"type":"image_generation_call","result":""},{"type":"message"}]})J";
  auto r = extract_responses_images(200, "application/json", body);
  REQUIRE_FALSE(r.has_value());
  REQUIRE(r.error().message == "No image data in upstream response: " + body);
  auto none = extract_responses_images(200, "application/json", R"J({"id":"resp_1"})J");
  REQUIRE(none.error().message == R"J(No image data in upstream response: {"id":"resp_1"})J");
}

TEST_CASE("extract_images dispatches by path and maps HTTP failures") {
  auto gen = extract_images(api_path::images_generations, 200, "application/json", R"J({"data":[{"url":"https://a/b"}]})J");
  REQUIRE(gen.has_value());
  REQUIRE(gen->front() == url("https://a/b"));
  auto resp = extract_images(api_path::responses, 200, "application/json",
                             R"J({"output":[{"type":"image_generation_call","result":"QQ=="}]})J");
  REQUIRE(resp.has_value());
  REQUIRE(resp->front() == b64("QQ=="));
  auto chat = extract_images(api_path::chat_completions, 200, "application/json",
                             R"J({"choices":[{"message":{"content":"![i](https://e.com/x.jpg)"}}]})J");
  REQUIRE(chat.has_value());
  REQUIRE(chat->front() == url("https://e.com/x.jpg"));

  auto quota = extract_images(api_path::images_generations, 429, "application/json",
                              R"J({"error":{"message":"upstream quota exhausted","type":"insufficient_quota"}})J");
  REQUIRE_FALSE(quota.has_value());
  REQUIRE(quota.error().code == errc::upstream);
  REQUIRE(quota.error().message == "Upstream API error (429): upstream quota exhausted");
  auto edits = extract_images(api_path::images_edits, 404, "text/plain", "404 page not found");
  REQUIRE(edits.error().message == "Upstream API does not support /v1/images/edits (404): 404 page not found");
}
