#pragma once
// The request bodies of the settings routes (spec/API.md §3.3, §7): strict
// parsing (unknown keys, types and lengths are 422 "<field> - <message>", as
// every strict body here), the URL normalisers of §7.4 and §11.1, key_prefix
// normalisation. Secret fields are kept as sent: whether a value keeps, clears
// or replaces the stored one depends on the stored value (settings_update.hpp).
// Pure; any thread.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"

namespace panel::core {
struct config;
}

namespace panel::http {

/// What the settings rules take from the configuration (copied once).
struct settings_rules {
  bool allow_plaintext_secrets = false;       ///< ALLOW_PLAINTEXT_SECRETS
  std::vector<std::string> r2_host_allowlist; ///< R2_ENDPOINT_HOST_ALLOWLIST
  std::vector<std::string> unblocked_hosts;   ///< PRIVATE_NETWORK_ALLOWLIST hostname entries
  std::string optimizer_default_model = "gpt-4o-mini"; ///< a blank optimizer model reads as this

  /// The rules of a loaded configuration.
  [[nodiscard]] static settings_rules from_config(core::config const& cfg);
};

/// A secret field as sent: nullopt for null or absent (keep), else the text.
using sent_secret = std::optional<std::string>;

/// The `prompt_optimizer` object: every field optional, merged over the stored one.
struct optimizer_patch {
  std::optional<bool> enabled;
  std::optional<std::string> api_url; ///< normalised full https URL, or "" (blank)
  std::optional<std::string> model;   ///< trimmed; "" means the default model
  std::optional<int> timeout_seconds; ///< >= 1
  sent_secret api_key;
};

/// The `r2_backup` object (also the body of POST /api/settings/r2/health).
struct r2_patch {
  std::optional<bool> enabled;
  std::optional<std::string> endpoint_url; ///< normalised (§11.1), or "" (blank)
  std::optional<std::string> bucket_name;  ///< trimmed
  std::optional<std::string> region;       ///< trimmed; "" means "auto"
  std::optional<std::string> key_prefix;   ///< normalised ("" = bucket root)
  std::optional<int> sync_interval_hours;  ///< >= 0
  sent_secret access_key_id;               ///< "********" keeps the stored value
  sent_secret secret_access_key;           ///< "********" keeps the stored value
};

/// POST /api/settings (`SettingsRequest`).
struct settings_request {
  std::optional<std::string> active_preset_id; ///< the preset to edit; nullopt = the active one
  std::optional<std::string> preset_name;      ///< trimmed; nullopt or "" keeps the name
  std::string api_url;                         ///< normalised base URL (required)
  sent_secret api_key;
  std::string api_path = "/v1/images/generations";
  std::optional<std::string> default_model;           ///< trimmed; "" = the path's default
  std::optional<std::string> default_response_format; ///< "", "url" or "b64_json"
  sent_secret upstream_socks5_proxy;
  sent_secret webhook_url;
  std::optional<optimizer_patch> prompt_optimizer;
  std::optional<r2_patch> r2_backup;
};

/// POST /api/settings/presets: every field optional; absent ones copy the source.
struct preset_create_request {
  std::optional<std::string> name;            ///< trimmed; nullopt or "" -> "Preset <n>"
  std::optional<std::string> api_url;         ///< normalised; nullopt (absent, null or blank) copies
  sent_secret api_key;
  std::optional<std::string> api_path;        ///< one of the three preset paths
  std::optional<std::string> default_model;   ///< trimmed
  std::optional<std::string> default_response_format;
  std::optional<std::string> source_preset_id;
};

/// The three paths a preset may use (the edits path is implied for edits).
inline constexpr std::string_view preset_api_paths[] = {"/v1/images/generations", "/v1/responses",
                                                        "/v1/chat/completions"};

/// Parses a POST /api/settings body.
[[nodiscard]] expected<settings_request> parse_settings_request(std::string_view body, settings_rules const& rules);

/// Parses a POST /api/settings/presets body ("" reads as {}).
[[nodiscard]] expected<preset_create_request> parse_preset_create_request(std::string_view body);

/// Parses a body that is one `r2_backup` object (POST /api/settings/r2/health).
/// Field errors are located as "r2_backup.<field>".
[[nodiscard]] expected<r2_patch> parse_r2_backup_body(std::string_view body, settings_rules const& rules);

/// Parses the optional body of POST /api/settings/presets/{id}/health: empty, or
/// `{"use_credentials": bool}` ([LATER] field; default true). Returns use_credentials.
[[nodiscard]] expected<bool> parse_preset_health_request(std::string_view body);

} // namespace panel::http
