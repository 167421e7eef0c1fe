#include <catch2/catch.hpp>

#include "http/generate_request.hpp"

using namespace panel;
using namespace panel::http;

namespace {
using fields = std::vector<std::pair<std::string, std::string>>;
std::string message_of(fields const& f) {
  auto r = parse_edit_form(f);
  REQUIRE_FALSE(r.has_value());
  REQUIRE(r.error().code == errc::validation);
  return r.error().message;
}
} // namespace

TEST_CASE("edit form defaults") {
  auto r = parse_edit_form({{"prompt", "make it blue"}});
  REQUIRE(r);
  REQUIRE(r->params.prompt == "make it blue");
  REQUIRE(r->params.size == "auto");
  REQUIRE(r->params.model.empty());
  REQUIRE(r->params.n == 1);
  REQUIRE(r->params.quality == "auto");
  REQUIRE(r->params.output_format == "png");
  REQUIRE_FALSE(r->params.output_compression.has_value());
  REQUIRE_FALSE(r->params.response_format.has_value());
  REQUIRE_FALSE(r->webhook_url.has_value());
  REQUIRE_FALSE(r->api_path.has_value());
}

TEST_CASE("edit form: empty strings are absent, unknown fields and api_path ignored") {
  auto r = parse_edit_form({{"prompt", "p"}, {"size", ""}, {"model", ""}, {"n", ""}, {"quality", ""},
                            {"output_format", ""}, {"output_compression", ""}, {"response_format", ""},
                            {"webhook_url", ""}, {"api_path", "/v1/responses"}, {"whatever", "x"}});
  REQUIRE(r);
  REQUIRE(r->params.size == "auto");
  REQUIRE(r->params.n == 1);
  REQUIRE_FALSE(r->api_path.has_value());
}

TEST_CASE("edit form values") {
  auto r = parse_edit_form({{"prompt", "p"}, {"size", "1024X1024"}, {"model", " gpt-image-1 "}, {"n", "3"},
                            {"quality", "high"}, {"output_format", "jpeg"}, {"response_format", "b64_json"},
                            {"webhook_url", "https://hooks.example.com/x"}});
  REQUIRE(r);
  REQUIRE(r->params.size == "1024x1024");
  REQUIRE(r->params.model == "gpt-image-1");
  REQUIRE(r->params.n == 3);
  REQUIRE(r->params.quality == "high");
  REQUIRE(r->params.output_compression == std::optional<int>(100)); // jpeg default
  REQUIRE(r->params.response_format == std::optional<std::string>("b64_json"));
  REQUIRE(r->webhook_url == std::optional<std::string>("https://hooks.example.com/x"));
  auto png = parse_edit_form({{"prompt", "p"}, {"output_compression", "50"}});
  REQUIRE(png);
  REQUIRE_FALSE(png->params.output_compression.has_value()); // forced null for png
  auto webp = parse_edit_form({{"prompt", "p"}, {"output_format", "webp"}, {"output_compression", "40"}});
  REQUIRE(webp->params.output_compression == std::optional<int>(40));
  auto last = parse_edit_form({{"prompt", "first"}, {"prompt", "second"}});
  REQUIRE(last->params.prompt == "second");
}

TEST_CASE("edit form errors") {
  REQUIRE(message_of({}) == "prompt is required");
  REQUIRE(message_of({{"prompt", ""}}) == "prompt is required");
  REQUIRE(message_of({{"prompt", "p"}, {"n", "two"}}) == "n must be an integer");
  REQUIRE(message_of({{"prompt", "p"}, {"n", "1.5"}}) == "n must be an integer");
  REQUIRE(message_of({{"prompt", "p"}, {"output_compression", "x"}}) == "output_compression must be an integer");
  // The JSON model's messages.
  REQUIRE(message_of({{"prompt", "   "}}) == "prompt - String should have at least 1 character");
  REQUIRE(message_of({{"prompt", std::string(4001, 'a')}}) == "prompt - String should have at most 4000 characters");
  REQUIRE(message_of({{"prompt", "p"}, {"size", "1025x1025"}}) == "size - size width and height must be multiples of 16");
  REQUIRE(message_of({{"prompt", "p"}, {"n", "11"}}) == "n - Input should be between 1 and 10");
  REQUIRE(message_of({{"prompt", "p"}, {"n", "0"}}) == "n - Input should be between 1 and 10");
  REQUIRE(message_of({{"prompt", "p"}, {"quality", "ultra"}}).starts_with("quality - Input should be 'auto'"));
  REQUIRE(message_of({{"prompt", "p"}, {"output_format", "gif"}}).starts_with("output_format - "));
  REQUIRE(message_of({{"prompt", "p"}, {"output_format", "jpeg"}, {"output_compression", "101"}}) ==
          "output_compression - Input should be between 0 and 100");
  REQUIRE(message_of({{"prompt", "p"}, {"response_format", "file"}}).starts_with("response_format - "));
}

TEST_CASE("edit form and JSON model agree on messages") {
  auto json = parse_generate_request(R"({"prompt":"p","size":"100x100"})");
  auto form = parse_edit_form({{"prompt", "p"}, {"size", "100x100"}});
  REQUIRE_FALSE(json);
  REQUIRE_FALSE(form);
  REQUIRE(json.error().message == form.error().message);
  json = parse_generate_request(R"({"prompt":"p","quality":"x"})");
  form = parse_edit_form({{"prompt", "p"}, {"quality", "x"}});
  REQUIRE(json.error().message == form.error().message);
}
