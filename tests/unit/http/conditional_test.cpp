#include "http/conditional.hpp"

#include <catch2/catch.hpp>

#include "http/message.hpp"

using namespace panel::http;

namespace {

file_validators file(std::uint64_t size, std::int64_t mtime_s) {
  return file_validators{size, mtime_s * 1'000'000'000 + 123'456'789};
}

conditional_request get_with_range(std::string range) {
  conditional_request req;
  req.range = std::move(range);
  return req;
}

} // namespace

TEST_CASE("strong ETags change with size and mtime", "[http][conditional]") {
  auto const a = make_etag(file(10, 1000));
  CHECK(a.front() == '"');
  CHECK(a.back() == '"');
  CHECK(a.find("W/") == std::string::npos);
  CHECK(a == make_etag(file(10, 1000)));
  CHECK(a != make_etag(file(11, 1000)));
  CHECK(a != make_etag(file_validators{10, 1000 * 1'000'000'000LL + 1}));
}

TEST_CASE("HTTP dates round trip as IMF-fixdate", "[http][conditional]") {
  CHECK(http_date(784111777) == "Sun, 06 Nov 1994 08:49:37 GMT");
  CHECK(http_date(0) == "Thu, 01 Jan 1970 00:00:00 GMT");
  CHECK(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT") == std::optional<std::int64_t>{784111777});
  CHECK(parse_http_date(http_date(1767225600)) == std::optional<std::int64_t>{1767225600});
  for (auto bad : {"", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994", "Sun, 31 Feb 1994 08:49:37 GMT",
                   "Sun, 06 Nov 1994 25:49:37 GMT", "Sun, 06 Xyz 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 UTC"}) {
    CHECK_FALSE(parse_http_date(bad).has_value());
  }
  CHECK(last_modified_seconds(file(1, 1000)) == 1000);
}

TEST_CASE("If-None-Match uses the weak comparison", "[http][conditional]") {
  std::string const tag = "\"a-b\"";
  CHECK(if_none_match_matches("\"a-b\"", tag));
  CHECK(if_none_match_matches("W/\"a-b\"", tag));
  CHECK(if_none_match_matches("\"x\", \"a-b\"", tag));
  CHECK(if_none_match_matches("*", tag));
  CHECK_FALSE(if_none_match_matches("\"a-c\"", tag));
  CHECK_FALSE(if_none_match_matches("a-b", tag));
  CHECK_FALSE(if_none_match_matches("", tag));
}

TEST_CASE("single byte ranges", "[http][conditional]") {
  auto check = [](std::string_view field, std::uint64_t size, range_kind kind, std::uint64_t first = 0,
                  std::uint64_t length = 0) {
    INFO(field << " of " << size);
    auto const plan = parse_range(field, size);
    CHECK(plan.kind == kind);
    if (kind == range_kind::partial) {
      CHECK(plan.range.first == first);
      CHECK(plan.range.length == length);
    }
  };
  check("bytes=0-9", 100, range_kind::partial, 0, 10);
  check("bytes=10-", 100, range_kind::partial, 10, 90);
  check("bytes=-10", 100, range_kind::partial, 90, 10);
  check("bytes=-1000", 100, range_kind::partial, 0, 100);
  check("bytes=90-1000", 100, range_kind::partial, 90, 10);
  check("bytes=99-99", 100, range_kind::partial, 99, 1);
  check("BYTES = 5-6", 100, range_kind::whole);  // no space allowed before '='
  check("Bytes=5-6", 100, range_kind::partial, 5, 2);
  check("bytes=100-", 100, range_kind::unsatisfiable);
  check("bytes=100-200", 100, range_kind::unsatisfiable);
  check("bytes=-0", 100, range_kind::unsatisfiable);
  check("bytes=0-0", 0, range_kind::unsatisfiable);
  check("bytes=-5", 0, range_kind::unsatisfiable);
  check("bytes=5-1", 100, range_kind::whole);
  check("bytes=0-1,5-6", 100, range_kind::whole);
  check("items=0-1", 100, range_kind::whole);
  check("bytes=abc", 100, range_kind::whole);
  check("bytes=-", 100, range_kind::whole);
  check("bytes=1-x", 100, range_kind::whole);
  check("bytes=+1-2", 100, range_kind::whole);
  check("bytes=99999999999999999999999-", 100, range_kind::whole);
}

TEST_CASE("conditional GET decisions", "[http][conditional]") {
  auto const v = file(100, 1000);
  auto const etag = make_etag(v);

  conditional_request plain;
  CHECK(evaluate_conditional(plain, v).outcome == conditional_outcome::full);

  conditional_request inm;
  inm.if_none_match = etag;
  CHECK(evaluate_conditional(inm, v).outcome == conditional_outcome::not_modified);
  inm.if_none_match = "\"other\"";
  inm.if_modified_since = http_date(2000);  // ignored when If-None-Match is present
  CHECK(evaluate_conditional(inm, v).outcome == conditional_outcome::full);

  conditional_request ims;
  ims.if_modified_since = http_date(1000);
  CHECK(evaluate_conditional(ims, v).outcome == conditional_outcome::not_modified);
  ims.if_modified_since = http_date(999);
  CHECK(evaluate_conditional(ims, v).outcome == conditional_outcome::full);
  ims.if_modified_since = "yesterday";
  CHECK(evaluate_conditional(ims, v).outcome == conditional_outcome::full);

  auto ranged = get_with_range("bytes=10-19");
  auto d = evaluate_conditional(ranged, v);
  CHECK(d.outcome == conditional_outcome::partial);
  CHECK(d.range.first == 10);
  CHECK(d.range.length == 10);
  CHECK(evaluate_conditional(get_with_range("bytes=100-"), v).outcome == conditional_outcome::unsatisfiable);

  // A current copy wins over a range.
  ranged.if_none_match = etag;
  CHECK(evaluate_conditional(ranged, v).outcome == conditional_outcome::not_modified);

  // HEAD describes the whole file.
  auto head = get_with_range("bytes=0-1");
  head.head = true;
  CHECK(evaluate_conditional(head, v).outcome == conditional_outcome::full);
}

TEST_CASE("If-Range keeps a range only for the same version", "[http][conditional]") {
  auto const v = file(100, 1000);
  auto req = get_with_range("bytes=0-9");
  req.if_range = make_etag(v);
  CHECK(evaluate_conditional(req, v).outcome == conditional_outcome::partial);
  req.if_range = "\"stale\"";
  CHECK(evaluate_conditional(req, v).outcome == conditional_outcome::full);
  req.if_range = "W/" + make_etag(v);  // weak tags never match If-Range
  CHECK(evaluate_conditional(req, v).outcome == conditional_outcome::full);
  req.if_range = http_date(1000);
  CHECK(evaluate_conditional(req, v).outcome == conditional_outcome::partial);
  req.if_range = http_date(999);
  CHECK(evaluate_conditional(req, v).outcome == conditional_outcome::full);
}

TEST_CASE("conditional fields are copied from the request headers", "[http][conditional]") {
  header_list h;
  h.add("if-none-match", "\"x\"");
  h.add("Range", "bytes=0-1");
  auto const req = conditional_fields("HEAD", h);
  CHECK(req.head);
  CHECK(req.if_none_match == std::optional<std::string>{"\"x\""});
  CHECK(req.range == std::optional<std::string>{"bytes=0-1"});
  CHECK_FALSE(req.if_modified_since);
  CHECK_FALSE(req.if_range);
  CHECK_FALSE(conditional_fields("GET", h).head);
}
