#pragma once
// export_supervisor: the tracked ZIP exports of spec §3.10 (one per process).
// It admits new exports (at most 5 active, batch downloads included), owns each
// job's status record in memory, persists it in gallery_jobs and publishes it
// on the `export:<id>` topic (throttled, stage changes and the end at once),
// spawns one export_run per job, answers SSE subscriptions (it is the
// subscriber's `via`, so no event falls between the snapshot and the
// subscription), deletes a job after its one-shot download, and every minute
// removes terminal jobs older than 30 minutes with their ZIPs. At startup it
// fails the jobs a previous process left unfinished and deletes the files in
// DATA_DIR/exports that belong to no finished job.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "actors/export_supervisor_actor.hpp"
#include "actors/handles.hpp"
#include "core/config.hpp"

namespace panel::actors {

struct export_settings {
  std::filesystem::path images_dir;
  std::filesystem::path exports_dir;           ///< DATA_DIR/exports
  std::int64_t max_active = 5;
  std::chrono::seconds ttl{1800};              ///< terminal jobs live this long
  std::chrono::seconds gc_interval{60};
  std::chrono::milliseconds throttle{250};     ///< between two progress events of a job
};

/// Spawns the supervisor (runtime::start does, into handles::exports). It
/// monitors `actors.events` and stops with it, and every export run stops
/// with the supervisor. `cfg` must outlive it.
[[nodiscard]] export_supervisor_actor spawn_export_supervisor(caf::actor_system& sys, core::config const& cfg,
                                                              handles const& actors, export_settings settings);

/// The 429 text of §3.10 for `active` exports.
[[nodiscard]] std::string too_many_exports_message(std::int64_t active);

/// `<prefix>-<YYYYmmdd_HHMMSS UTC now>.zip`, the download name of an archive.
[[nodiscard]] std::string archive_filename(std::string_view prefix);

} // namespace panel::actors
