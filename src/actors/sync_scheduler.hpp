#pragma once
// sync_scheduler: the scheduled R2 backup (spec §11.3 [LATER], our choice to
// build it). Every minute (the first check a few seconds after startup) it
// reads the R2 settings on the store's writer thread. When backup is enabled
// with sync_interval_hours > 0 and no sync job was created within that many
// hours, it starts one exactly as POST /api/gallery/sync-jobs does
// (claim_sync: same checks, same one-active rule). Outcomes are logged when
// they change (a start always is); nothing secret is in them.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "actors/handles.hpp"
#include "actors/sync_run.hpp"
#include "core/clock.hpp"

namespace panel::store {
class store;
}

namespace panel::actors {

enum class schedule_outcome {
  disabled,    ///< backup off or sync_interval_hours 0
  not_due,     ///< a sync job was created within the interval
  no_images,   ///< the gallery is empty
  active_sync, ///< a sync job is queued or running
  started,     ///< a new sync job was claimed
  failed,      ///< the settings are unusable or the store failed (detail says why)
};

[[nodiscard]] std::string_view to_string(schedule_outcome o);

/// Due when `interval_hours` > 0 and no job was created (or the newest one was
/// created `interval_hours` or more before `now`; one in the future counts as now).
[[nodiscard]] bool sync_due(int interval_hours, std::optional<core::sys_time> newest_created, core::sys_time now);

struct schedule_result {
  schedule_outcome outcome = schedule_outcome::disabled;
  std::string detail; ///< the started job's id, or why it failed
  int interval_hours = 0;
};

/// One scheduling decision; runs on the store's writer thread.
[[nodiscard]] schedule_result schedule_sync(caf::actor_system& sys, handles const& actors, store::store& db,
                                            sync_claim const& claim, core::sys_time now);

struct schedule_timing {
  std::chrono::seconds first{5};   ///< after startup
  std::chrono::seconds period{60}; ///< between checks
};

/// Spawns the scheduler; it stops with the event hub (at shutdown).
void spawn_sync_scheduler(caf::actor_system& sys, handles const& actors, sync_claim claim, schedule_timing timing = {});

} // namespace panel::actors
