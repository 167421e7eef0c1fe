#pragma once
// Applying a parsed settings request to the stored settings (spec/API.md §3.3,
// §7.2, §7.3): the keep / clear / replace rules of the secret fields, the
// plaintext refusals with their exact sentences, and the preset edits. Pure:
// the caller loads the state, applies, and persists what changed.

#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"
#include "http/settings_request.hpp"
#include "store/global_settings.hpp"
#include "store/presets_repo.hpp"

namespace panel::http {

/// Everything the settings routes read and write, secrets in stored form.
struct settings_state {
  std::vector<store::preset> presets; ///< in stored order
  std::string active_preset_id;       ///< the preset that is active (resolved, never dangling)
  std::string socks5_proxy;           ///< global upstream_socks5_proxy
  std::string webhook_url;            ///< global webhook_url
  store::optimizer_settings optimizer;
  store::r2_settings r2;
};

/// The fields that follow §7.2.
enum class secret_field {
  api_key,              ///< preset api_key: "API key"
  socks5_proxy,         ///< upstream_socks5_proxy: "SOCKS5 proxy URL" (socks5:// when literal)
  webhook_url,          ///< webhook_url: "Webhook URL" (https:// when literal)
  optimizer_api_key,    ///< prompt_optimizer.api_key: "Prompt optimizer API key"
  r2_access_key_id,     ///< r2_backup.access_key_id: "R2 access key ID"
  r2_secret_access_key, ///< r2_backup.secret_access_key: "R2 secret access key"
};

/// The literal that means "keep the stored R2 credential" ([TEST]).
inline constexpr std::string_view r2_keep_marker = "********";

/// The stored value after a save sent `sent` for a field whose stored value is
/// `current`: null/absent keeps; blank clears; the same value, its masked form
/// (§7.3; for R2 credentials also "********") keeps; an env reference `${NAME}`
/// is stored as written; a value with "${" or "}" that is no reference is 422
/// "<Label> env ref must be formatted as ${ENV_VAR_NAME}."; any other literal
/// is 422 "<Label> must use ${ENV_VAR_NAME} unless ALLOW_PLAINTEXT_SECRETS=true."
/// unless `allow_plaintext`, and then must pass the field's normaliser (SOCKS5,
/// webhook) and is stored trimmed. Errors are located at `location`.
[[nodiscard]] expected<std::string> apply_secret(secret_field field, std::string_view location,
                                                 sent_secret const& sent, std::string_view current,
                                                 bool allow_plaintext);

/// POST /api/settings: edits the requested (or active) preset, activates it and
/// merges the global fields. not_found "Preset not found" for an unknown
/// active_preset_id; 422 for a refused secret. `state` is unchanged on error.
[[nodiscard]] expected<void> apply_settings_request(settings_request const& req, settings_state& state,
                                                    settings_rules const& rules);

/// The optimizer settings after `patch` (merged; secrets as apply_secret).
[[nodiscard]] expected<store::optimizer_settings> apply_optimizer_patch(optimizer_patch const& patch,
                                                                        store::optimizer_settings current,
                                                                        settings_rules const& rules);

/// The R2 settings after `patch` (merged; "********" and the masked form keep a
/// stored credential). Also what POST /api/settings/r2/health runs on: the draft
/// merged over the saved settings.
[[nodiscard]] expected<store::r2_settings> apply_r2_patch(r2_patch const& patch, store::r2_settings current,
                                                          settings_rules const& rules);

/// The fields of the preset POST /api/settings/presets creates: the source is
/// `source_preset_id` when it names a preset, else the active one; unset fields
/// copy it; the name defaults to "Preset <count+1>". id/position/timestamps are
/// the repo's.
[[nodiscard]] expected<store::preset> new_preset_fields(preset_create_request const& req,
                                                        settings_state const& state, settings_rules const& rules);

} // namespace panel::http
