#include "http/settings_request.hpp"

#include <string>

#include <catch2/catch.hpp>

using panel::errc;
using panel::http::parse_preset_create_request;
using panel::http::parse_preset_health_request;
using panel::http::parse_r2_backup_body;
using panel::http::parse_settings_request;
using panel::http::settings_rules;

namespace {

template <class Result>
std::string refusal(Result const& r) {
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == errc::validation);
  return r.error().message;
}

std::string settings_error(std::string const& body, settings_rules const& rules = {}) {
  return refusal(parse_settings_request(body, rules));
}

} // namespace

TEST_CASE("settings request: the minimal body and defaults", "[http][settings_request]") {
  auto r = parse_settings_request(R"({"api_url":" https://API.example.com/v1/ "})", {});
  REQUIRE(r.has_value());
  CHECK(r->api_url == "https://api.example.com/v1");
  CHECK(r->api_path == "/v1/images/generations");
  CHECK_FALSE(r->active_preset_id);
  CHECK_FALSE(r->preset_name);
  CHECK_FALSE(r->api_key);
  CHECK_FALSE(r->default_model);
  CHECK_FALSE(r->default_response_format);
  CHECK_FALSE(r->upstream_socks5_proxy);
  CHECK_FALSE(r->webhook_url);
  CHECK_FALSE(r->prompt_optimizer);
  CHECK_FALSE(r->r2_backup);
}

TEST_CASE("settings request: every field", "[http][settings_request]") {
  auto r = parse_settings_request(
      R"({"active_preset_id":"abc","preset_name":"  Named ","api_url":"https://a.example.com","api_key":" ${K} ",)"
      R"("api_path":"/v1/responses","default_model":" m ","default_response_format":"","upstream_socks5_proxy":"",)"
      R"("webhook_url":null,"prompt_optimizer":{"enabled":true,"api_url":"","model":" x ","timeout_seconds":5,)"
      R"("api_key":null},"r2_backup":{"enabled":false,"endpoint_url":" ","bucket_name":" b ","region":" ",)"
      R"("key_prefix":"gallery-test","sync_interval_hours":6,"access_key_id":"********","secret_access_key":""}})",
      {});
  REQUIRE(r.has_value());
  CHECK(r->active_preset_id == std::string{"abc"});
  CHECK(r->preset_name == std::string{"Named"});
  CHECK(r->api_key == std::string{" ${K} "});
  CHECK(r->api_path == "/v1/responses");
  CHECK(r->default_model == std::string{"m"});
  CHECK(r->default_response_format == std::string{});
  CHECK(r->upstream_socks5_proxy == std::string{});
  CHECK_FALSE(r->webhook_url);
  REQUIRE(r->prompt_optimizer);
  CHECK(r->prompt_optimizer->enabled == true);
  CHECK(r->prompt_optimizer->api_url == std::string{});
  CHECK(r->prompt_optimizer->model == std::string{"x"});
  CHECK(r->prompt_optimizer->timeout_seconds == 5);
  CHECK_FALSE(r->prompt_optimizer->api_key);
  REQUIRE(r->r2_backup);
  CHECK(r->r2_backup->enabled == false);
  CHECK(r->r2_backup->endpoint_url == std::string{});
  CHECK(r->r2_backup->bucket_name == std::string{"b"});
  CHECK(r->r2_backup->region == std::string{});
  CHECK(r->r2_backup->key_prefix == std::string{"gallery-test/"});
  CHECK(r->r2_backup->sync_interval_hours == 6);
  CHECK(r->r2_backup->access_key_id == std::string{"********"});
  CHECK(r->r2_backup->secret_access_key == std::string{});
}

TEST_CASE("settings request: strictness and limits", "[http][settings_request]") {
  CHECK(settings_error(R"({"api_url":"https://a.example.com","x":1,"y":2})") ==
        "x - Extra inputs are not permitted; y - Extra inputs are not permitted");
  CHECK(settings_error("[]") == "body - Input should be a valid dictionary");
  CHECK(settings_error("{") == "body - JSON decode error");
  CHECK(settings_error("{}") == "api_url - Field required");
  CHECK(settings_error(R"({"api_url":null})") == "api_url - Input should be a valid string");
  CHECK(settings_error(R"({"api_url":""})") == "api_url - String should have at least 1 character");
  CHECK(settings_error(R"({"api_url":"http://a.example.com"})") == "api_url - API URL must use https://");
  CHECK(settings_error(R"({"api_url":"https://a.example.com?q"})") ==
        "api_url - API URL must not include query strings or fragments");
  CHECK(settings_error(R"({"api_url":"https://a.example.com","api_path":"/v1/images/edits"})") ==
        "api_path - Input should be '/v1/images/generations', '/v1/responses' or '/v1/chat/completions'");
  CHECK(settings_error(R"({"api_url":"https://a.example.com","api_path":5})")
            .starts_with("api_path - Input should be"));
  CHECK(settings_error(R"({"api_url":"https://a.example.com","default_response_format":"png"})") ==
        "default_response_format - Input should be '', 'url' or 'b64_json'");
  std::string const long_name(161, 'n');
  CHECK(settings_error(R"({"api_url":"https://a.example.com","preset_name":")" + long_name + "\"}") ==
        "preset_name - String should have at most 160 characters");
  // Limits count characters, not bytes: 160 two-byte characters fit.
  std::string wide;
  for (int i = 0; i < 160; ++i) {
    wide += "é";
  }
  CHECK(parse_settings_request(R"({"api_url":"https://a.example.com","preset_name":")" + wide + "\"}", {}));
  CHECK(settings_error(R"({"api_url":"https://a.example.com","prompt_optimizer":[]})") ==
        "prompt_optimizer - Input should be a valid dictionary");
  CHECK(settings_error(R"({"api_url":"https://a.example.com","prompt_optimizer":{"z":1}})") ==
        "prompt_optimizer.z - Extra inputs are not permitted");
  CHECK(settings_error(R"({"api_url":"https://a.example.com","prompt_optimizer":{"timeout_seconds":0}})") ==
        "prompt_optimizer.timeout_seconds - Input should be greater than or equal to 1");
  CHECK(settings_error(R"({"api_url":"https://a.example.com","prompt_optimizer":{"timeout_seconds":2.0}})") ==
        "prompt_optimizer.timeout_seconds - Input should be a valid integer");
  CHECK(settings_error(R"({"api_url":"https://a.example.com","prompt_optimizer":{"timeout_seconds":1e9}})") ==
        "prompt_optimizer.timeout_seconds - Input should be a valid integer");
  CHECK(settings_error(R"({"api_url":"https://a.example.com","prompt_optimizer":{"timeout_seconds":2000000}})") ==
        "prompt_optimizer.timeout_seconds - Input should be less than or equal to 1000000");
  CHECK(settings_error(R"({"api_url":"https://a.example.com","prompt_optimizer":{"enabled":1}})") ==
        "prompt_optimizer.enabled - Input should be a valid boolean");
  CHECK(settings_error(
            R"({"api_url":"https://a.example.com","prompt_optimizer":{"api_url":"https://u:p@o.example.com"}})") ==
        "prompt_optimizer.api_url - API URL must not include username or password");
  CHECK(settings_error(R"({"api_url":"https://a.example.com","r2_backup":{"sync_interval_hours":-1}})") ==
        "r2_backup.sync_interval_hours - Input should be greater than or equal to 0");
  CHECK(settings_error(R"({"api_url":"https://a.example.com","r2_backup":{"sync_interval_hours":"6"}})") ==
        "r2_backup.sync_interval_hours - Input should be a valid integer");
  CHECK(settings_error(R"({"api_url":"https://a.example.com","r2_backup":{"endpoint_url":"https://x.example.com"}})")
            .starts_with("r2_backup.endpoint_url - R2 endpoint hostname 'x.example.com' must be"));
  CHECK(settings_error(R"({"api_url":"https://a.example.com","api_key":true})") ==
        "api_key - Input should be a valid string");
}

TEST_CASE("settings request: R2 allowlist from the rules", "[http][settings_request]") {
  settings_rules rules;
  rules.r2_host_allowlist = {"minio.example.com"};
  auto r = parse_settings_request(
      R"({"api_url":"https://a.example.com","r2_backup":{"endpoint_url":"https://MINIO.example.com:9000/"}})", rules);
  REQUIRE(r.has_value());
  CHECK(r->r2_backup->endpoint_url == std::string{"https://minio.example.com:9000"});
}

TEST_CASE("preset create request", "[http][settings_request]") {
  auto empty = parse_preset_create_request("");
  REQUIRE(empty.has_value());
  CHECK_FALSE(empty->name);
  CHECK_FALSE(empty->api_url);
  auto blank_url = parse_preset_create_request(R"({"api_url":"  ","name":" A "})");
  REQUIRE(blank_url.has_value());
  CHECK_FALSE(blank_url->api_url);
  CHECK(blank_url->name == std::string{"A"});
  auto full = parse_preset_create_request(
      R"({"api_url":"https://b.example.com/","api_key":"${K}","api_path":"/v1/chat/completions",)"
      R"("default_model":" m ","default_response_format":"b64_json","source_preset_id":"s"})");
  REQUIRE(full.has_value());
  CHECK(full->api_url == std::string{"https://b.example.com"});
  CHECK(full->api_key == std::string{"${K}"});
  CHECK(full->api_path == std::string{"/v1/chat/completions"});
  CHECK(full->default_model == std::string{"m"});
  CHECK(full->default_response_format == std::string{"b64_json"});
  CHECK(full->source_preset_id == std::string{"s"});
  CHECK(refusal(parse_preset_create_request(R"({"id":"x"})")) == "id - Extra inputs are not permitted");
  CHECK(refusal(parse_preset_create_request(R"({"api_url":"https://x.example.com#f"})")) ==
        "api_url - API URL must not include query strings or fragments");
}

TEST_CASE("R2 health body and preset health body", "[http][settings_request]") {
  auto r2 = parse_r2_backup_body(R"({"bucket_name":"b","access_key_id":"********"})", {});
  REQUIRE(r2.has_value());
  CHECK(r2->bucket_name == std::string{"b"});
  CHECK(refusal(parse_r2_backup_body(R"({"nope":1})", {})) == "nope - Extra inputs are not permitted");
  CHECK(refusal(parse_r2_backup_body(R"({"region":5})", {})) == "r2_backup.region - Input should be a valid string");
  CHECK(parse_r2_backup_body("", {}).has_value());

  CHECK(parse_preset_health_request("") == true);
  CHECK(parse_preset_health_request("{}") == true);
  CHECK(parse_preset_health_request(R"({"use_credentials":false})") == false);
  CHECK(refusal(parse_preset_health_request(R"({"use_credentials":"no"})")) ==
        "use_credentials - Input should be a valid boolean");
}
