#pragma once
// presets_repo: the api_presets table and the global settings a job needs
// (spec/API.md §7.1, §7.5, §13.2), with first-start seeding from DEFAULT_*.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"

namespace panel::store {

class database;

/// One api_presets row. `api_key` is stored as written: "", an env reference
/// `${NAME}` or (ALLOW_PLAINTEXT_SECRETS) a literal; resolve it at use time
/// with core::resolve_secret.
struct preset {
  std::string id;
  std::string name;
  std::string api_url;                 ///< normalised base URL, no trailing '/'; may be ""
  std::string api_key;                 ///< stored form (see above)
  std::string api_path;                ///< one of the four paths (unknown stored values read as generations)
  std::string default_model;           ///< may be blank: see effective_default_model
  std::string default_response_format; ///< "", "url" or "b64_json"
  std::int64_t position = 0;
  std::string created_at;
  std::string updated_at;

  friend bool operator==(preset const&, preset const&) = default;
};

/// §7.1: a blank default_model means DEFAULT_RESPONSES_MODEL for /v1/responses
/// (when non-empty), else "gpt-image-2".
[[nodiscard]] std::string effective_default_model(preset const& p, std::string_view default_responses_model);

/// What the first start seeds from (the DEFAULT_* variables of §15).
struct preset_seed {
  std::string api_url;   ///< DEFAULT_API_URL
  std::string api_key;   ///< DEFAULT_API_KEY
  std::string api_path;  ///< DEFAULT_API_PATH
  std::string socks5_proxy; ///< DEFAULT_UPSTREAM_SOCKS5_PROXY
};

/// Everything a new job captures from the settings at submission (§7.5: running
/// jobs keep the values captured at start). Secrets in their stored form.
struct job_settings {
  preset active;            ///< the active preset
  std::string socks5_proxy; ///< global upstream_socks5_proxy, stored form ("" = none)
  std::string webhook_url;  ///< global webhook_url, stored form ("" = none)
};

/// Reads and writes api_presets (and the settings_kv keys around them) through
/// one borrowed connection, on that connection's thread.
class presets_repo {
 public:
  explicit presets_repo(database& db) noexcept : db_{&db} {}

  /// When api_presets is empty: inserts preset "Default" (id "default",
  /// position 0) from `seed`, sets active_preset_id to it, and stores the
  /// seed's SOCKS5 proxy as upstream_socks5_proxy unless that key exists.
  /// Otherwise makes sure active_preset_id names an existing preset (repairing
  /// it to the first by position). Idempotent; one transaction (or the caller's).
  [[nodiscard]] expected<void> seed(preset_seed const& seed);
  /// All presets by position, then created_at.
  [[nodiscard]] expected<std::vector<preset>> list() const;
  /// One preset, or nullopt.
  [[nodiscard]] expected<std::optional<preset>> get(std::string_view id) const;
  /// The active preset: active_preset_id's row, else the first by position;
  /// not_found only when the table is empty.
  [[nodiscard]] expected<preset> active() const;
  /// The active preset plus the global proxy and webhook (§7.1).
  [[nodiscard]] expected<job_settings> job_settings_snapshot() const;

  /// Appends a preset with `fields`' name, URL, key, path, model and format
  /// under a new 32-hex id, after the last position, stamped now, and makes it
  /// active (§3.3 POST /api/settings/presets). Returns the row as stored.
  [[nodiscard]] expected<preset> create(preset const& fields);
  /// Rewrites name, URL, key, path, model and format of the row `p.id` and
  /// stamps updated_at; not_found "Preset not found" when there is no such row.
  [[nodiscard]] expected<void> update(preset const& p);
  /// Makes `id` the active preset; not_found "Preset not found".
  [[nodiscard]] expected<void> activate(std::string_view id);
  /// Deletes `id` (§3.3 DELETE): bad_request "At least one preset is required"
  /// when it is the only preset (checked first), not_found "Preset not found".
  /// When it was active, the preset now at its index (or the last) becomes
  /// active. One transaction (or the caller's).
  [[nodiscard]] expected<void> remove(std::string_view id);

  /// The global upstream_socks5_proxy in stored form ("" when unset).
  [[nodiscard]] expected<std::string> socks5_proxy() const;
  [[nodiscard]] expected<void> set_socks5_proxy(std::string_view stored);
  /// The global webhook_url in stored form ("" when unset).
  [[nodiscard]] expected<std::string> webhook_url() const;
  [[nodiscard]] expected<void> set_webhook_url(std::string_view stored);

 private:
  database* db_;
};

} // namespace panel::store
