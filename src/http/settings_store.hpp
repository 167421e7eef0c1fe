#pragma once
// The settings routes' store work (spec/API.md §3.3): load the whole settings
// state, run one change in one transaction, and write the SettingsResponse.
// Called inside store tasks (actors/store_tasks.hpp), on the connection's thread.

#include <string>
#include <string_view>

#include "core/expected.hpp"
#include "http/settings_request.hpp"
#include "http/settings_update.hpp"
#include "store/presets_repo.hpp"

namespace panel::core {
struct config;
}

namespace panel::store {
class database;
}

namespace panel::http {

/// Reads presets, the active id, the globals and the optimizer/R2 settings
/// (merged over the env defaults of `cfg`) through `db`.
[[nodiscard]] expected<settings_state> load_settings_state(store::database& db, core::config const& cfg);

/// The `SettingsResponse` JSON of §3.3: the active preset flattened, masked
/// secrets (§7.3), presets, prompt_optimizer, r2_backup. Never a resolved secret.
[[nodiscard]] std::string settings_response_json(settings_state const& s, core::config const& cfg);

/// A change that was committed: the settings as now stored, and what new jobs
/// capture from now on (for the job supervisor).
struct settings_change {
  settings_state state;
  store::job_settings jobs;
};

/// POST /api/settings on the writer connection, in one transaction.
[[nodiscard]] expected<settings_change> save_settings(store::database& writer, core::config const& cfg,
                                                      settings_request const& req);
/// POST /api/settings/presets.
[[nodiscard]] expected<settings_change> create_preset(store::database& writer, core::config const& cfg,
                                                      preset_create_request const& req);
/// POST /api/settings/presets/{id}/activate.
[[nodiscard]] expected<settings_change> activate_preset(store::database& writer, core::config const& cfg,
                                                        std::string_view id);
/// DELETE /api/settings/presets/{id}.
[[nodiscard]] expected<settings_change> delete_preset(store::database& writer, core::config const& cfg,
                                                      std::string_view id);

} // namespace panel::http
