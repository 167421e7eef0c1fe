#include "http/settings_update.hpp"

#include <string>

#include <catch2/catch.hpp>

using panel::errc;
using panel::http::apply_optimizer_patch;
using panel::http::apply_r2_patch;
using panel::http::apply_secret;
using panel::http::apply_settings_request;
using panel::http::new_preset_fields;
using panel::http::optimizer_patch;
using panel::http::preset_create_request;
using panel::http::r2_patch;
using panel::http::secret_field;
using panel::http::sent_secret;
using panel::http::settings_request;
using panel::http::settings_rules;
using panel::http::settings_state;

namespace {

std::string const plaintext_sentence = "must use ${ENV_VAR_NAME} unless ALLOW_PLAINTEXT_SECRETS=true.";

std::string apply_ok(secret_field f, sent_secret sent, std::string const& current, bool plain = false) {
  auto r = apply_secret(f, "loc", sent, current, plain);
  INFO((r ? std::string{} : r.error().message));
  REQUIRE(r.has_value());
  return *r;
}

std::string apply_error(secret_field f, sent_secret sent, std::string const& current, bool plain = false) {
  auto r = apply_secret(f, "loc", sent, current, plain);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == errc::validation);
  return r.error().message;
}

settings_state sample_state() {
  settings_state s;
  panel::store::preset a;
  a.id = "a";
  a.name = "A";
  a.api_url = "https://a.example.com";
  a.api_key = "${A_KEY}";
  a.api_path = "/v1/responses";
  a.default_model = "model-a";
  a.default_response_format = "b64_json";
  panel::store::preset b = a;
  b.id = "b";
  b.name = "";
  b.api_url = "https://b.example.com";
  b.api_key = "";
  s.presets = {a, b};
  s.active_preset_id = "a";
  s.socks5_proxy = "${PROXY}";
  s.webhook_url = "https://hooks.example.com/path?token=t";
  return s;
}

} // namespace

TEST_CASE("secrets: keep, clear, same value", "[http][settings_update]") {
  for (auto f : {secret_field::api_key, secret_field::socks5_proxy, secret_field::webhook_url,
                 secret_field::optimizer_api_key, secret_field::r2_access_key_id,
                 secret_field::r2_secret_access_key}) {
    CHECK(apply_ok(f, std::nullopt, "${CUR}") == "${CUR}");
    CHECK(apply_ok(f, std::string{""}, "${CUR}").empty());
    CHECK(apply_ok(f, std::string{"   "}, "${CUR}").empty());
    CHECK(apply_ok(f, std::string{" ${CUR} "}, "${CUR}") == "${CUR}");
    CHECK(apply_ok(f, std::string{"${NEW_1}"}, "${CUR}") == "${NEW_1}");
  }
}

TEST_CASE("secrets: the masked form keeps the stored value", "[http][settings_update]") {
  CHECK(apply_ok(secret_field::api_key, std::string{"sk-a***wxyz"}, "sk-abcdefwxyz") == "sk-abcdefwxyz");
  CHECK(apply_ok(secret_field::api_key, std::string{"***"}, "") == "");
  CHECK(apply_ok(secret_field::socks5_proxy, std::string{"socks5://u:***@127.0.0.1:1080"},
                 "socks5://u:pw@127.0.0.1:1080") == "socks5://u:pw@127.0.0.1:1080");
  CHECK(apply_ok(secret_field::webhook_url, std::string{"https://hooks.example.com/***?***"},
                 "https://hooks.example.com/p?token=t") == "https://hooks.example.com/p?token=t");
  CHECK(apply_ok(secret_field::r2_access_key_id, std::string{"********"}, "${R2}") == "${R2}");
  CHECK(apply_ok(secret_field::r2_secret_access_key, std::string{"********"}, "literal-secret") == "literal-secret");
  // "********" is a plain literal for the other fields.
  CHECK(apply_error(secret_field::api_key, std::string{"********"}, "${K}") ==
        "loc - API key " + plaintext_sentence);
}

TEST_CASE("secrets: refusal sentences", "[http][settings_update]") {
  CHECK(apply_error(secret_field::api_key, std::string{"sk-x"}, "") == "loc - API key " + plaintext_sentence);
  CHECK(apply_error(secret_field::socks5_proxy, std::string{"socks5://h:1"}, "") ==
        "loc - SOCKS5 proxy URL " + plaintext_sentence);
  CHECK(apply_error(secret_field::webhook_url, std::string{"https://h"}, "") ==
        "loc - Webhook URL " + plaintext_sentence);
  CHECK(apply_error(secret_field::optimizer_api_key, std::string{"k"}, "") ==
        "loc - Prompt optimizer API key " + plaintext_sentence);
  CHECK(apply_error(secret_field::r2_access_key_id, std::string{"k"}, "") ==
        "loc - R2 access key ID " + plaintext_sentence);
  CHECK(apply_error(secret_field::r2_secret_access_key, std::string{"k"}, "") ==
        "loc - R2 secret access key " + plaintext_sentence);
  for (auto const* bad : {"${", "${A", "$A}", "}", "${A-B}", "${1A}", "x${A}", "${A}${B}", "${ A }"}) {
    CHECK(apply_error(secret_field::api_key, std::string{bad}, "", true) ==
          "loc - API key env ref must be formatted as ${ENV_VAR_NAME}.");
  }
  CHECK(apply_error(secret_field::webhook_url, std::string{"${W"}, "") ==
        "loc - Webhook URL env ref must be formatted as ${ENV_VAR_NAME}.");
}

TEST_CASE("secrets: plaintext opt-in and the scheme rules", "[http][settings_update]") {
  CHECK(apply_ok(secret_field::api_key, std::string{" plain-secret "}, "", true) == "plain-secret");
  CHECK(apply_ok(secret_field::socks5_proxy, std::string{"socks5://user:secret@127.0.0.1:1080"}, "", true) ==
        "socks5://user:secret@127.0.0.1:1080");
  CHECK(apply_error(secret_field::socks5_proxy, std::string{"http://127.0.0.1:1080"}, "", true) ==
        "loc - SOCKS5 proxy URL must use socks5://");
  CHECK(apply_error(secret_field::socks5_proxy, std::string{"socks5://127.0.0.1"}, "", true) ==
        "loc - SOCKS5 proxy URL must include a port");
  CHECK(apply_ok(secret_field::webhook_url, std::string{"https://hooks.example.com/x?y=1"}, "", true) ==
        "https://hooks.example.com/x?y=1");
  CHECK(apply_error(secret_field::webhook_url, std::string{"http://hooks.example.com"}, "", true) ==
        "loc - Webhook URL must use https://");
  // Same literal sent back while plaintext is off: kept, not refused.
  CHECK(apply_ok(secret_field::api_key, std::string{"old-literal"}, "old-literal") == "old-literal");
}

TEST_CASE("apply_settings_request edits the chosen preset and activates it", "[http][settings_update]") {
  auto state = sample_state();
  settings_request req;
  req.active_preset_id = "b";
  req.api_url = "https://new.example.com";
  req.api_key = "${B_KEY}";
  req.api_path = "/v1/chat/completions";
  req.upstream_socks5_proxy = std::string{""};
  req.webhook_url = std::string{"https://hooks.example.com/***?***"};
  REQUIRE(apply_settings_request(req, state, {}).has_value());
  CHECK(state.active_preset_id == "b");
  auto const& b = state.presets[1];
  CHECK(b.name == "Untitled preset");
  CHECK(b.api_url == "https://new.example.com");
  CHECK(b.api_key == "${B_KEY}");
  CHECK(b.api_path == "/v1/chat/completions");
  CHECK(b.default_model == "model-a");
  CHECK(b.default_response_format == "b64_json");
  CHECK(state.presets[0].api_url == "https://a.example.com");
  CHECK(state.socks5_proxy.empty());
  CHECK(state.webhook_url == "https://hooks.example.com/path?token=t");

  settings_request rename;
  rename.api_url = "https://a2.example.com";
  rename.preset_name = "Renamed";
  rename.default_model = "";
  rename.default_response_format = "url";
  REQUIRE(apply_settings_request(rename, state, {}).has_value());
  CHECK(state.presets[1].name == "Renamed");
  CHECK(state.presets[1].default_model.empty());
  CHECK(state.presets[1].default_response_format == "url");
}

TEST_CASE("apply_settings_request: 404 and all-or-nothing", "[http][settings_update]") {
  auto state = sample_state();
  auto const before = state;
  settings_request unknown;
  unknown.active_preset_id = "zzz";
  unknown.api_url = "https://x.example.com";
  auto r = apply_settings_request(unknown, state, {});
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == errc::not_found);
  CHECK(r.error().message == "Preset not found");

  settings_request refused;
  refused.api_url = "https://changed.example.com";
  refused.api_key = "${OK}";
  refused.prompt_optimizer = optimizer_patch{};
  refused.prompt_optimizer->api_key = std::string{"literal"};
  r = apply_settings_request(refused, state, {});
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().message == "prompt_optimizer.api_key - Prompt optimizer API key " + plaintext_sentence);
  CHECK(state.presets == before.presets);
  CHECK(state.active_preset_id == before.active_preset_id);
}

TEST_CASE("optimizer and R2 patches merge", "[http][settings_update]") {
  settings_rules rules;
  rules.optimizer_default_model = "env-model";
  panel::store::optimizer_settings o;
  o.api_key = "${OPT}";
  optimizer_patch op;
  op.enabled = true;
  op.model = std::string{};
  op.timeout_seconds = 3;
  auto merged = apply_optimizer_patch(op, o, rules);
  REQUIRE(merged.has_value());
  CHECK(merged->enabled);
  CHECK(merged->model == "env-model");
  CHECK(merged->timeout_seconds == 3);
  CHECK(merged->api_key == "${OPT}");

  panel::store::r2_settings r2;
  r2.access_key_id = "${ID}";
  r2.secret_access_key = "${SECRET}";
  r2.bucket_name = "b";
  r2_patch rp;
  rp.access_key_id = std::string{"********"};
  rp.secret_access_key = std::string{""};
  rp.region = std::string{};
  rp.key_prefix = std::string{};
  rp.sync_interval_hours = 12;
  auto r = apply_r2_patch(rp, r2, rules);
  REQUIRE(r.has_value());
  CHECK(r->access_key_id == "${ID}");
  CHECK(r->secret_access_key.empty());
  CHECK(r->region == "auto");
  CHECK(r->key_prefix.empty());
  CHECK(r->bucket_name == "b");
  CHECK(r->sync_interval_hours == 12);
  rp.access_key_id = std::string{"AKIA"};
  CHECK(apply_r2_patch(rp, r2, rules).error().message ==
        "r2_backup.access_key_id - R2 access key ID " + plaintext_sentence);
}

TEST_CASE("new_preset_fields copies the source", "[http][settings_update]") {
  auto state = sample_state();
  preset_create_request req;
  auto p = new_preset_fields(req, state, {});
  REQUIRE(p.has_value());
  CHECK(p->id.empty());
  CHECK(p->name == "Preset 3");
  CHECK(p->api_url == "https://a.example.com");
  CHECK(p->api_key == "${A_KEY}");
  CHECK(p->api_path == "/v1/responses");
  CHECK(p->default_model == "model-a");
  CHECK(p->default_response_format == "b64_json");

  req.source_preset_id = "b";
  req.name = "Copy";
  req.api_path = "/v1/chat/completions";
  req.default_model = "";
  p = new_preset_fields(req, state, {});
  REQUIRE(p.has_value());
  CHECK(p->name == "Copy");
  CHECK(p->api_url == "https://b.example.com");
  CHECK(p->api_key.empty());
  CHECK(p->api_path == "/v1/chat/completions");
  CHECK(p->default_model.empty());

  req.source_preset_id = "unknown";
  req.api_key = std::string{"${A_KEY}"};
  p = new_preset_fields(req, state, {});
  REQUIRE(p.has_value());
  CHECK(p->api_url == "https://a.example.com");

  req.api_key = std::string{"literal"};
  CHECK(new_preset_fields(req, state, {}).error().message == "api_key - API key " + plaintext_sentence);
}
