#include "store/global_settings.hpp"

#include <algorithm>
#include <memory>

#include <simdjson.h>

#include "core/config.hpp"
#include "core/json_writer.hpp"
#include "core/r2_endpoint.hpp"
#include "core/secrets.hpp"
#include "core/strings.hpp"
#include "store/settings_kv_repo.hpp"

namespace panel::store {

namespace {

// The stored blob as a DOM object; null when absent or unreadable (the
// defaults then apply, as the original does with a broken JSON value). Held by
// pointer: the DOM points into the parser.
class blob {
 public:
  static expected<std::unique_ptr<blob>> read(database& db, std::string_view key) {
    auto text = settings_kv_repo{db}.get(key);
    if (!text) {
      return tl::unexpected<error>{text.error()};
    }
    if (!text->has_value()) {
      return std::unique_ptr<blob>{};
    }
    auto out = std::make_unique<blob>();
    out->text_ = simdjson::padded_string{**text};
    simdjson::dom::element doc;
    if (out->parser_.parse(out->text_).get(doc) != simdjson::SUCCESS || doc.get(out->root_) != simdjson::SUCCESS) {
      return std::unique_ptr<blob>{};
    }
    return out;
  }

  blob() = default;
  blob(blob const&) = delete;
  blob& operator=(blob const&) = delete;

  void read_bool(std::string_view key, bool& out) const {
    bool v = false;
    if (root_.at_key(key).get(v) == simdjson::SUCCESS) {
      out = v;
    }
  }

  void read_string(std::string_view key, std::string& out) const {
    std::string_view v;
    if (root_.at_key(key).get(v) == simdjson::SUCCESS) {
      out = std::string{v};
    }
  }

  // Integers only, at least `min`; anything else keeps `out`.
  void read_int(std::string_view key, int min, int& out) const {
    std::int64_t v = 0;
    if (root_.at_key(key).get(v) == simdjson::SUCCESS && v >= min && v <= 1'000'000) {
      out = static_cast<int>(v);
    }
  }

 private:
  simdjson::dom::parser parser_;
  simdjson::padded_string text_;
  simdjson::dom::object root_;
};

void fill_blank(std::string& value, std::string const& fallback) {
  if (core::trim(value).empty()) {
    value = fallback;
  }
}

bool carries_r2_values(r2_settings const& s) {
  return s.enabled || !core::trim(s.endpoint_url).empty() || !core::trim(s.bucket_name).empty() ||
         !core::trim(s.access_key_id).empty() || !core::trim(s.secret_access_key).empty();
}

} // namespace

std::string env_default_ref(std::string_view value, std::string_view variable) {
  auto const trimmed = core::trim(value);
  if (trimmed.empty()) {
    return {};
  }
  if (core::is_env_ref(trimmed)) {
    return std::string{trimmed};
  }
  return "${" + std::string{variable} + "}";
}

optimizer_settings default_optimizer_settings(core::config const& cfg) {
  optimizer_settings s;
  s.enabled = cfg.prompt_optimizer_enabled;
  s.api_url = std::string{core::trim(cfg.prompt_optimizer_api_url)};
  if (!s.api_url.empty()) {
    if (auto normal = core::normalise_api_url(s.api_url)) {
      s.api_url = std::move(*normal);
    }
  }
  if (auto const model = core::trim(cfg.prompt_optimizer_model); !model.empty()) {
    s.model = std::string{model};
  }
  s.timeout_seconds = std::max(1, cfg.prompt_optimizer_timeout_seconds);
  s.api_key = env_default_ref(cfg.prompt_optimizer_api_key, "PROMPT_OPTIMIZER_API_KEY");
  return s;
}

r2_settings default_r2_settings(core::config const& cfg) {
  r2_settings s;
  s.enabled = cfg.r2_backup_enabled;
  auto const endpoint = core::trim(cfg.r2_endpoint_url);
  auto normal = core::normalise_r2_endpoint(endpoint, cfg.r2_endpoint_host_allowlist,
                                            cfg.private_network_host_allowlist);
  s.endpoint_url = normal ? std::move(*normal) : std::string{endpoint};
  s.bucket_name = std::string{core::trim(cfg.r2_bucket_name)};
  if (auto const region = core::trim(cfg.r2_region); !region.empty()) {
    s.region = std::string{region};
  }
  s.key_prefix = core::normalise_r2_key_prefix(cfg.r2_key_prefix);
  s.sync_interval_hours = static_cast<int>(std::min<std::int64_t>(cfg.r2_sync_interval_hours, 24 * 365));
  s.access_key_id = env_default_ref(cfg.r2_access_key_id, "R2_ACCESS_KEY_ID");
  s.secret_access_key = env_default_ref(cfg.r2_secret_access_key, "R2_SECRET_ACCESS_KEY");
  return s;
}

expected<optimizer_settings> global_settings_repo::optimizer(optimizer_settings const& defaults) const {
  auto stored = blob::read(*db_, settings_keys::prompt_optimizer_settings);
  if (!stored) {
    return tl::unexpected<error>{stored.error()};
  }
  optimizer_settings s = defaults;
  if (auto const& b = *stored) {
    b->read_bool("enabled", s.enabled);
    b->read_string("api_url", s.api_url);
    b->read_string("model", s.model);
    b->read_int("timeout_seconds", 1, s.timeout_seconds);
    b->read_string("api_key", s.api_key);
  }
  fill_blank(s.model, defaults.model);
  return s;
}

expected<r2_settings> global_settings_repo::r2(r2_settings const& defaults) const {
  auto stored = blob::read(*db_, settings_keys::r2_backup_settings);
  if (!stored) {
    return tl::unexpected<error>{stored.error()};
  }
  r2_settings s = defaults;
  if (auto const& b = *stored) {
    bool enabled = false;
    b->read_bool("enabled", enabled);
    s.enabled = enabled || defaults.enabled;
    b->read_string("endpoint_url", s.endpoint_url);
    b->read_string("bucket_name", s.bucket_name);
    b->read_string("region", s.region);
    b->read_string("key_prefix", s.key_prefix);
    b->read_int("sync_interval_hours", 0, s.sync_interval_hours);
    b->read_string("access_key_id", s.access_key_id);
    b->read_string("secret_access_key", s.secret_access_key);
  }
  fill_blank(s.endpoint_url, defaults.endpoint_url);
  fill_blank(s.bucket_name, defaults.bucket_name);
  fill_blank(s.region, defaults.region);
  fill_blank(s.region, "auto");
  fill_blank(s.access_key_id, defaults.access_key_id);
  fill_blank(s.secret_access_key, defaults.secret_access_key);
  s.key_prefix = core::normalise_r2_key_prefix(s.key_prefix);
  return s;
}

expected<void> global_settings_repo::save_optimizer(optimizer_settings const& s) {
  core::json_writer w;
  w.begin_object();
  w.field("enabled", s.enabled).field("api_url", s.api_url).field("model", s.model);
  w.field("timeout_seconds", s.timeout_seconds).field("api_key", s.api_key);
  w.end_object();
  return settings_kv_repo{*db_}.set(settings_keys::prompt_optimizer_settings, w.str());
}

expected<void> global_settings_repo::save_r2(r2_settings const& s) {
  core::json_writer w;
  w.begin_object();
  w.field("enabled", s.enabled).field("endpoint_url", s.endpoint_url).field("bucket_name", s.bucket_name);
  w.field("region", s.region).field("key_prefix", s.key_prefix);
  w.field("sync_interval_hours", s.sync_interval_hours);
  w.field("access_key_id", s.access_key_id).field("secret_access_key", s.secret_access_key);
  w.end_object();
  return settings_kv_repo{*db_}.set(settings_keys::r2_backup_settings, w.str());
}

expected<bool> global_settings_repo::persist_r2_env_defaults(r2_settings const& defaults) {
  if (!carries_r2_values(defaults)) {
    return false;
  }
  auto stored = blob::read(*db_, settings_keys::r2_backup_settings);
  if (!stored) {
    return tl::unexpected<error>{stored.error()};
  }
  if (auto const& b = *stored) {
    // Stored without defaults: only an "empty" blob gives way to the env.
    r2_settings raw;
    raw.enabled = false;
    raw.endpoint_url.clear();
    raw.bucket_name.clear();
    raw.access_key_id.clear();
    raw.secret_access_key.clear();
    b->read_bool("enabled", raw.enabled);
    b->read_string("endpoint_url", raw.endpoint_url);
    b->read_string("bucket_name", raw.bucket_name);
    b->read_string("access_key_id", raw.access_key_id);
    b->read_string("secret_access_key", raw.secret_access_key);
    if (carries_r2_values(raw)) {
      return false;
    }
  }
  auto merged = r2(defaults);
  if (!merged) {
    return tl::unexpected<error>{merged.error()};
  }
  if (auto saved = save_r2(*merged); !saved) {
    return tl::unexpected<error>{saved.error()};
  }
  return true;
}

} // namespace panel::store
