#include <catch2/catch.hpp>

#include "http/json_body.hpp"

using namespace panel::http;

TEST_CASE("strict models refuse unknown keys and bad types") {
  auto ok = json_body::parse(R"({"access_key":"k"})", {"access_key"});
  REQUIRE(ok.has_value());
  REQUIRE((*ok)->required_string("access_key", 1, 10).value() == "k");

  auto extra = json_body::parse(R"({"access_key":"k","unexpected":true})", {"access_key"});
  REQUIRE_FALSE(extra.has_value());
  REQUIRE(extra.error().code == panel::errc::validation);
  REQUIRE(extra.error().message == "unexpected - Extra inputs are not permitted");

  REQUIRE_FALSE(json_body::parse("not json", {"a"}).has_value());
  REQUIRE_FALSE(json_body::parse("[1]", {"a"}).has_value());

  auto wrong = json_body::parse(R"({"access_key":5})", {"access_key"});
  REQUIRE(wrong.has_value());
  REQUIRE((*wrong)->required_string("access_key", 1, 10).error().message ==
          "access_key - Input should be a valid string");
  auto empty = json_body::parse(R"({"access_key":""})", {"access_key"});
  REQUIRE((*empty)->required_string("access_key", 1, 10).error().message ==
          "access_key - String should have at least 1 character");
  auto missing = json_body::parse(R"({})", {"access_key"});
  REQUIRE((*missing)->required_string("access_key", 1, 10).error().message == "access_key - Field required");
  auto long_utf8 = json_body::parse(R"({"k":"ééé"})", {"k"});
  REQUIRE((*long_utf8)->required_string("k", 1, 3).has_value());
  REQUIRE_FALSE((*long_utf8)->required_string("k", 1, 2).has_value());
}
