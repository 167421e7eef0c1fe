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

#include "actors/handles.hpp"
#include "core/config.hpp"

namespace panel::actors {

/// * (export_create_atom, request) -> the 202 GalleryExportJobStatus JSON, once
///   the queued record is persisted; 429 "Too many active export jobs (<n>). ..."
///   when 5 exports are active.
/// * (export_update_atom, job_id, progress): from the job's export_run.
/// * (export_flush_atom, job_id): the trailing edge of the throttle.
/// * (subscribe_atom, topic, who): an SSE subscriber of `export:<id>` (see sse_subscription::via).
/// * (export_delete_atom, job_id) -> true once the row and its ZIP are gone
///   (after a one-shot download); the job's streams end.
/// * (export_slot_atom) -> true: one streamed batch download holds a slot
///   (429 as above when none is free); (export_slot_rel_atom) gives it back.
/// * (export_gc_atom): the periodic clean-up.
using export_supervisor_actor =
    caf::typed_actor<caf::replies_to<export_create_atom, local_ptr<export_request>>::with<std::string>,
                     caf::reacts_to<export_update_atom, std::string, local_ptr<export_progress>>,
                     caf::reacts_to<export_flush_atom, std::string>,
                     caf::reacts_to<subscribe_atom, std::string, caf::actor>,
                     caf::replies_to<export_delete_atom, std::string>::with<bool>,
                     caf::replies_to<export_slot_atom>::with<bool>,
                     caf::reacts_to<export_slot_rel_atom>,
                     caf::reacts_to<export_gc_atom>>;

struct export_settings {
  std::filesystem::path images_dir;
  std::filesystem::path exports_dir;           ///< DATA_DIR/exports
  std::int64_t max_active = 5;
  std::chrono::seconds ttl{1800};              ///< terminal jobs live this long
  std::chrono::seconds gc_interval{60};
  std::chrono::milliseconds throttle{250};     ///< between two progress events of a job
};

/// Spawns the supervisor. It monitors `actors.events` and stops with it (the
/// runtime stops the hub at shutdown), and every export run stops with the
/// supervisor. `on_exit` runs when it has stopped: a holder of its handle drops
/// it there, so the actor never outlives its system. `cfg` must outlive it.
[[nodiscard]] export_supervisor_actor spawn_export_supervisor(caf::actor_system& sys, core::config const& cfg,
                                                              handles const& actors, export_settings settings,
                                                              std::function<void()> on_exit = {});

/// The 429 text of §3.10 for `active` exports.
[[nodiscard]] std::string too_many_exports_message(std::int64_t active);

/// `<prefix>-<YYYYmmdd_HHMMSS UTC now>.zip`, the download name of an archive.
[[nodiscard]] std::string archive_filename(std::string_view prefix);

} // namespace panel::actors
