#include "store/presets_repo.hpp"

#include <string>

#include <catch2/catch.hpp>

#include "store/settings_kv_repo.hpp"
#include "store/store.hpp"
#include "store/temp_dir.hpp"
#include "store/test_support.hpp"

using panel::store::effective_default_model;
using panel::store::open_store;
using panel::store::preset;
using panel::store::preset_seed;
using panel::store::presets_repo;
using panel::store::settings_kv_repo;
using panel::store::store_paths;
using panel::store::test::scalar_int;
using panel::store::test::temp_dir;
namespace settings_keys = panel::store::settings_keys;

namespace {

panel::store::store open_temp_store(temp_dir const& dir) {
  auto opened = open_store(store_paths{dir.path() / "data", {}});
  INFO((opened ? std::string{} : opened.error().message));
  REQUIRE(opened.has_value());
  return std::move(*opened);
}

preset_seed sample_seed() {
  preset_seed seed;
  seed.api_url = "https://api.example.com/v1//";
  seed.api_key = "${OPENAI_API_KEY}";
  seed.api_path = "/v1/responses";
  seed.socks5_proxy = "${PROXY_URL}";
  return seed;
}

void insert_row(panel::store::database& db, std::string const& id, int position, std::string const& path,
                std::string const& format = "url") {
  auto stmt = db.prepare(
      "INSERT INTO api_presets (id, name, api_url, api_key, api_path, default_model, "
      "default_response_format, position, created_at, updated_at) VALUES (?1, ?2, '', '', ?3, '', ?4, ?5, "
      "'2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')");
  REQUIRE(stmt.has_value());
  REQUIRE(stmt->bind_all(id, "name-" + id, path, format, position).has_value());
  REQUIRE(stmt->execute().has_value());
}

} // namespace

TEST_CASE("presets_repo seeds Default from the DEFAULT_* values once", "[store][presets]") {
  temp_dir dir;
  auto st = open_temp_store(dir);
  presets_repo repo{st.writer()};

  auto empty_active = repo.active();
  REQUIRE_FALSE(empty_active.has_value());
  CHECK(empty_active.error().code == panel::errc::not_found);

  REQUIRE(repo.seed(sample_seed()).has_value());
  auto all = repo.list();
  REQUIRE(all.has_value());
  REQUIRE(all->size() == 1);
  preset const& p = all->front();
  CHECK(p.name == "Default");
  CHECK(p.id.size() == 36);
  CHECK(p.api_url == "https://api.example.com/v1");
  CHECK(p.api_key == "${OPENAI_API_KEY}");
  CHECK(p.api_path == "/v1/responses");
  CHECK(p.default_model.empty());
  CHECK(p.default_response_format == "url");
  CHECK(p.position == 0);
  CHECK_FALSE(p.created_at.empty());
  CHECK(p.created_at == p.updated_at);

  settings_kv_repo kv{st.writer()};
  CHECK(kv.get(settings_keys::active_preset_id)->value_or("") == p.id);
  CHECK(kv.get(settings_keys::upstream_socks5_proxy)->value_or("") == "${PROXY_URL}");

  // Idempotent: a second seed with other values changes nothing.
  preset_seed other;
  other.api_url = "https://other.example.com";
  REQUIRE(repo.seed(other).has_value());
  auto again = repo.list();
  REQUIRE(again.has_value());
  REQUIRE(again->size() == 1);
  CHECK(again->front() == p);

  auto active = repo.active();
  REQUIRE(active.has_value());
  CHECK(*active == p);
  auto got = repo.get(p.id);
  REQUIRE(got.has_value());
  REQUIRE(got->has_value());
  CHECK(**got == p);
  auto none = repo.get("nope");
  REQUIRE(none.has_value());
  CHECK_FALSE(none->has_value());
}

TEST_CASE("presets_repo seed normalises an unknown path and keeps an existing proxy", "[store][presets]") {
  temp_dir dir;
  auto st = open_temp_store(dir);
  settings_kv_repo kv{st.writer()};
  REQUIRE(kv.set(settings_keys::upstream_socks5_proxy, "socks5://kept:1080").has_value());

  presets_repo repo{st.writer()};
  preset_seed seed;
  seed.api_url = "";
  seed.api_path = "/v1/unknown";
  seed.socks5_proxy = "socks5://seed:1080";
  REQUIRE(repo.seed(seed).has_value());
  auto active = repo.active();
  REQUIRE(active.has_value());
  CHECK(active->api_path == "/v1/images/generations");
  CHECK(active->api_url.empty());
  CHECK(active->api_key.empty());
  CHECK(kv.get(settings_keys::upstream_socks5_proxy)->value_or("") == "socks5://kept:1080");
}

TEST_CASE("presets_repo repairs a dangling active_preset_id and orders by position", "[store][presets]") {
  temp_dir dir;
  auto st = open_temp_store(dir);
  auto& db = st.writer();
  insert_row(db, "b", 1, "/v1/chat/completions");
  insert_row(db, "a", 0, "/v1/bogus", "weird");
  insert_row(db, "c", 2, "/v1/images/edits", "b64_json");
  settings_kv_repo kv{db};
  REQUIRE(kv.set(settings_keys::active_preset_id, "gone").has_value());

  presets_repo repo{db};
  // Before the repair the active preset already falls back to the first.
  auto fallback = repo.active();
  REQUIRE(fallback.has_value());
  CHECK(fallback->id == "a");

  REQUIRE(repo.seed(sample_seed()).has_value());
  CHECK(scalar_int(db, "SELECT COUNT(*) FROM api_presets") == 3);
  CHECK(kv.get(settings_keys::active_preset_id)->value_or("") == "a");

  auto all = repo.list();
  REQUIRE(all.has_value());
  REQUIRE(all->size() == 3);
  CHECK((*all)[0].id == "a");
  CHECK((*all)[1].id == "b");
  CHECK((*all)[2].id == "c");
  // Unknown stored path and format read as generations / url.
  CHECK((*all)[0].api_path == "/v1/images/generations");
  CHECK((*all)[0].default_response_format == "url");
  CHECK((*all)[1].api_path == "/v1/chat/completions");
  CHECK((*all)[2].default_response_format == "b64_json");

  // A valid active id is kept.
  REQUIRE(kv.set(settings_keys::active_preset_id, "c").has_value());
  REQUIRE(repo.seed(sample_seed()).has_value());
  CHECK(kv.get(settings_keys::active_preset_id)->value_or("") == "c");
  auto active = repo.active();
  REQUIRE(active.has_value());
  CHECK(active->id == "c");
}

TEST_CASE("presets_repo job_settings_snapshot reads the globals", "[store][presets]") {
  temp_dir dir;
  auto st = open_temp_store(dir);
  presets_repo repo{st.writer()};
  preset_seed seed;
  seed.api_url = "https://api.example.com";
  REQUIRE(repo.seed(seed).has_value());

  auto snap = repo.job_settings_snapshot();
  REQUIRE(snap.has_value());
  CHECK(snap->active.name == "Default");
  CHECK(snap->socks5_proxy.empty());
  CHECK(snap->webhook_url.empty());

  settings_kv_repo kv{st.writer()};
  REQUIRE(kv.set(settings_keys::webhook_url, "${HOOK}").has_value());
  REQUIRE(kv.set(settings_keys::upstream_socks5_proxy, "${PROXY}").has_value());
  snap = repo.job_settings_snapshot();
  REQUIRE(snap.has_value());
  CHECK(snap->webhook_url == "${HOOK}");
  CHECK(snap->socks5_proxy == "${PROXY}");
}

TEST_CASE("effective_default_model", "[store][presets]") {
  preset p;
  p.api_path = "/v1/responses";
  CHECK(effective_default_model(p, "gpt-5.4") == "gpt-5.4");
  CHECK(effective_default_model(p, "") == "gpt-image-2");
  p.api_path = "/v1/images/generations";
  CHECK(effective_default_model(p, "gpt-5.4") == "gpt-image-2");
  p.default_model = "  dall-e-3 ";
  CHECK(effective_default_model(p, "gpt-5.4") == "dall-e-3");
}

TEST_CASE("presets_repo fill_unconfigured completes a preset without an API URL, and only that", "[store][presets]") {
  temp_dir dir;
  auto st = open_temp_store(dir);
  presets_repo repo{st.writer()};
  REQUIRE(repo.seed(preset_seed{"", "", "/v1/images/generations", ""}).has_value());

  auto nothing = repo.fill_unconfigured(preset_seed{"", "${KEY}", "", ""});
  REQUIRE(nothing.has_value());
  CHECK_FALSE(*nothing);

  auto filled = repo.fill_unconfigured(sample_seed());
  REQUIRE(filled.has_value());
  CHECK(*filled);
  auto active = repo.active();
  REQUIRE(active.has_value());
  CHECK(active->api_url == "https://api.example.com/v1");
  CHECK(active->api_key == "${OPENAI_API_KEY}");
  CHECK(active->api_path == "/v1/responses");

  // A configured preset is never overwritten.
  auto again = repo.fill_unconfigured(preset_seed{"https://other.example.com", "${OTHER}", "", ""});
  REQUIRE(again.has_value());
  CHECK_FALSE(*again);
  CHECK(repo.active()->api_url == "https://api.example.com/v1");
}
