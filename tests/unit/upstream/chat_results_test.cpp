#include <catch2/catch.hpp>

#include "upstream/results.hpp"

using namespace panel::upstream;
using panel::errc;

namespace {
image_ref url(std::string v) { return image_ref{image_kind::url, std::move(v), {}}; }
} // namespace

TEST_CASE("chat JSON: Markdown image in message content") {
  auto r = parse_chat_reply(200, "application/json", R"J({"id":"c1","object":"chat.completion","choices":[
      {"index":0,"message":{"role":"assistant","content":"Here you go: ![image](https://example.com/generated.jpg)"},
       "finish_reason":"stop"}]})J");
  REQUIRE(r.has_value());
  REQUIRE(r->texts == std::vector<std::string>{"Here you go: ![image](https://example.com/generated.jpg)"});
  REQUIRE(r->images == std::vector<image_ref>{url("https://example.com/generated.jpg")});
}

TEST_CASE("chat SSE with a reasoning chunk and a Markdown image split across chunks") {
  const std::string body =
      "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"reasoning_content\":\"Thinking about "
      "https://example.com/draft.png first\"}}]}\n\n"
      "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"![image](https://example.com/gen\"}}]}\n\n"
      "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"erated.jpg)\"},\"finish_reason\":null}]}\n\n"
      "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
      "data: [DONE]\n\n";
  auto r = parse_chat_reply(200, "text/event-stream", body);
  REQUIRE(r.has_value());
  REQUIRE(r->texts == std::vector<std::string>{"![image](https://example.com/generated.jpg)"});
  // Neither the reasoning URL nor the broken half "https://example.com/gen" is an image.
  REQUIRE(r->images == std::vector<image_ref>{url("https://example.com/generated.jpg")});
}

TEST_CASE("chat SSE is recognised by a data: body under another content type") {
  auto r = extract_chat_images(200, "text/plain",
                               "data: {\"choices\":[{\"delta\":{\"content\":\"see https://e.com/a.png\"}}]}\r\n\r\n");
  REQUIRE(r.has_value());
  REQUIRE(*r == std::vector<image_ref>{url("https://e.com/a.png")});
}

TEST_CASE("chat JSON served as text/plain is accepted") {
  auto r = extract_chat_images(200, "text/plain",
                               R"J({"choices":[{"message":{"content":"![x](https://e.com/p.webp)"}}]})J");
  REQUIRE(r.has_value());
  REQUIRE(r->front() == url("https://e.com/p.webp"));
}

TEST_CASE("chat text is assembled per choice index in order of first appearance") {
  const std::string body = "data: {\"choices\":[{\"index\":1,\"delta\":{\"content\":\"B1 \"}}]}\n\n"
                           "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"A1 \"}}]}\n\n"
                           "data: {\"choices\":[{\"index\":1,\"delta\":{\"content\":\"B2\"}},"
                           "{\"index\":0,\"delta\":{\"content\":\"A2\"}}]}\n\n";
  auto r = parse_chat_reply(200, "text/event-stream", body);
  REQUIRE(r.has_value());
  REQUIRE(r->texts == std::vector<std::string>{"B1 B2", "A1 A2"});
  REQUIRE(r->images.empty());
}

TEST_CASE("chat images: data URL, Markdown, bare URL order and de-duplication") {
  const std::string content = "Bare https://e.com/1.png then ![a](https://e.com/2.png) and "
                              "![b](https://e.com/1.png) and DATA:IMAGE/PNG;BASE64,QUJD\\nREVG end";
  const std::string body = R"J({"choices":[{"message":{"content":")J" + content + R"J("}}]})J";
  auto r = extract_chat_images(200, "application/json", body);
  REQUIRE(r.has_value());
  REQUIRE(r->size() == 3);
  REQUIRE(r->at(0).kind == image_kind::data_url);
  REQUIRE(r->at(0).value == "QUJDREVGend");
  REQUIRE(r->at(1) == url("https://e.com/2.png"));
  REQUIRE(r->at(2) == url("https://e.com/1.png"));
}

TEST_CASE("chat tree walk: url, image_url and b64_json keys and other strings") {
  auto r = extract_chat_images(200, "application/json", R"J({"choices":[{"index":0,"message":{
      "content":null,
      "images":[{"type":"image_url","image_url":{"url":"https://e.com/walk.png"}},
                {"image_url":"data:image/jpeg;base64,SlBH"}],
      "attachments":[{"b64_json":" QjY0 "}],
      "note":"also ![n](<https://e.com/note.gif> \"t\")"}}],
      "url":"ftp://not-an-image"})J");
  REQUIRE(r.has_value());
  REQUIRE(*r == std::vector<image_ref>{url("https://e.com/walk.png"),
                                      image_ref{image_kind::data_url, "SlBH", "image/jpeg"},
                                      image_ref{image_kind::base64, "QjY0", {}}, url("https://e.com/note.gif")});
}

TEST_CASE("chat: the same payload as data URL and b64_json is one image") {
  auto r = extract_chat_images(200, "application/json", R"J({"choices":[{"message":{
      "content":"![x](data:image/png;base64,QUJD)"}}],"extra":{"b64_json":"QUJD"}})J");
  REQUIRE(r.has_value());
  REQUIRE(r->size() == 1);
}

TEST_CASE("chat SSE failures: malformed JSON, zero events, unsupported content type") {
  auto malformed = parse_chat_reply(200, "text/event-stream", "data: {\"choices\": [\n\n");
  REQUIRE_FALSE(malformed.has_value());
  REQUIRE(malformed.error().code == errc::upstream);
  REQUIRE(malformed.error().message == "Upstream returned malformed SSE JSON: {\"choices\": [");

  auto done_only = parse_chat_reply(200, "text/event-stream", ": keep-alive\n\ndata: [DONE]\n\n");
  REQUIRE(done_only.error().message ==
          "No SSE chat completion events in upstream response: : keep-alive\n\ndata: [DONE]\n\n");

  auto html = parse_chat_reply(202, "text/html", "<html>nope</html>");
  REQUIRE(html.error().message == "Upstream returned unsupported content-type (202): <html>nope</html>");

  auto broken = parse_chat_reply(200, "application/json", "{\"choices\":");
  REQUIRE(broken.error().message == "Upstream returned non-JSON (200): {\"choices\":");
  auto array = parse_chat_reply(200, "application/json", "[]");
  REQUIRE(array.error().message == "Upstream chat response must be an object");
}

TEST_CASE("chat: a reply without images is 'No image data' only for extraction") {
  const std::string body = R"J({"choices":[{"message":{"content":"I cannot draw that."}}]})J";
  auto reply = parse_chat_reply(200, "application/json", body);
  REQUIRE(reply.has_value());
  REQUIRE(reply->texts == std::vector<std::string>{"I cannot draw that."});
  auto images = extract_chat_images(200, "application/json", body);
  REQUIRE_FALSE(images.has_value());
  REQUIRE(images.error().message == "No image data in upstream response: " + body);
}
