#pragma once
// global_settings: the settings that are not per preset (spec/API.md §3.3,
// §7.1, §11.1): the prompt optimizer and the R2 backup, stored as JSON under
// settings_kv keys prompt_optimizer_settings / r2_backup_settings. Secrets are
// kept in their stored form ("" / "${NAME}" / an opted-in literal); resolve
// them at use time with core::resolve_secret.
//
// Contract shared by the settings handlers (issue 6), the optimizer (issue 6)
// and the R2 backup (issue 7). Implemented in global_settings.cpp.

#include <string>
#include <string_view>

#include "core/expected.hpp"

namespace panel::core {
struct config;
}

namespace panel::store {

class database;

/// PromptOptimizerSettings of §3.3, with the key in stored form.
struct optimizer_settings {
  bool enabled = false;
  std::string api_url;       ///< full https endpoint URL, or ""
  std::string model = "gpt-4o-mini";
  int timeout_seconds = 60;  ///< >= 1
  std::string api_key;       ///< stored form

  friend bool operator==(optimizer_settings const&, optimizer_settings const&) = default;
};

/// R2BackupSettings of §3.3 / §11.1, with the credentials in stored form.
struct r2_settings {
  bool enabled = false;
  std::string endpoint_url;          ///< normalised https endpoint, or ""
  std::string bucket_name;
  std::string region = "auto";
  std::string key_prefix = "gallery/"; ///< normalised: "" or "a/b/"
  int sync_interval_hours = 0;
  std::string access_key_id;         ///< stored form
  std::string secret_access_key;     ///< stored form

  friend bool operator==(r2_settings const&, r2_settings const&) = default;
};

/// The env defaults of §7.2 / §15 (PROMPT_OPTIMIZER_*, R2_*): what the settings
/// read as before anything was saved. Secrets set in the environment become
/// references (env_default_ref): ${PROMPT_OPTIMIZER_API_KEY},
/// ${R2_ACCESS_KEY_ID}, ${R2_SECRET_ACCESS_KEY}. An R2_ENDPOINT_URL that fails
/// §11.1 is kept as written (trimmed), so the R2 health check names the problem.
[[nodiscard]] optimizer_settings default_optimizer_settings(core::config const& cfg);
[[nodiscard]] r2_settings default_r2_settings(core::config const& cfg);

/// The stored form of a secret that comes from the environment variable
/// `variable` holding `value`: blank -> ""; an env reference -> itself; a literal
/// -> "${<variable>}", so the secret stays in the environment and the database
/// keeps only the reference (resolved at use time like any other).
[[nodiscard]] std::string env_default_ref(std::string_view value, std::string_view variable);

/// Reads and writes the two JSON blobs through one borrowed connection (any
/// connection for reads, the writer for saves), on that connection's thread.
class global_settings_repo {
 public:
  explicit global_settings_repo(database& db) noexcept : db_{&db} {}

  /// The stored optimizer settings merged over `defaults` (missing keys, or
  /// values of the wrong type or out of range, keep the default; an unreadable
  /// blob reads as the defaults).
  [[nodiscard]] expected<optimizer_settings> optimizer(optimizer_settings const& defaults) const;
  /// The stored R2 settings merged over `defaults` the same way, plus the env
  /// floor of §11.1: `enabled` is stored || default, and a blank stored
  /// endpoint_url, bucket_name, region, access_key_id or secret_access_key reads
  /// as the default's. key_prefix is normalised; a stored "" (bucket root) stays.
  [[nodiscard]] expected<r2_settings> r2(r2_settings const& defaults) const;

  [[nodiscard]] expected<void> save_optimizer(optimizer_settings const& s);
  [[nodiscard]] expected<void> save_r2(r2_settings const& s);

  /// §11.1 first load: when no R2 settings are stored, or only empty ones (not
  /// enabled, no endpoint, bucket or credentials), and `defaults` (from the env)
  /// carry any of those, saves r2(defaults) so the stored row shows them. True
  /// when it wrote. Writer connection.
  [[nodiscard]] expected<bool> persist_r2_env_defaults(r2_settings const& defaults);

 private:
  database* db_;
};

} // namespace panel::store
