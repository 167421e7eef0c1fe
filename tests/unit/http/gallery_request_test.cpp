#include "http/gallery_request.hpp"

#include <catch2/catch.hpp>

#include "http/message.hpp"

using namespace panel;
using namespace panel::http;

namespace {

expected<store::gallery_list_request> query(std::string q) {
  request req;
  req.query = std::move(q);
  return parse_gallery_query(req);
}

std::string error_of(expected<store::gallery_list_request> const& r) {
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == errc::validation);
  return r.error().message;
}

std::string batch_error(std::string_view body, bool favorite = false) {
  auto r = parse_gallery_batch(body, favorite);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == errc::validation);
  return r.error().message;
}

} // namespace

TEST_CASE("gallery query defaults", "[http][gallery]") {
  auto q = query("");
  REQUIRE(q);
  CHECK(q->page == 1);
  CHECK(q->page_size == 9);
  CHECK_FALSE(q->include_total_bytes);
  CHECK(q->filters == store::gallery_filters{});
}

TEST_CASE("gallery query values, trimmed", "[http][gallery]") {
  auto q = query("page=3&page_size=100&prompt=+red%20cube+&model=%20gpt-image-2&preset=Default&size=auto"
                 "&date_from=2026-05-01&date_to=2026-05-18&favorite=true&include_total_bytes=1");
  REQUIRE(q);
  CHECK(q->page == 3);
  CHECK(q->page_size == 100);
  CHECK(q->include_total_bytes);
  CHECK(q->filters.prompt == "red cube");
  CHECK(q->filters.model == "gpt-image-2");
  CHECK(q->filters.preset == "Default");
  CHECK(q->filters.size == "auto");
  CHECK(q->filters.date_from == std::optional<std::string>{"2026-05-01T00:00:00+00:00"});
  CHECK(q->filters.date_to == std::optional<std::string>{"2026-05-18T23:59:59.999999+00:00"});
  CHECK(q->filters.favorite == std::optional<bool>{true});
  auto off = query("favorite=false&prompt=%20%20");
  REQUIRE(off);
  CHECK(off->filters.favorite == std::optional<bool>{false});
  CHECK(off->filters.prompt.empty());
  auto blank = query("favorite=");
  REQUIRE(blank);
  CHECK_FALSE(blank->filters.favorite);
}

TEST_CASE("gallery query refusals", "[http][gallery]") {
  CHECK(error_of(query("page=0")) == "query.page - Input should be greater than or equal to 1");
  CHECK(error_of(query("page_size=0")) == "query.page_size - Input should be greater than or equal to 1");
  CHECK(error_of(query("page_size=101")) == "query.page_size - Input should be less than or equal to 100");
  CHECK(error_of(query("page=abc")).starts_with("query.page - Input should be a valid integer"));
  CHECK(error_of(query("favorite=maybe")).starts_with("query.favorite - Input should be a valid boolean"));
  CHECK(error_of(query("date_from=yesterday")) == "Gallery date filters must use YYYY-MM-DD or ISO datetime");
  CHECK(error_of(query("date_to=2026-13-01")) == "Gallery date filters must use YYYY-MM-DD or ISO datetime");
  CHECK(error_of(query("size=" + std::string(41, 'x'))) == "query.size - String should have at most 40 characters");
  CHECK(error_of(query("model=" + std::string(201, 'x'))) == "query.model - String should have at most 200 characters");
  CHECK(error_of(query("prompt=" + std::string(4001, 'x'))) ==
        "query.prompt - String should have at most 4000 characters");
  // 4000 characters of three bytes each are still 4000 characters.
  std::string wide;
  for (int i = 0; i < 4000; ++i) {
    wide += "%E5%9B%BE";
  }
  CHECK(query("prompt=" + wide).has_value());
}

TEST_CASE("favourite body", "[http][gallery]") {
  CHECK(parse_favorite_body(R"({"favorite": true})").value());
  CHECK_FALSE(parse_favorite_body(R"({"favorite": false})").value());
  CHECK(parse_favorite_body(R"({"favorite": 1})").value());
  CHECK(parse_favorite_body(R"({})").error().message == "favorite - Field required");
  CHECK(parse_favorite_body(R"({"favorite": "perhaps"})").error().message ==
        "favorite - Input should be a valid boolean");
  CHECK(parse_favorite_body(R"({"favorite": true, "x": 1})").error().message == "x - Extra inputs are not permitted");
  CHECK(parse_favorite_body("[]").error().code == errc::validation);
}

TEST_CASE("gallery batch bodies", "[http][gallery]") {
  auto ok = parse_gallery_batch(R"({"ids": [" a ", "  ", "b"]})", false);
  REQUIRE(ok);
  CHECK(ok->ids == std::vector<std::string>{"a", "b"});
  auto fav = parse_gallery_batch(R"({"ids": ["a"], "favorite": true})", true);
  REQUIRE(fav);
  CHECK(fav->favorite);

  CHECK(batch_error(R"({"ids": ["  "]})").find("ids must include at least one gallery entry id") != std::string::npos);
  CHECK(batch_error(R"({"ids": []})").find("ids must include at least one gallery entry id") != std::string::npos);
  CHECK(batch_error(R"({"ids": ["a", " a"]})").find("ids must not contain duplicates") != std::string::npos);
  CHECK(batch_error(R"({})") == "ids - Field required");
  CHECK(batch_error(R"({"ids": "a"})") == "ids - Input should be a valid list");
  CHECK(batch_error(R"({"ids": [1]})") == "ids.0 - Input should be a valid string");
  CHECK(batch_error(R"({"ids": ["a", ""]})") == "ids.1 - String should have at least 1 character");
  CHECK(batch_error(R"({"ids": ["a"], "favorite": true})") == "favorite - Extra inputs are not permitted");
  CHECK(batch_error(R"({"ids": ["a"]})", true) == "favorite - Field required");
  CHECK(batch_error(R"({"ids": [")" + std::string(129, 'x') + R"("]})") ==
        "ids.0 - String should have at most 128 characters");
  std::string many = R"({"ids": [)";
  for (int i = 0; i < 1001; ++i) {
    many += (i ? ",\"" : "\"") + std::to_string(i) + "\"";
  }
  many += "]}";
  CHECK(batch_error(many).find("at most 1000 items") != std::string::npos);
}
