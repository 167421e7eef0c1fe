#include <catch2/catch.hpp>

#include "core/config.hpp"

using namespace panel;
using namespace panel::core;

namespace {
expected<config> load(std::map<std::string, std::string> env, std::map<std::string, std::string> dotenv = {},
                      std::map<std::string, std::string> flags = {}) {
  config_sources s;
  s.environment = std::move(env);
  s.dotenv = std::move(dotenv);
  s.flags = std::move(flags);
  return load_config(s);
}
} // namespace

TEST_CASE("defaults follow spec §15") {
  auto c = load({});
  REQUIRE(c.has_value());
  REQUIRE(c->port == 9090);
  REQUIRE(c->max_file_size_mb == 50);
  REQUIRE(c->import_archive_max_mb == 1000);
  REQUIRE(c->max_pending_edit_source_mb == 200);
  REQUIRE(c->access_key_cookie_name == "gpt_image_access");
  REQUIRE(c->access_cookie_secure);
  REQUIRE(c->csrf_origin_check_enabled);
  REQUIRE(c->database_file == std::filesystem::path("./data/app.sqlite3"));
  REQUIRE(c->thumbnails_dir == std::filesystem::path("./images/thumbs"));
  REQUIRE(c->r2_key_prefix == "gallery/");
  REQUIRE(c->github_repo.empty());
}

TEST_CASE("clamps raise values to their minimum") {
  auto c = load({{"SSE_CONNECTION_TTL_SECONDS", "5"}, {"MAX_ACTIVE_GENERATE_JOBS", "0"}, {"MAX_QUEUED_GENERATE_JOBS", "-3"}});
  REQUIRE(c.has_value());
  REQUIRE(c->sse_connection_ttl_seconds == 60);
  REQUIRE(c->max_active_generate_jobs == 1);
  REQUIRE(c->max_queued_generate_jobs == 0);
}

TEST_CASE("the R2 sync interval and concurrency default, clamp and refuse garbage") {
  auto d = load({});
  REQUIRE(d.has_value());
  CHECK(d->r2_sync_interval_hours == 0);
  CHECK(d->r2_sync_concurrency == 4);
  auto c = load({{"R2_SYNC_INTERVAL_HOURS", "-1"}, {"R2_SYNC_CONCURRENCY", "99"}});
  REQUIRE(c.has_value());
  CHECK(c->r2_sync_interval_hours == 0);
  CHECK(c->r2_sync_concurrency == 32);
  auto low = load({{"R2_SYNC_INTERVAL_HOURS", "6"}, {"R2_SYNC_CONCURRENCY", "0"}});
  REQUIRE(low.has_value());
  CHECK(low->r2_sync_interval_hours == 6);
  CHECK(low->r2_sync_concurrency == 1);
  auto bad = load({{"R2_SYNC_INTERVAL_HOURS", "6h"}});
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().message.find("R2_SYNC_INTERVAL_HOURS") != std::string::npos);
}

TEST_CASE("derived defaults follow MAX_FILE_SIZE_MB") {
  auto c = load({{"MAX_FILE_SIZE_MB", "10"}});
  REQUIRE(c->import_archive_max_mb == 200);
  REQUIRE(c->max_pending_edit_source_mb == 40);
  REQUIRE(c->edit_upload_max_mb == 161);
}

TEST_CASE("bad values are errors naming the variable") {
  auto bad_int = load({{"MAX_FILE_SIZE_MB", "lots"}});
  REQUIRE_FALSE(bad_int.has_value());
  REQUIRE(bad_int.error().message.find("MAX_FILE_SIZE_MB") != std::string::npos);
  auto bad_ip = load({{"IP_ALLOWLIST", "10.0.0.0/8, nonsense"}});
  REQUIRE_FALSE(bad_ip.has_value());
  REQUIRE(bad_ip.error().message.find("IP_ALLOWLIST") != std::string::npos);
  auto proxy = load({{"TRUST_PROXY_HEADERS", "yes"}});
  REQUIRE_FALSE(proxy.has_value());
  REQUIRE(proxy.error().message.find("TRUSTED_PROXY_IPS") != std::string::npos);
  REQUIRE_FALSE(load({{"GITHUB_REPO", "not a repo"}}).has_value());
  REQUIRE_FALSE(load({{"EXTRA_CA_FILE", "/nonexistent/ca.pem"}}).has_value());
  REQUIRE_FALSE(load({{"PRIVATE_NETWORK_ALLOWLIST", "bad host!"}}).has_value());
  REQUIRE_FALSE(load({{"PORT", "70000"}}).has_value());
}

TEST_CASE("PRIVATE_NETWORK_ALLOWLIST splits into networks and hostnames") {
  auto c = load({{"PRIVATE_NETWORK_ALLOWLIST", "192.168.1.0/24, 10.0.0.7, Gateway.LAN."}});
  REQUIRE(c.has_value());
  REQUIRE(c->private_network_allowlist.size() == 2);
  REQUIRE(c->private_network_host_allowlist == std::vector<std::string>{"gateway.lan"});
}

TEST_CASE("precedence: flags over environment over .env") {
  auto c = load({{"DATA_DIR", "/env"}}, {{"DATA_DIR", "/dotenv"}, {"IMAGES_DIR", "/dotenv-images"}}, {{"DATA_DIR", "/flag"}});
  REQUIRE(c->data_dir == std::filesystem::path("/flag"));
  REQUIRE(c->images_dir == std::filesystem::path("/dotenv-images"));
  auto e = load({{"DATA_DIR", "/env"}}, {{"DATA_DIR", "/dotenv"}});
  REQUIRE(e->data_dir == std::filesystem::path("/env"));
}

TEST_CASE("booleans accept 1/true/yes/on") {
  for (auto v : {"1", "true", "YES", " on "}) {
    REQUIRE(load({{"ENABLE_METRICS", v}})->enable_metrics);
  }
  REQUIRE_FALSE(load({{"ENABLE_METRICS", "nope"}})->enable_metrics);
}

TEST_CASE(".env parsing") {
  auto env = parse_dotenv("# comment\nexport A=1\nB = \"two words\" \nC='x # y'\nD=plain # trailing\n\n");
  REQUIRE(env.has_value());
  REQUIRE(env->at("A") == "1");
  REQUIRE(env->at("B") == "two words");
  REQUIRE(env->at("C") == "x # y");
  REQUIRE(env->at("D") == "plain");
  REQUIRE_FALSE(parse_dotenv("NOEQUALS\n").has_value());
  REQUIRE_FALSE(parse_dotenv("A=\"unterminated\n").has_value());
  REQUIRE_FALSE(parse_dotenv("1BAD=x\n").has_value());
}

TEST_CASE("command line") {
  char const* argv[] = {"image-panel", "--host", "0.0.0.0", "--port=8080", "--data-dir", "/d", "--version"};
  auto a = parse_cli(7, argv);
  REQUIRE(a.has_value());
  REQUIRE(a->flags.at("HOST") == "0.0.0.0");
  REQUIRE(a->flags.at("PORT") == "8080");
  REQUIRE(a->flags.at("DATA_DIR") == "/d");
  REQUIRE(a->show_version);
  char const* bad[] = {"image-panel", "--bogus"};
  REQUIRE_FALSE(parse_cli(2, bad).has_value());
  char const* missing[] = {"image-panel", "--port"};
  REQUIRE_FALSE(parse_cli(2, missing).has_value());
}

TEST_CASE("help names every variable the loader reads") {
  auto const help = help_text();
  for (auto v : {"ACCESS_KEY", "PRIVATE_NETWORK_ALLOWLIST", "EXTRA_CA_FILE", "WEB_BUILD_DIR", "R2_ENDPOINT_HOST_ALLOWLIST",
                 "MAX_SSE_SUBSCRIBERS_PER_IP", "IMPORT_MAX_COMPRESSION_RATIO", "--data-dir", "--version"}) {
    REQUIRE(help.find(v) != std::string::npos);
  }
}
