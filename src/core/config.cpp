#include "core/config.hpp"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include "core/strings.hpp"

extern char** environ;

#ifndef PANEL_SOURCE_DIR
#define PANEL_SOURCE_DIR "."
#endif

namespace panel::core {

namespace {

// Looks variables up through the three sources in precedence order.
class lookup {
public:
  explicit lookup(config_sources const& s) : s_(s) {}

  [[nodiscard]] std::optional<std::string> raw(std::string const& name) const {
    for (auto const* m : {&s_.flags, &s_.environment, &s_.dotenv}) {
      if (auto it = m->find(name); it != m->end()) {
        return it->second;
      }
    }
    return std::nullopt;
  }

  // Trimmed value, or `def` when unset or blank.
  [[nodiscard]] std::string str(std::string const& name, std::string const& def = {}) const {
    auto v = raw(name);
    if (!v) {
      return def;
    }
    auto t = std::string(trim(*v));
    return t.empty() ? def : t;
  }

  [[nodiscard]] bool flag(std::string const& name, bool def) const {
    auto v = raw(name);
    if (!v || trim(*v).empty()) {
      return def;
    }
    return parse_bool(*v);
  }

  // Integer with a lower clamp (spec §15: out-of-range values are clamped, not refused).
  [[nodiscard]] expected<std::int64_t> integer(std::string const& name, std::int64_t def,
                                               std::int64_t min = INT64_MIN) const {
    auto v = raw(name);
    if (!v || trim(*v).empty()) {
      return std::max(def, min);
    }
    auto const t = trim(*v);
    std::int64_t out = 0;
    auto const* first = t.data();
    auto const* last = t.data() + t.size();
    if (*first == '+') {
      ++first;
    }
    auto [ptr, ec] = std::from_chars(first, last, out);
    if (ec != std::errc{} || ptr != last) {
      return fail(errc::validation, name + " must be an integer, got '" + std::string(t) + "'");
    }
    return std::max(out, min);
  }

  [[nodiscard]] expected<double> number(std::string const& name, double def, double min) const {
    auto v = raw(name);
    if (!v || trim(*v).empty()) {
      return def;
    }
    auto const t = std::string(trim(*v));
    char* end = nullptr;
    errno = 0;
    double const d = std::strtod(t.c_str(), &end);
    if (errno != 0 || end != t.c_str() + t.size() || !std::isfinite(d)) {
      return fail(errc::validation, name + " must be a number, got '" + t + "'");
    }
    return std::max(d, min);
  }

private:
  config_sources const& s_;
};

std::vector<std::string> host_list(std::string const& value) {
  std::vector<std::string> out;
  for (auto& h : split_list(value, ",")) {
    auto l = to_lower(h);
    while (!l.empty() && l.back() == '.') {
      l.pop_back();
    }
    if (!l.empty()) {
      out.push_back(std::move(l));
    }
  }
  return out;
}

bool is_hostname(std::string const& h) {
  static std::regex const re{R"(^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$)"};
  return h.size() <= 253 && std::regex_match(h, re);
}

std::string normalise_prefix(std::string prefix) {
  while (!prefix.empty() && prefix.front() == '/') {
    prefix.erase(prefix.begin());
  }
  if (!prefix.empty() && prefix.back() != '/') {
    prefix.push_back('/');
  }
  return prefix;
}

} // namespace

expected<config> load_config(config_sources const& sources) {
  lookup const env{sources};
  config c;

#define PANEL_TRY_INT(field, name, def, min)      \
  if (auto v = env.integer(name, def, min); !v) { \
    return tl::unexpected(v.error());             \
  } else {                                        \
    c.field = static_cast<decltype(c.field)>(*v); \
  }

  c.host = env.str("HOST", c.host);
  if (auto p = env.integer("PORT", 9090, 0); !p) {
    return tl::unexpected(p.error());
  } else if (*p > 65535) {
    return fail(errc::validation, "PORT must be between 0 and 65535, got " + std::to_string(*p));
  } else {
    c.port = static_cast<std::uint16_t>(*p);
  }

  c.default_api_url = env.str("DEFAULT_API_URL");
  while (!c.default_api_url.empty() && c.default_api_url.back() == '/') {
    c.default_api_url.pop_back();
  }
  c.default_api_key = env.str("DEFAULT_API_KEY");
  c.default_api_path = env.str("DEFAULT_API_PATH", c.default_api_path);
  if (c.default_api_path != "/v1/images/generations" && c.default_api_path != "/v1/responses" &&
      c.default_api_path != "/v1/chat/completions") {
    c.default_api_path = "/v1/images/generations"; // spec §15: unknown -> generations
  }
  c.default_responses_model = env.str("DEFAULT_RESPONSES_MODEL", c.default_responses_model);
  c.default_upstream_socks5_proxy = env.str("DEFAULT_UPSTREAM_SOCKS5_PROXY");
  c.allow_plaintext_secrets = env.flag("ALLOW_PLAINTEXT_SECRETS", false);

  c.prompt_optimizer_enabled = env.flag("PROMPT_OPTIMIZER_ENABLED", false);
  c.prompt_optimizer_api_url = env.str("PROMPT_OPTIMIZER_API_URL");
  c.prompt_optimizer_api_key = env.str("PROMPT_OPTIMIZER_API_KEY");
  c.prompt_optimizer_model = env.str("PROMPT_OPTIMIZER_MODEL", c.prompt_optimizer_model);
  PANEL_TRY_INT(prompt_optimizer_timeout_seconds, "PROMPT_OPTIMIZER_TIMEOUT_SECONDS", 60, 1)
  PANEL_TRY_INT(prompt_optimizer_max_output_chars, "PROMPT_OPTIMIZER_MAX_OUTPUT_CHARS", 4000, 1)
  PANEL_TRY_INT(prompt_optimizer_max_response_mb, "PROMPT_OPTIMIZER_MAX_RESPONSE_MB", 8, 1)
  c.prompt_optimizer_host_allowlist = host_list(env.str("PROMPT_OPTIMIZER_HOST_ALLOWLIST"));

  c.r2_backup_enabled = env.flag("R2_BACKUP_ENABLED", false);
  c.r2_endpoint_url = env.str("R2_ENDPOINT_URL");
  c.r2_bucket_name = env.str("R2_BUCKET_NAME");
  c.r2_region = env.str("R2_REGION", c.r2_region);
  c.r2_key_prefix = normalise_prefix(env.str("R2_KEY_PREFIX", c.r2_key_prefix));
  c.r2_access_key_id = env.str("R2_ACCESS_KEY_ID");
  c.r2_secret_access_key = env.str("R2_SECRET_ACCESS_KEY");
  c.r2_endpoint_host_allowlist = host_list(env.str("R2_ENDPOINT_HOST_ALLOWLIST"));
  PANEL_TRY_INT(r2_sync_interval_hours, "R2_SYNC_INTERVAL_HOURS", 0, 0)
  PANEL_TRY_INT(r2_sync_concurrency, "R2_SYNC_CONCURRENCY", 4, 1)
  c.r2_sync_concurrency = std::min<std::int64_t>(c.r2_sync_concurrency, 32);

  if (auto v = env.raw("APP_VERSION"); v && !trim(*v).empty()) {
    c.app_version = std::string(trim(*v));
  }
  c.version_file = env.str("VERSION_FILE", std::string(PANEL_SOURCE_DIR) + "/VERSION");
  c.github_repo = env.raw("GITHUB_REPO") ? std::string(trim(*env.raw("GITHUB_REPO"))) : c.github_repo;
  if (!c.github_repo.empty() && !std::regex_match(c.github_repo, std::regex{R"(^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$)"})) {
    return fail(errc::validation, "GITHUB_REPO must look like owner/repo (letters, digits, _ . -), got '" +
                                      c.github_repo + "'");
  }
  c.enable_version_check = env.flag("ENABLE_VERSION_CHECK", true);
  PANEL_TRY_INT(version_check_timeout_seconds, "VERSION_CHECK_TIMEOUT_SECONDS", 3, 1)
  c.version_check_branch = env.str("VERSION_CHECK_BRANCH", c.version_check_branch);
  c.version_check_api_url = env.str("VERSION_CHECK_API_URL", c.version_check_api_url);
  c.version_check_raw_url = env.str("VERSION_CHECK_RAW_URL", c.version_check_raw_url);
  for (auto* u : {&c.version_check_api_url, &c.version_check_raw_url}) {
    while (!u->empty() && u->back() == '/') {
      u->pop_back();
    }
    if (!u->starts_with("https://")) {
      return fail(errc::validation, std::string(u == &c.version_check_api_url ? "VERSION_CHECK_API_URL" : "VERSION_CHECK_RAW_URL") +
                                        " must be an https:// URL");
    }
  }

  c.enable_metrics = env.flag("ENABLE_METRICS", false);
  PANEL_TRY_INT(slow_gallery_query_ms, "SLOW_GALLERY_QUERY_MS", 200, 0)

  c.access_key = env.str("ACCESS_KEY");
  c.allow_unauthenticated = env.flag("ALLOW_UNAUTHENTICATED", false);
  c.access_key_cookie_name = env.str("ACCESS_KEY_COOKIE_NAME", c.access_key_cookie_name);
  if (!std::regex_match(c.access_key_cookie_name, std::regex{R"(^[A-Za-z0-9!#$%&'*+.^_`|~-]+$)"})) {
    return fail(errc::validation, "ACCESS_KEY_COOKIE_NAME is not a valid cookie name: '" +
                                      c.access_key_cookie_name + "'");
  }
  c.access_cookie_secure = env.flag("ACCESS_COOKIE_SECURE", true);
  PANEL_TRY_INT(access_max_failures, "ACCESS_MAX_FAILURES", 5, 1)
  PANEL_TRY_INT(access_lockout_seconds, "ACCESS_LOCKOUT_SECONDS", 300, 1)
  PANEL_TRY_INT(access_failure_table_size, "ACCESS_FAILURE_TABLE_SIZE", 10000, 1)

  if (auto nets = parse_network_list(env.str("IP_ALLOWLIST")); !nets) {
    return fail(errc::validation, "IP_ALLOWLIST: " + nets.error().message);
  } else {
    c.ip_allowlist = std::move(*nets);
  }
  c.trust_proxy_headers = env.flag("TRUST_PROXY_HEADERS", false);
  if (auto nets = parse_network_list(env.str("TRUSTED_PROXY_IPS")); !nets) {
    return fail(errc::validation, "TRUSTED_PROXY_IPS: " + nets.error().message);
  } else {
    c.trusted_proxy_ips = std::move(*nets);
  }
  if (c.trust_proxy_headers && c.trusted_proxy_ips.empty()) {
    return fail(errc::validation,
                "TRUST_PROXY_HEADERS=true requires TRUSTED_PROXY_IPS (the proxy addresses or CIDRs to trust)");
  }
  c.public_origin = env.str("PUBLIC_ORIGIN");
  c.allowed_hosts = env.str("ALLOWED_HOSTS");
  c.csrf_origin_check_enabled = env.flag("CSRF_ORIGIN_CHECK_ENABLED", true);

  c.upstream_host_allowlist = host_list(env.str("UPSTREAM_HOST_ALLOWLIST"));
  c.webhook_host_allowlist = host_list(env.str("WEBHOOK_HOST_ALLOWLIST"));
  for (auto const& entry : split_list(env.str("PRIVATE_NETWORK_ALLOWLIST"), ",;")) {
    if (auto net = ip_network::parse(entry)) {
      c.private_network_allowlist.push_back(*net);
      continue;
    }
    auto h = to_lower(entry);
    while (!h.empty() && h.back() == '.') {
      h.pop_back();
    }
    if (!is_hostname(h)) {
      return fail(errc::validation, "PRIVATE_NETWORK_ALLOWLIST: '" + entry + "' is neither an IP, a CIDR nor a hostname");
    }
    c.private_network_host_allowlist.push_back(std::move(h));
  }
  if (auto ca = env.str("EXTRA_CA_FILE"); !ca.empty()) {
    std::ifstream in{ca};
    if (!in) {
      return fail(errc::validation, "EXTRA_CA_FILE: cannot read '" + ca + "'");
    }
    std::stringstream ss;
    ss << in.rdbuf();
    if (ss.str().find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
      return fail(errc::validation, "EXTRA_CA_FILE: '" + ca + "' holds no PEM certificate");
    }
    c.extra_ca_file = ca;
  }

  c.webhook_signing_secret = env.str("WEBHOOK_SIGNING_SECRET");
  PANEL_TRY_INT(webhook_timeout_seconds, "WEBHOOK_TIMEOUT_SECONDS", 5, 1)
  PANEL_TRY_INT(webhook_max_attempts, "WEBHOOK_MAX_ATTEMPTS", 3, 1)

  PANEL_TRY_INT(max_file_size_mb, "MAX_FILE_SIZE_MB", 50, 1)
  PANEL_TRY_INT(max_json_body_mb, "MAX_JSON_BODY_MB", 1, 1)
  PANEL_TRY_INT(max_upstream_json_mb, "MAX_UPSTREAM_JSON_MB", 128, 1)
  PANEL_TRY_INT(max_image_pixels, "MAX_IMAGE_PIXELS", 100'000'000, 1)
  PANEL_TRY_INT(import_archive_max_mb, "IMPORT_ARCHIVE_MAX_MB", c.max_file_size_mb * 20, 0)
  PANEL_TRY_INT(import_max_files, "IMPORT_MAX_FILES", 500, 1)
  PANEL_TRY_INT(import_max_uncompressed_mb, "IMPORT_MAX_UNCOMPRESSED_MB", 1024, 1)
  PANEL_TRY_INT(import_max_metadata_bytes, "IMPORT_MAX_METADATA_BYTES", 2'097'152, 1)
  if (auto r = env.number("IMPORT_MAX_COMPRESSION_RATIO", 100.0, 1.0); !r) {
    return tl::unexpected(r.error());
  } else {
    c.import_max_compression_ratio = *r;
  }
  PANEL_TRY_INT(edit_upload_max_mb, "EDIT_UPLOAD_MAX_MB", 16 * c.max_file_size_mb + 1, 1)

  PANEL_TRY_INT(max_active_generate_jobs, "MAX_ACTIVE_GENERATE_JOBS", 2, 1)
  PANEL_TRY_INT(max_queued_generate_jobs, "MAX_QUEUED_GENERATE_JOBS", 20, 0)
  PANEL_TRY_INT(max_pending_edit_source_mb, "MAX_PENDING_EDIT_SOURCE_MB", c.max_file_size_mb * 4, 0)
  PANEL_TRY_INT(max_sse_subscribers_global, "MAX_SSE_SUBSCRIBERS_GLOBAL", 200, 1)
  PANEL_TRY_INT(max_sse_subscribers_per_ip, "MAX_SSE_SUBSCRIBERS_PER_IP", 10, 1)
  PANEL_TRY_INT(sse_connection_ttl_seconds, "SSE_CONNECTION_TTL_SECONDS", 3600, 60)
#undef PANEL_TRY_INT

  c.data_dir = env.str("DATA_DIR", "./data");
  c.database_file = env.str("DATABASE_FILE", (c.data_dir / "app.sqlite3").string());
  c.images_dir = env.str("IMAGES_DIR", "./images");
  c.thumbnails_dir = env.str("THUMBNAILS_DIR", (c.images_dir / "thumbs").string());
  if (auto v = env.integer("THUMBNAIL_MAX_SIDE", 512, 1); !v) {
    return tl::unexpected(v.error());
  } else {
    c.thumbnail_max_side = static_cast<int>(std::min<std::int64_t>(*v, 16384));
  }
  c.web_build_dir = env.str("WEB_BUILD_DIR", std::string(PANEL_SOURCE_DIR) + "/web/build");
  return c;
}

expected<std::map<std::string, std::string>> parse_dotenv(std::string const& text) {
  std::map<std::string, std::string> out;
  std::istringstream in{text};
  std::string line;
  int number = 0;
  static std::regex const key_re{R"(^[A-Za-z_][A-Za-z0-9_]*$)"};
  while (std::getline(in, line)) {
    ++number;
    auto l = trim(line);
    if (l.empty() || l.front() == '#') {
      continue;
    }
    if (l.starts_with("export ")) {
      l = trim(l.substr(7));
    }
    auto const eq = l.find('=');
    if (eq == std::string_view::npos) {
      return fail(errc::validation, ".env line " + std::to_string(number) + ": expected KEY=VALUE");
    }
    auto key = std::string(trim(l.substr(0, eq)));
    if (!std::regex_match(key, key_re)) {
      return fail(errc::validation, ".env line " + std::to_string(number) + ": invalid variable name");
    }
    auto value = trim(l.substr(eq + 1));
    if (!value.empty() && (value.front() == '"' || value.front() == '\'')) {
      auto const q = value.front();
      auto const close = value.find(q, 1);
      if (close == std::string_view::npos) {
        return fail(errc::validation, ".env line " + std::to_string(number) + ": unterminated quote");
      }
      value = value.substr(1, close - 1);
    } else if (auto const hash = value.find(" #"); hash != std::string_view::npos) {
      value = trim(value.substr(0, hash)); // inline comment after an unquoted value
    }
    out[key] = std::string(value);
  }
  return out;
}

std::map<std::string, std::string> process_environment() {
  std::map<std::string, std::string> out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view const kv{*e};
    auto const eq = kv.find('=');
    if (eq != std::string_view::npos) {
      out.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
    }
  }
  return out;
}

expected<cli_args> parse_cli(int argc, char const* const* argv) {
  cli_args out;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::optional<std::string> inline_value;
    if (auto const eq = arg.find('='); arg.starts_with("--") && eq != std::string::npos) {
      inline_value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    }
    if (arg == "--help" || arg == "-h") {
      out.show_help = true;
      continue;
    }
    if (arg == "--version" || arg == "-V") {
      out.show_version = true;
      continue;
    }
    auto const value = [&]() -> expected<std::string> {
      if (inline_value) {
        return *inline_value;
      }
      if (i + 1 >= argc) {
        return fail(errc::validation, arg + " needs a value");
      }
      return std::string(argv[++i]);
    };
    std::string var;
    if (arg == "--host") {
      var = "HOST";
    } else if (arg == "--port") {
      var = "PORT";
    } else if (arg == "--data-dir") {
      var = "DATA_DIR";
    } else if (arg == "--env-file") {
      auto v = value();
      if (!v) {
        return tl::unexpected(v.error());
      }
      out.env_file = *v;
      continue;
    } else {
      return fail(errc::validation, "unknown option '" + arg + "' (see --help)");
    }
    auto v = value();
    if (!v) {
      return tl::unexpected(v.error());
    }
    out.flags[var] = *v;
  }
  return out;
}

} // namespace panel::core
