#include "http/preset_health.hpp"

#include <cstdlib>
#include <string>

#include <catch2/catch.hpp>

using panel::http::health_response_json;
using panel::http::ordered_checks;
using panel::http::overall_status;
using panel::http::plan_preset_health;
using panel::http::skipped_probe_check;
using panel::http::ssrf_check;
using panel::store::preset;
using panel::upstream::check_status;
using panel::upstream::health_check;

namespace {

preset sample(std::string url, std::string key, std::string path = "/v1/images/generations") {
  preset p;
  p.id = "p";
  p.api_url = std::move(url);
  p.api_key = std::move(key);
  p.api_path = std::move(path);
  return p;
}

} // namespace

TEST_CASE("preset health plan: a good preset", "[http][preset_health]") {
  ::setenv("PANEL_HEALTH_TEST_KEY", " env-secret ", 1);
  auto plan = plan_preset_health(sample("https://api.example.com/v1", "${PANEL_HEALTH_TEST_KEY}"), true);
  CHECK(plan.api_path == health_check{"api_path", check_status::ok, "API path /v1/images/generations is supported"});
  CHECK_FALSE(plan.api_url);
  CHECK(plan.api_key ==
        health_check{"api_key", check_status::ok, "API key is read from environment variable PANEL_HEALTH_TEST_KEY"});
  CHECK(plan.target_url == "https://api.example.com/v1/images/generations");
  CHECK(plan.bearer == "env-secret");
  CHECK(plan_preset_health(sample("https://api.example.com", "${PANEL_HEALTH_TEST_KEY}"), false).bearer.empty());
  ::unsetenv("PANEL_HEALTH_TEST_KEY");
}

TEST_CASE("preset health plan: failures", "[http][preset_health]") {
  auto missing = plan_preset_health(sample("https://api.example.com", "${PANEL_HEALTH_UNSET_VAR}"), true);
  CHECK(missing.api_key == health_check{"api_key", check_status::error,
                                        "API key environment variable PANEL_HEALTH_UNSET_VAR is not set or empty"});
  CHECK(missing.bearer.empty());
  CHECK_FALSE(missing.target_url.empty());

  auto literal = plan_preset_health(sample("https://api.example.com", "sk-literal"), true);
  CHECK(literal.api_key.status == check_status::ok);
  CHECK(literal.api_key.message == "API key is stored in the settings");
  CHECK(literal.bearer == "sk-literal");

  auto empty = plan_preset_health(sample("", ""), true);
  CHECK(empty.api_url == health_check{"api_url", check_status::error, "API URL is not configured"});
  CHECK(empty.api_key == health_check{"api_key", check_status::error, "API key is not configured"});
  CHECK(empty.target_url.empty());

  auto bad_url = plan_preset_health(sample("http://api.example.com", "k"), true);
  CHECK(bad_url.api_url == health_check{"api_url", check_status::error, "API URL must use https://"});
  CHECK(bad_url.target_url.empty());

  auto edits = plan_preset_health(sample("https://api.example.com", "k", "/v1/images/edits"), true);
  CHECK(edits.api_path ==
        health_check{"api_path", check_status::error,
                     "API path is not supported. Allowed paths: /v1/images/generations, /v1/responses, "
                     "/v1/chat/completions"});
  CHECK(edits.target_url.empty());
}

TEST_CASE("preset health: order, overall status and JSON", "[http][preset_health]") {
  auto plan = plan_preset_health(sample("https://api.example.com", "k"), true);
  health_check const probe_error{"upstream_probe", check_status::error, "OPTIONS probe returned HTTP 404; x"};
  auto checks = ordered_checks(plan, ssrf_check(std::nullopt), probe_error);
  REQUIRE(checks.size() == 4);
  CHECK(checks[0].name == "api_path");
  CHECK(checks[1] == health_check{"ssrf", check_status::ok,
                                  "API URL passed scheme, host allowlist, DNS, and private-IP checks"});
  CHECK(checks[2].name == "api_key");
  CHECK(checks[3] == probe_error);
  // The probe's error does not count.
  CHECK(overall_status(checks) == check_status::ok);
  CHECK(health_response_json(checks).starts_with(R"({"status":"ok","checks":[{"name":"api_path","status":"ok",)"));

  auto refused = ordered_checks(plan, ssrf_check(std::string{"Hostname 'localhost' is not allowed"}),
                                skipped_probe_check());
  CHECK(refused[1] == health_check{"ssrf", check_status::error, "Hostname 'localhost' is not allowed"});
  CHECK(refused[3] == health_check{"upstream_probe", check_status::warning,
                                   "Skipped upstream probe because local URL/path validation failed"});
  CHECK(overall_status(refused) == check_status::error);

  std::vector<health_check> warn{{"api_key", check_status::warning, "w"}, {"x", check_status::ok, "o"}};
  CHECK(overall_status(warn) == check_status::warning);
  CHECK(overall_status({}) == check_status::ok);
  CHECK(health_response_json({{"a", check_status::warning, "m\"q"}}) ==
        R"({"status":"warning","checks":[{"name":"a","status":"warning","message":"m\"q"}]})");
}
