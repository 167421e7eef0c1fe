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
  CHECK(p.id == "default");
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

namespace {

preset fields(std::string name, std::string url, std::string key = "", std::string path = "/v1/images/generations") {
  preset p;
  p.name = std::move(name);
  p.api_url = std::move(url);
  p.api_key = std::move(key);
  p.api_path = std::move(path);
  p.default_model = "model-x";
  p.default_response_format = "b64_json";
  return p;
}

std::vector<std::string> ids(presets_repo const& repo) {
  auto all = repo.list();
  REQUIRE(all.has_value());
  std::vector<std::string> out;
  for (auto const& p : *all) {
    out.push_back(p.id);
  }
  return out;
}

} // namespace

TEST_CASE("presets_repo create appends, activates and stamps a 32-hex id", "[store][presets]") {
  temp_dir dir;
  auto st = open_temp_store(dir);
  presets_repo repo{st.writer()};
  REQUIRE(repo.seed(sample_seed()).has_value());

  auto made = repo.create(fields("Alt", "https://alt.example.com", "${ALT_KEY}", "/v1/chat/completions"));
  REQUIRE(made.has_value());
  CHECK(made->id.size() == 32);
  CHECK(made->id.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(made->position == 1);
  CHECK_FALSE(made->created_at.empty());
  CHECK(repo.active()->id == made->id);
  auto stored = repo.get(made->id);
  REQUIRE(stored.has_value());
  REQUIRE(stored->has_value());
  CHECK(**stored == *made);
  CHECK((*stored)->api_key == "${ALT_KEY}");
  CHECK((*stored)->default_model == "model-x");
  CHECK((*stored)->default_response_format == "b64_json");

  auto third = repo.create(fields("Third", ""));
  REQUIRE(third.has_value());
  CHECK(third->position == 2);
  CHECK(ids(repo) == std::vector<std::string>{"default", made->id, third->id});
}

TEST_CASE("presets_repo update rewrites one row; unknown ids are 404", "[store][presets]") {
  temp_dir dir;
  auto st = open_temp_store(dir);
  presets_repo repo{st.writer()};
  REQUIRE(repo.seed(sample_seed()).has_value());
  auto p = *repo.active();
  p.name = "Renamed";
  p.api_url = "https://new.example.com";
  p.api_key = "";
  p.api_path = "/v1/chat/completions";
  p.default_model = "gpt-image-1";
  p.default_response_format = "";
  REQUIRE(repo.update(p).has_value());
  auto got = *repo.active();
  CHECK(got.name == "Renamed");
  CHECK(got.api_url == "https://new.example.com");
  CHECK(got.api_key.empty());
  CHECK(got.api_path == "/v1/chat/completions");
  CHECK(got.default_model == "gpt-image-1");
  CHECK(got.default_response_format.empty());
  CHECK(got.created_at == p.created_at);

  p.id = "missing";
  auto missing = repo.update(p);
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().code == panel::errc::not_found);
  CHECK(missing.error().message == "Preset not found");
}

TEST_CASE("presets_repo activate", "[store][presets]") {
  temp_dir dir;
  auto st = open_temp_store(dir);
  presets_repo repo{st.writer()};
  REQUIRE(repo.seed(sample_seed()).has_value());
  auto alt = repo.create(fields("Alt", "https://alt.example.com"));
  REQUIRE(alt.has_value());
  REQUIRE(repo.activate("default").has_value());
  CHECK(repo.active()->id == "default");
  REQUIRE(repo.activate(alt->id).has_value());
  CHECK(repo.active()->id == alt->id);
  auto missing = repo.activate("nope");
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().code == panel::errc::not_found);
  CHECK(repo.active()->id == alt->id);
}

TEST_CASE("presets_repo remove: the last preset stays, the active one hands over by index", "[store][presets]") {
  temp_dir dir;
  auto st = open_temp_store(dir);
  presets_repo repo{st.writer()};
  REQUIRE(repo.seed(sample_seed()).has_value());

  auto only = repo.remove("default");
  REQUIRE_FALSE(only.has_value());
  CHECK(only.error().code == panel::errc::bad_request);
  CHECK(only.error().message == "At least one preset is required");
  // With one preset left even an unknown id gets the 400 (checked first).
  CHECK(repo.remove("nope").error().code == panel::errc::bad_request);

  auto b = *repo.create(fields("B", "https://b.example.com"));
  auto c = *repo.create(fields("C", "https://c.example.com"));
  auto d = *repo.create(fields("D", "https://d.example.com"));
  CHECK(repo.remove("nope").error().code == panel::errc::not_found);

  // Removing a preset that is not active keeps the active one.
  REQUIRE(repo.remove(b.id).has_value());
  CHECK(repo.active()->id == d.id);
  CHECK(ids(repo) == std::vector<std::string>{"default", c.id, d.id});

  // Active in the middle: the preset now at the same index takes over.
  REQUIRE(repo.activate(c.id).has_value());
  REQUIRE(repo.remove(c.id).has_value());
  CHECK(repo.active()->id == d.id);

  // Active at the end: the new last one takes over.
  REQUIRE(repo.remove(d.id).has_value());
  CHECK(repo.active()->id == "default");
  CHECK(ids(repo) == std::vector<std::string>{"default"});

  // Positions keep growing after deletions, so a new preset still sorts last.
  auto e = *repo.create(fields("E", "https://e.example.com"));
  REQUIRE(repo.activate("default").has_value());
  REQUIRE(repo.remove("default").has_value());
  CHECK(repo.active()->id == e.id);
}

TEST_CASE("presets_repo global proxy and webhook", "[store][presets]") {
  temp_dir dir;
  auto st = open_temp_store(dir);
  presets_repo repo{st.writer()};
  CHECK(repo.socks5_proxy() == std::string{});
  CHECK(repo.webhook_url() == std::string{});
  REQUIRE(repo.set_socks5_proxy("${PROXY}").has_value());
  REQUIRE(repo.set_webhook_url("${HOOK}").has_value());
  CHECK(repo.socks5_proxy() == std::string{"${PROXY}"});
  CHECK(repo.webhook_url() == std::string{"${HOOK}"});
  REQUIRE(repo.set_webhook_url("").has_value());
  CHECK(repo.webhook_url() == std::string{});
}
