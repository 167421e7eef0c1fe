#include <catch2/catch.hpp>

#include "upstream/probe.hpp"

using namespace panel::upstream;

TEST_CASE("probe classification table of §6.9") {
  auto v = classify_probe_response("OPTIONS", 200);
  REQUIRE(v.status == check_status::ok);
  REQUIRE(v.message == "OPTIONS probe succeeded with HTTP 200");
  REQUIRE(classify_probe_response("HEAD", 204).message == "HEAD probe succeeded with HTTP 204");
  v = classify_probe_response("HEAD", 401);
  REQUIRE(v.status == check_status::ok);
  REQUIRE(v.message == "HEAD probe reached the endpoint and got HTTP 401");
  v = classify_probe_response("HEAD", 404);
  REQUIRE(v.status == check_status::error);
  REQUIRE(v.message == "HEAD probe returned HTTP 404; check API URL/path");
  v = classify_probe_response("HEAD", 405);
  REQUIRE(v.status == check_status::warning);
  REQUIRE(v.try_next);
  REQUIRE(v.message == "HEAD probe is not supported by upstream (HTTP 405)");
  v = classify_probe_response("OPTIONS", 302);
  REQUIRE(v.status == check_status::error);
  REQUIRE(v.message == "OPTIONS probe returned redirect HTTP 302; redirects are not followed");
  v = classify_probe_response("HEAD", 503);
  REQUIRE(v.status == check_status::warning);
  REQUIRE(v.message == "HEAD probe reached upstream but got HTTP 503");
  v = classify_probe_response("HEAD", 418);
  REQUIRE(v.status == check_status::ok);
  REQUIRE(v.message == "HEAD probe reached upstream with HTTP 418");
}

TEST_CASE("OPTIONS 404 is a warning that the endpoint may only support POST") {
  auto v = classify_probe_response("OPTIONS", 404);
  REQUIRE(v.status == check_status::warning);
  REQUIRE(v.message.find("may only support POST") != std::string::npos);
  REQUIRE(v.try_next);

  // HEAD refusing the same way adds nothing: the warning stands.
  auto c = summarize_probe({{"OPTIONS", 404, {}}, {"HEAD", 404, {}}});
  REQUIRE(c.name == "upstream_probe");
  REQUIRE(c.status == check_status::warning);
  REQUIRE(c.message == "OPTIONS probe returned HTTP 404; upstream may only support POST");
  // A better HEAD answer wins.
  c = summarize_probe({{"OPTIONS", 404, {}}, {"HEAD", 401, {}}});
  REQUIRE(c.status == check_status::ok);
  REQUIRE(c.message == "HEAD probe reached the endpoint and got HTTP 401");
}

TEST_CASE("probe summary: first conclusive answer, fallbacks and failures") {
  auto c = summarize_probe({{"OPTIONS", 204, {}}, {"HEAD", 500, {}}});
  REQUIRE(c.status == check_status::ok);
  REQUIRE(c.message == "OPTIONS probe succeeded with HTTP 204");
  c = summarize_probe({{"OPTIONS", 405, {}}, {"HEAD", 405, {}}});
  REQUIRE(c.status == check_status::warning);
  REQUIRE(c.message == "OPTIONS probe is not supported by upstream (HTTP 405)");
  c = summarize_probe({{"OPTIONS", std::nullopt, "timed out"}, {"HEAD", 405, {}}});
  REQUIRE(c.status == check_status::warning);
  REQUIRE(c.message == "HEAD probe is not supported by upstream (HTTP 405)");
  c = summarize_probe({{"OPTIONS", 501, {}}, {"HEAD", 404, {}}});
  REQUIRE(c.status == check_status::warning);
  c = summarize_probe({{"OPTIONS", std::nullopt, "timed out"}, {"HEAD", std::nullopt, "connection refused"}});
  REQUIRE(c.status == check_status::error);
  REQUIRE(c.message == "Upstream probe failed: OPTIONS: timed out; HEAD: connection refused");
  REQUIRE(to_string(check_status::warning) == "warning");
}
