#include <catch2/catch.hpp>

#include "http/job_query.hpp"
#include "http/message.hpp"

using namespace panel;
using namespace panel::http;

namespace {
expected<actors::job_list_query> parse(std::string query) {
  request req;
  req.query = std::move(query);
  return parse_job_list_query(req);
}
std::string message_of(std::string query) {
  auto r = parse(std::move(query));
  REQUIRE_FALSE(r.has_value());
  REQUIRE(r.error().code == errc::validation);
  return r.error().message;
}
} // namespace

TEST_CASE("job list query defaults") {
  auto q = parse("");
  REQUIRE(q);
  REQUIRE_FALSE(q->include_finished);
  REQUIRE_FALSE(q->failed_only);
  REQUIRE(q->limit == 100);
  REQUIRE(q->offset == 0);
}

TEST_CASE("job list query values") {
  auto q = parse("include_finished=true&failed_only=1&limit=2&offset=1");
  REQUIRE(q);
  REQUIRE(q->include_finished);
  REQUIRE(q->failed_only);
  REQUIRE(q->limit == 2);
  REQUIRE(q->offset == 1);
  q = parse("limit=500&offset=0&include_finished=OFF");
  REQUIRE(q);
  REQUIRE(q->limit == 500);
  REQUIRE_FALSE(q->include_finished);
}

TEST_CASE("query bools as FastAPI reads them") {
  for (auto t : {"true", "True", "TRUE", "1", "yes", "Yes", "on", "ON", "t", "y"}) {
    REQUIRE(query_bool(std::string(t), "b", false).value_or(false) == true);
  }
  for (auto f : {"false", "False", "0", "no", "NO", "off", "f", "n"}) {
    REQUIRE(query_bool(std::string(f), "b", true).value_or(true) == false);
  }
  REQUIRE(query_bool(std::nullopt, "b", true).value_or(false) == true);
  for (auto bad : {"", "2", "maybe", "truee", "-1"}) {
    auto r = query_bool(std::string(bad), "include_finished", false);
    REQUIRE_FALSE(r);
    REQUIRE(r.error().message == "query.include_finished - Input should be a valid boolean, unable to interpret input");
  }
}

TEST_CASE("job list query refuses out-of-range and non-integer values") {
  REQUIRE(message_of("limit=0") == "query.limit - Input should be greater than or equal to 1");
  REQUIRE(message_of("limit=501") == "query.limit - Input should be less than or equal to 500");
  REQUIRE(message_of("offset=-1") == "query.offset - Input should be greater than or equal to 0");
  REQUIRE(message_of("limit=abc") == "query.limit - Input should be a valid integer, unable to parse string as an integer");
  REQUIRE(message_of("limit=1.5").find("valid integer") != std::string::npos);
  REQUIRE(message_of("offset=") .find("valid integer") != std::string::npos);
  REQUIRE(message_of("limit=99999999999999999999").find("valid integer") != std::string::npos);
  REQUIRE(message_of("failed_only=x").find("query.failed_only") != std::string::npos);
}
