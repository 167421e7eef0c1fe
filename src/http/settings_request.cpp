#include "http/settings_request.hpp"

#include <algorithm>
#include <initializer_list>
#include <memory>

#include <simdjson.h>

#include "core/config.hpp"
#include "core/r2_endpoint.hpp"
#include "core/secrets.hpp"
#include "core/strings.hpp"
#include "http/json_body.hpp"

namespace panel::http {

namespace {

// Integers beyond this are refused rather than wrapped (timeouts, intervals).
constexpr std::int64_t max_setting_int = 1'000'000;

std::size_t utf8_length(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// Reads the fields of one JSON object; errors are located as "<prefix><key>".
class object_fields {
 public:
  object_fields(simdjson::dom::object obj, std::string prefix) : obj_{obj}, prefix_{std::move(prefix)} {}

  [[nodiscard]] std::string where(std::string_view key) const { return prefix_ + std::string{key}; }

  [[nodiscard]] error invalid(std::string_view key, std::string_view message) const {
    return validation_error(where(key), message);
  }

  // Every key must be in `allowed` (§1.1 strict models, nested objects too).
  [[nodiscard]] expected<void> only(std::initializer_list<std::string_view> allowed) const {
    std::string problems;
    for (auto field : obj_) {
      if (std::find(allowed.begin(), allowed.end(), field.key) == allowed.end()) {
        problems += (problems.empty() ? "" : "; ") + where(field.key) + " - Extra inputs are not permitted";
      }
    }
    if (!problems.empty()) {
      return fail(errc::validation, problems);
    }
    return {};
  }

  // The element under `key`; nullopt when absent or null.
  [[nodiscard]] std::optional<simdjson::dom::element> get(std::string_view key) const {
    simdjson::dom::element v;
    if (obj_.at_key(key).get(v) != simdjson::SUCCESS || v.is_null()) {
      return std::nullopt;
    }
    return v;
  }

  [[nodiscard]] bool present(std::string_view key) const {
    simdjson::dom::element v;
    return obj_.at_key(key).get(v) == simdjson::SUCCESS;
  }

  // A string of at most `max_len` characters, untrimmed; nullopt for null/absent.
  [[nodiscard]] expected<std::optional<std::string>> string(std::string_view key, std::size_t max_len) const {
    auto v = get(key);
    if (!v) {
      return std::optional<std::string>{};
    }
    std::string_view s;
    if (v->get(s) != simdjson::SUCCESS) {
      return tl::unexpected(invalid(key, "Input should be a valid string"));
    }
    if (utf8_length(s) > max_len) {
      return tl::unexpected(invalid(key, "String should have at most " + std::to_string(max_len) + " characters"));
    }
    return std::optional<std::string>{std::string{s}};
  }

  // The same, trimmed.
  [[nodiscard]] expected<std::optional<std::string>> trimmed(std::string_view key, std::size_t max_len) const {
    auto s = string(key, max_len);
    if (s && *s) {
      **s = std::string{core::trim(**s)};
    }
    return s;
  }

  [[nodiscard]] expected<std::optional<bool>> boolean(std::string_view key) const {
    auto v = get(key);
    if (!v) {
      return std::optional<bool>{};
    }
    bool b = false;
    if (v->get(b) != simdjson::SUCCESS) {
      return tl::unexpected(invalid(key, "Input should be a valid boolean"));
    }
    return std::optional<bool>{b};
  }

  // A JSON integer (no strings, no floats, no booleans) in [min, max_setting_int].
  [[nodiscard]] expected<std::optional<int>> integer(std::string_view key, std::int64_t min) const {
    auto v = get(key);
    if (!v) {
      return std::optional<int>{};
    }
    std::int64_t n = 0;
    if (!v->is_int64() || v->get(n) != simdjson::SUCCESS) {
      return tl::unexpected(invalid(key, "Input should be a valid integer"));
    }
    if (n < min) {
      return tl::unexpected(invalid(key, "Input should be greater than or equal to " + std::to_string(min)));
    }
    if (n > max_setting_int) {
      return tl::unexpected(
          invalid(key, "Input should be less than or equal to " + std::to_string(max_setting_int)));
    }
    return std::optional<int>{static_cast<int>(n)};
  }

  // One of `allowed` (pydantic's literal message), or nullopt for null/absent.
  [[nodiscard]] expected<std::optional<std::string>> one_of(std::string_view key,
                                                            std::initializer_list<std::string_view> allowed) const {
    auto v = get(key);
    if (!v) {
      return std::optional<std::string>{};
    }
    std::string_view s;
    if (v->get(s) == simdjson::SUCCESS && std::find(allowed.begin(), allowed.end(), s) != allowed.end()) {
      return std::optional<std::string>{std::string{s}};
    }
    std::string list;
    std::size_t i = 0;
    for (auto a : allowed) {
      list += (i == 0 ? "" : (i + 1 == allowed.size() ? " or " : ", ")) + ("'" + std::string{a} + "'");
      ++i;
    }
    return tl::unexpected(invalid(key, "Input should be " + list));
  }

  // A nested object; nullopt for null/absent.
  [[nodiscard]] expected<std::optional<object_fields>> object(std::string_view key) const {
    auto v = get(key);
    if (!v) {
      return std::optional<object_fields>{};
    }
    simdjson::dom::object o;
    if (v->get(o) != simdjson::SUCCESS) {
      return tl::unexpected(invalid(key, "Input should be a valid dictionary"));
    }
    return std::optional<object_fields>{object_fields{o, where(key) + "."}};
  }

 private:
  simdjson::dom::object obj_;
  std::string prefix_;
};

// Assigns the value of an expected<T> or returns its error from the caller.
#define PANEL_TAKE(target, expr)                \
  do {                                          \
    auto taken_ = (expr);                       \
    if (!taken_) {                              \
      return tl::unexpected(taken_.error());    \
    }                                           \
    (target) = std::move(*taken_);              \
  } while (false)

// A full https URL (§7.4) when non-blank; "" when blank; nullopt for null/absent.
expected<std::optional<std::string>> optional_api_url(object_fields const& f, std::string_view key) {
  auto raw = f.string(key, 2048);
  if (!raw || !*raw) {
    return raw;
  }
  if (core::trim(**raw).empty()) {
    return std::optional<std::string>{std::string{}};
  }
  auto normal = core::normalise_api_url(**raw);
  if (!normal) {
    return tl::unexpected(f.invalid(key, normal.error().message));
  }
  return std::optional<std::string>{std::move(*normal)};
}

expected<optimizer_patch> parse_optimizer(object_fields const& f) {
  if (auto ok = f.only({"enabled", "api_url", "model", "timeout_seconds", "api_key"}); !ok) {
    return tl::unexpected(ok.error());
  }
  optimizer_patch p;
  PANEL_TAKE(p.enabled, f.boolean("enabled"));
  PANEL_TAKE(p.api_url, optional_api_url(f, "api_url"));
  PANEL_TAKE(p.model, f.trimmed("model", 200));
  PANEL_TAKE(p.timeout_seconds, f.integer("timeout_seconds", 1));
  PANEL_TAKE(p.api_key, f.string("api_key", 8192));
  return p;
}

expected<r2_patch> parse_r2(object_fields const& f, settings_rules const& rules) {
  if (auto ok = f.only({"enabled", "endpoint_url", "bucket_name", "region", "key_prefix", "sync_interval_hours",
                        "access_key_id", "secret_access_key"});
      !ok) {
    return tl::unexpected(ok.error());
  }
  r2_patch p;
  PANEL_TAKE(p.enabled, f.boolean("enabled"));
  std::optional<std::string> endpoint;
  PANEL_TAKE(endpoint, f.string("endpoint_url", 2048));
  if (endpoint) {
    auto normal = core::normalise_r2_endpoint(*endpoint, rules.r2_host_allowlist, rules.unblocked_hosts);
    if (!normal) {
      return tl::unexpected(f.invalid("endpoint_url", normal.error().message));
    }
    p.endpoint_url = std::move(*normal);
  }
  PANEL_TAKE(p.bucket_name, f.trimmed("bucket_name", 255));
  PANEL_TAKE(p.region, f.trimmed("region", 100));
  std::optional<std::string> prefix;
  PANEL_TAKE(prefix, f.string("key_prefix", 1024));
  if (prefix) {
    p.key_prefix = core::normalise_r2_key_prefix(*prefix);
  }
  PANEL_TAKE(p.sync_interval_hours, f.integer("sync_interval_hours", 0));
  PANEL_TAKE(p.access_key_id, f.string("access_key_id", 8192));
  PANEL_TAKE(p.secret_access_key, f.string("secret_access_key", 8192));
  return p;
}

// The parsed root object of a body, with the parser that owns it.
struct parsed_body {
  std::unique_ptr<json_body> body;
  object_fields fields;
};

expected<parsed_body> parse_root(std::string_view text, std::initializer_list<std::string_view> allowed) {
  auto body = json_body::parse(text, allowed);
  if (!body) {
    return tl::unexpected(body.error());
  }
  object_fields fields{(*body)->root(), ""};
  return parsed_body{std::move(*body), std::move(fields)};
}

} // namespace

settings_rules settings_rules::from_config(core::config const& cfg) {
  settings_rules r;
  r.allow_plaintext_secrets = cfg.allow_plaintext_secrets;
  r.r2_host_allowlist = cfg.r2_endpoint_host_allowlist;
  r.unblocked_hosts = cfg.private_network_host_allowlist;
  if (auto const model = core::trim(cfg.prompt_optimizer_model); !model.empty()) {
    r.optimizer_default_model = std::string{model};
  }
  return r;
}

expected<settings_request> parse_settings_request(std::string_view body, settings_rules const& rules) {
  auto root = parse_root(body, {"active_preset_id", "preset_name", "api_url", "api_key", "api_path", "default_model",
                                "default_response_format", "upstream_socks5_proxy", "webhook_url",
                                "prompt_optimizer", "r2_backup"});
  if (!root) {
    return tl::unexpected(root.error());
  }
  auto const& f = root->fields;
  settings_request r;
  PANEL_TAKE(r.active_preset_id, f.string("active_preset_id", 128));
  PANEL_TAKE(r.preset_name, f.trimmed("preset_name", 160));
  if (!f.present("api_url")) {
    return tl::unexpected(f.invalid("api_url", "Field required"));
  }
  std::optional<std::string> url;
  PANEL_TAKE(url, f.string("api_url", 2048));
  if (!url) {
    return tl::unexpected(f.invalid("api_url", "Input should be a valid string"));
  }
  if (url->empty()) {
    return tl::unexpected(f.invalid("api_url", "String should have at least 1 character"));
  }
  auto normal = core::normalise_api_url(*url);
  if (!normal) {
    return tl::unexpected(f.invalid("api_url", normal.error().message));
  }
  r.api_url = std::move(*normal);
  PANEL_TAKE(r.api_key, f.string("api_key", 8192));
  std::optional<std::string> path;
  PANEL_TAKE(path, f.one_of("api_path", {preset_api_paths[0], preset_api_paths[1], preset_api_paths[2]}));
  r.api_path = path.value_or(std::string{preset_api_paths[0]});
  PANEL_TAKE(r.default_model, f.trimmed("default_model", 200));
  PANEL_TAKE(r.default_response_format, f.one_of("default_response_format", {"", "url", "b64_json"}));
  PANEL_TAKE(r.upstream_socks5_proxy, f.string("upstream_socks5_proxy", 2048));
  PANEL_TAKE(r.webhook_url, f.string("webhook_url", 2048));

  std::optional<object_fields> optimizer;
  PANEL_TAKE(optimizer, f.object("prompt_optimizer"));
  if (optimizer) {
    PANEL_TAKE(r.prompt_optimizer, parse_optimizer(*optimizer));
  }
  std::optional<object_fields> r2;
  PANEL_TAKE(r2, f.object("r2_backup"));
  if (r2) {
    PANEL_TAKE(r.r2_backup, parse_r2(*r2, rules));
  }
  return r;
}

expected<preset_create_request> parse_preset_create_request(std::string_view body) {
  auto const text = core::trim(body).empty() ? std::string_view{"{}"} : body;
  auto root = parse_root(text, {"name", "api_url", "api_key", "api_path", "default_model",
                                "default_response_format", "source_preset_id"});
  if (!root) {
    return tl::unexpected(root.error());
  }
  auto const& f = root->fields;
  preset_create_request r;
  PANEL_TAKE(r.name, f.trimmed("name", 160));
  std::optional<std::string> url;
  PANEL_TAKE(url, optional_api_url(f, "api_url"));
  if (url && !url->empty()) {
    r.api_url = std::move(url);
  }
  PANEL_TAKE(r.api_key, f.string("api_key", 8192));
  PANEL_TAKE(r.api_path, f.one_of("api_path", {preset_api_paths[0], preset_api_paths[1], preset_api_paths[2]}));
  PANEL_TAKE(r.default_model, f.trimmed("default_model", 200));
  PANEL_TAKE(r.default_response_format, f.one_of("default_response_format", {"", "url", "b64_json"}));
  PANEL_TAKE(r.source_preset_id, f.string("source_preset_id", 128));
  return r;
}

expected<r2_patch> parse_r2_backup_body(std::string_view body, settings_rules const& rules) {
  auto const text = core::trim(body).empty() ? std::string_view{"{}"} : body;
  auto parsed = json_body::parse(text, {"enabled", "endpoint_url", "bucket_name", "region", "key_prefix",
                                        "sync_interval_hours", "access_key_id", "secret_access_key"});
  if (!parsed) {
    return tl::unexpected(parsed.error());
  }
  return parse_r2(object_fields{(*parsed)->root(), "r2_backup."}, rules);
}

expected<bool> parse_preset_health_request(std::string_view body) {
  if (core::trim(body).empty()) {
    return true;
  }
  auto root = parse_root(body, {"use_credentials"});
  if (!root) {
    return tl::unexpected(root.error());
  }
  std::optional<bool> use;
  PANEL_TAKE(use, root->fields.boolean("use_credentials"));
  return use.value_or(true);
}

#undef PANEL_TAKE

} // namespace panel::http
