#include "store/global_settings.hpp"

#include <string>

#include <catch2/catch.hpp>

#include "core/config.hpp"
#include "store/settings_kv_repo.hpp"
#include "store/store.hpp"
#include "store/temp_dir.hpp"

using panel::core::config;
using panel::store::default_optimizer_settings;
using panel::store::default_r2_settings;
using panel::store::env_default_ref;
using panel::store::global_settings_repo;
using panel::store::optimizer_settings;
using panel::store::r2_settings;
using panel::store::settings_kv_repo;
using panel::store::test::temp_dir;
namespace settings_keys = panel::store::settings_keys;

namespace {

panel::store::store open_temp_store(temp_dir const& dir) {
  auto opened = panel::store::open_store({dir.path() / "data", {}});
  REQUIRE(opened.has_value());
  return std::move(*opened);
}

std::string stored(panel::store::database& db, std::string_view key) {
  auto v = settings_kv_repo{db}.get(key);
  REQUIRE(v.has_value());
  return v->value_or("<none>");
}

} // namespace

TEST_CASE("env_default_ref keeps secrets in the environment", "[store][global_settings]") {
  CHECK(env_default_ref("", "X").empty());
  CHECK(env_default_ref("  ", "X").empty());
  CHECK(env_default_ref("${OTHER}", "X") == "${OTHER}");
  CHECK(env_default_ref(" literal-secret ", "PROMPT_OPTIMIZER_API_KEY") == "${PROMPT_OPTIMIZER_API_KEY}");
}

TEST_CASE("defaults come from the environment", "[store][global_settings]") {
  config cfg;
  auto o = default_optimizer_settings(cfg);
  CHECK(o == optimizer_settings{});
  CHECK_FALSE(o.enabled);
  CHECK(o.model == "gpt-4o-mini");
  CHECK(o.timeout_seconds == 60);

  cfg.prompt_optimizer_enabled = true;
  cfg.prompt_optimizer_api_url = "https://OPT.example.com/v1/chat/completions/";
  cfg.prompt_optimizer_api_key = "sk-literal";
  cfg.prompt_optimizer_model = "m";
  cfg.prompt_optimizer_timeout_seconds = 5;
  o = default_optimizer_settings(cfg);
  CHECK(o.enabled);
  CHECK(o.api_url == "https://opt.example.com/v1/chat/completions");
  CHECK(o.api_key == "${PROMPT_OPTIMIZER_API_KEY}");
  CHECK(o.model == "m");
  CHECK(o.timeout_seconds == 5);

  auto r = default_r2_settings(config{});
  CHECK(r == r2_settings{});
  CHECK(r.region == "auto");
  CHECK(r.key_prefix == "gallery/");

  cfg.r2_backup_enabled = true;
  cfg.r2_endpoint_url = "https://ACC.r2.cloudflarestorage.com/";
  cfg.r2_bucket_name = " bucket ";
  cfg.r2_key_prefix = "/a//b";
  cfg.r2_access_key_id = "AKIA-literal";
  cfg.r2_secret_access_key = "${MY_SECRET}";
  r = default_r2_settings(cfg);
  CHECK(r.enabled);
  CHECK(r.endpoint_url == "https://acc.r2.cloudflarestorage.com");
  CHECK(r.bucket_name == "bucket");
  CHECK(r.key_prefix == "a/b/");
  CHECK(r.access_key_id == "${R2_ACCESS_KEY_ID}");
  CHECK(r.secret_access_key == "${MY_SECRET}");

  cfg.r2_endpoint_url = "http://bad.example.com";
  CHECK(default_r2_settings(cfg).endpoint_url == "http://bad.example.com");
}

TEST_CASE("optimizer settings: save, merge over defaults, tolerate junk", "[store][global_settings]") {
  temp_dir dir;
  auto st = open_temp_store(dir);
  global_settings_repo repo{st.writer()};
  optimizer_settings defaults;
  defaults.model = "env-model";
  defaults.api_key = "${ENV_KEY}";

  CHECK(repo.optimizer(defaults) == defaults);

  optimizer_settings saved;
  saved.enabled = true;
  saved.api_url = "https://opt.example.com/v1/chat/completions";
  saved.model = "gpt-4o";
  saved.timeout_seconds = 7;
  saved.api_key = "";
  REQUIRE(repo.save_optimizer(saved).has_value());
  CHECK(repo.optimizer(defaults) == saved);
  CHECK(stored(st.writer(), settings_keys::prompt_optimizer_settings) ==
        R"({"enabled":true,"api_url":"https://opt.example.com/v1/chat/completions","model":"gpt-4o",)"
        R"("timeout_seconds":7,"api_key":""})");

  settings_kv_repo kv{st.writer()};
  REQUIRE(kv.set(settings_keys::prompt_optimizer_settings, R"({"enabled":"yes","timeout_seconds":0,"model":""})")
              .has_value());
  CHECK(repo.optimizer(defaults) == defaults);
  REQUIRE(kv.set(settings_keys::prompt_optimizer_settings, "not json").has_value());
  CHECK(repo.optimizer(defaults) == defaults);
  REQUIRE(kv.set(settings_keys::prompt_optimizer_settings, R"({"timeout_seconds":30})").has_value());
  auto partial = repo.optimizer(defaults);
  REQUIRE(partial.has_value());
  CHECK(partial->timeout_seconds == 30);
  CHECK(partial->api_key == "${ENV_KEY}");
}

TEST_CASE("R2 settings: save and the env floor", "[store][global_settings]") {
  temp_dir dir;
  auto st = open_temp_store(dir);
  global_settings_repo repo{st.writer()};
  r2_settings defaults;

  r2_settings saved;
  saved.enabled = true;
  saved.endpoint_url = "https://acc.r2.cloudflarestorage.com";
  saved.bucket_name = "b";
  saved.region = "weur";
  saved.key_prefix = "";
  saved.sync_interval_hours = 6;
  saved.access_key_id = "${AK}";
  saved.secret_access_key = "${SK}";
  REQUIRE(repo.save_r2(saved).has_value());
  CHECK(repo.r2(defaults) == saved);

  // Env defaults: enabled is either; blank stored fields take the env's value;
  // a stored "" key prefix (bucket root) stays.
  r2_settings env;
  env.enabled = true;
  env.bucket_name = "env-bucket";
  env.access_key_id = "${R2_ACCESS_KEY_ID}";
  saved.enabled = false;
  saved.bucket_name = "";
  saved.access_key_id = "";
  REQUIRE(repo.save_r2(saved).has_value());
  auto merged = repo.r2(env);
  REQUIRE(merged.has_value());
  CHECK(merged->enabled);
  CHECK(merged->bucket_name == "env-bucket");
  CHECK(merged->access_key_id == "${R2_ACCESS_KEY_ID}");
  CHECK(merged->secret_access_key == "${SK}");
  CHECK(merged->key_prefix.empty());
  CHECK(merged->region == "weur");

  settings_kv_repo kv{st.writer()};
  REQUIRE(kv.set(settings_keys::r2_backup_settings, R"({"sync_interval_hours":-1,"key_prefix":"x"})").has_value());
  merged = repo.r2(defaults);
  REQUIRE(merged.has_value());
  CHECK(merged->sync_interval_hours == 0);
  CHECK(merged->key_prefix == "x/");
}

TEST_CASE("R2 env values are persisted on first load, never over real settings", "[store][global_settings]") {
  temp_dir dir;
  auto st = open_temp_store(dir);
  global_settings_repo repo{st.writer()};

  // Nothing in the environment: nothing written.
  CHECK(repo.persist_r2_env_defaults(r2_settings{}) == false);
  CHECK(stored(st.writer(), settings_keys::r2_backup_settings) == "<none>");

  r2_settings env;
  env.bucket_name = "env-bucket";
  env.endpoint_url = "https://acc.r2.cloudflarestorage.com";
  env.access_key_id = "${R2_ACCESS_KEY_ID}";
  env.secret_access_key = "${R2_SECRET_ACCESS_KEY}";
  CHECK(repo.persist_r2_env_defaults(env) == true);
  auto const text = stored(st.writer(), settings_keys::r2_backup_settings);
  CHECK(text.find(R"("access_key_id":"${R2_ACCESS_KEY_ID}")") != std::string::npos);
  CHECK(text.find(R"("secret_access_key":"${R2_SECRET_ACCESS_KEY}")") != std::string::npos);
  CHECK(text.find(R"("bucket_name":"env-bucket")") != std::string::npos);

  // Stored settings with values are left alone.
  r2_settings other = env;
  other.bucket_name = "other";
  CHECK(repo.persist_r2_env_defaults(other) == false);
  CHECK(stored(st.writer(), settings_keys::r2_backup_settings) == text);

  // An empty stored row gives way (keeping its own key prefix).
  settings_kv_repo kv{st.writer()};
  REQUIRE(kv.set(settings_keys::r2_backup_settings,
                 R"({"enabled":false,"endpoint_url":"","bucket_name":"","key_prefix":"mine/","access_key_id":""})")
              .has_value());
  CHECK(repo.persist_r2_env_defaults(other) == true);
  auto now = repo.r2(r2_settings{});
  REQUIRE(now.has_value());
  CHECK(now->bucket_name == "other");
  CHECK(now->key_prefix == "mine/");
}
