// prepare_job: the §3.6 submission pre-checks, their order and their exact texts.

#include <catch2/catch.hpp>

#include <cstdlib>

#include "actors/job.hpp"

using namespace panel;
using namespace panel::actors;

namespace {

store::job_settings settings() {
  store::job_settings s;
  s.active.name = "Default";
  s.active.api_url = "https://api.example.com/v1";
  s.active.api_key = "sk-test-1234";
  s.active.api_path = "/v1/images/generations";
  s.active.default_model = "gpt-image-2";
  return s;
}

job_env env() {
  job_env e;
  e.images_dir = "/tmp/images";
  e.webhook_signing_secret_set = true;
  return e;
}

job_ticket ticket() {
  job_ticket t;
  t.params.prompt = "a red cube";
  return t;
}

} // namespace

TEST_CASE("prepare_job builds the queued record and the spec", "[job]") {
  auto t = ticket();
  t.params.n = 3;
  t.params.output_format = "webp";
  auto got = prepare_job(t, settings(), env(), "job-1", "2026-01-01T00:00:00+00:00");
  REQUIRE(got.has_value());
  CHECK(got->units == 3);
  CHECK(got->record.status == "queued");
  CHECK(got->record.stage == "queued");
  CHECK(got->record.message == "Queued image generation");
  CHECK(got->record.operation == "generation");
  CHECK(got->record.model == "gpt-image-2"); // blank model: the preset's default
  CHECK(got->record.output_compression == 100);
  CHECK(got->record.api_path == "/v1/images/generations");
  CHECK(got->record.api_preset_name == "Default");
  CHECK(got->spec->url == "https://api.example.com/v1/images/generations");
  CHECK(got->spec->api_key == "sk-test-1234");
  CHECK(child_call_count(*got->spec) == 3);
  CHECK(got->webhook_url.empty());
}

TEST_CASE("prepare_job: edits always use /v1/images/edits and one call", "[job]") {
  auto t = ticket();
  t.edit = true;
  t.params.n = 2;
  t.params.output_compression = 50; // png: forced to null
  t.sources.push_back({"/tmp/x/edit-source-1.png", "a.png", "image/png", 600});
  t.sources.push_back({"/tmp/x/edit-source-2.png", "b.png", "image/png", 400});
  auto s = settings();
  s.active.api_path = "/v1/chat/completions";
  auto got = prepare_job(t, s, env(), "job-2", "now");
  REQUIRE(got.has_value());
  CHECK(got->record.message == "Queued image edit");
  CHECK(got->record.api_path == "/v1/images/edits");
  CHECK(got->spec->url == "https://api.example.com/v1/images/edits");
  CHECK_FALSE(got->record.output_compression.has_value());
  CHECK(got->edit_bytes == 1000);
  CHECK(child_call_count(*got->spec) == 1);
}

TEST_CASE("prepare_job: the request's api_path overrides the preset's", "[job]") {
  auto t = ticket();
  t.api_path = upstream::api_path::responses;
  auto got = prepare_job(t, settings(), env(), "j", "now");
  REQUIRE(got.has_value());
  CHECK(got->record.api_path == "/v1/responses");
}

TEST_CASE("prepare_job refuses in the spec's order with the spec's texts", "[job]") {
  SECTION("no API URL") {
    auto s = settings();
    s.active.api_url = "";
    s.active.api_key = "${JOB_TEST_UNSET_KEY}";
    auto got = prepare_job(ticket(), s, env(), "j", "now");
    REQUIRE_FALSE(got.has_value());
    CHECK(got.error().code == errc::bad_request);
    CHECK(got.error().message == "API URL not configured. Please set it in Settings.");
  }
  SECTION("invalid API URL") {
    auto s = settings();
    s.active.api_url = "http://api.example.com";
    auto got = prepare_job(ticket(), s, env(), "j", "now");
    REQUIRE_FALSE(got.has_value());
    CHECK(got.error().code == errc::bad_request);
  }
  SECTION("missing key variable") {
    ::unsetenv("MISSING_IMAGE_KEY");
    auto s = settings();
    s.active.api_key = "${MISSING_IMAGE_KEY}";
    auto got = prepare_job(ticket(), s, env(), "j", "now");
    REQUIRE_FALSE(got.has_value());
    CHECK(got.error().code == errc::bad_request);
    CHECK(got.error().message == "API Key environment variable MISSING_IMAGE_KEY is not set or empty. Set it in "
                                 "the server environment.");
  }
  SECTION("no key at all") {
    auto s = settings();
    s.active.api_key = "";
    auto got = prepare_job(ticket(), s, env(), "j", "now");
    REQUIRE_FALSE(got.has_value());
    CHECK(got.error().code == errc::validation);
    CHECK(got.error().message == "API credential is not configured");
  }
  SECTION("missing SOCKS5 variable") {
    ::unsetenv("JOB_TEST_PROXY");
    auto s = settings();
    s.socks5_proxy = "${JOB_TEST_PROXY}";
    auto got = prepare_job(ticket(), s, env(), "j", "now");
    REQUIRE_FALSE(got.has_value());
    CHECK(got.error().code == errc::bad_request);
    CHECK(got.error().message == "SOCKS5 proxy environment variable JOB_TEST_PROXY is not set or empty. Set it in "
                                 "the server environment.");
  }
  SECTION("plain-HTTP webhook") {
    auto t = ticket();
    t.webhook_url = "http://hooks.example.com/x";
    auto got = prepare_job(t, settings(), env(), "j", "now");
    REQUIRE_FALSE(got.has_value());
    CHECK(got.error().code == errc::validation);
    CHECK(got.error().message == "Only HTTPS URLs are allowed for webhook callbacks");
  }
  SECTION("webhook without signing secret") {
    auto s = settings();
    s.webhook_url = "https://hooks.example.com/global";
    auto e = env();
    e.webhook_signing_secret_set = false;
    auto got = prepare_job(ticket(), s, e, "j", "now");
    REQUIRE_FALSE(got.has_value());
    CHECK(got.error().code == errc::validation);
    CHECK(got.error().message == "WEBHOOK_SIGNING_SECRET is required to sign webhook callbacks");
  }
}

TEST_CASE("prepare_job: the global webhook applies, the request's wins, unset refs mean none", "[job]") {
  auto s = settings();
  s.webhook_url = "https://hooks.example.com/global";
  auto got = prepare_job(ticket(), s, env(), "j", "now");
  REQUIRE(got.has_value());
  CHECK(got->webhook_url == "https://hooks.example.com/global");
  auto t = ticket();
  t.webhook_url = "https://hooks.example.com/mine";
  got = prepare_job(t, s, env(), "j", "now");
  REQUIRE(got.has_value());
  CHECK(got->webhook_url == "https://hooks.example.com/mine");
  ::unsetenv("JOB_TEST_HOOK");
  s.webhook_url = "${JOB_TEST_HOOK}";
  got = prepare_job(ticket(), s, env(), "j", "now");
  REQUIRE(got.has_value());
  CHECK(got->webhook_url.empty());
}

TEST_CASE("format_duration has two decimals", "[job]") {
  CHECK(format_duration(3.214) == "3.21s");
  CHECK(format_duration(0) == "0.00s");
}
