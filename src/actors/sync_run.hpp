#pragma once
// sync_run: one R2 backup run (spec/API.md §3.11, §11.3). It lists the key
// prefix, uploads the local gallery files the bucket does not have (at most
// R2_SYNC_CONCURRENCY at a time, each checked with HeadObject right before its
// PutObject), and never deletes or overwrites an object. Progress goes to the
// event hub (topic "sync:<id>", event `sync`) and to the gallery_jobs record
// (at once for stage changes, at most every second otherwise), so a crash
// leaves a record and a second run uploads only what is still missing.
//
// One run is active at a time: claim_sync (on the store's writer thread) refuses
// a second one. The latest run stays registered (per actor system) after it
// ends, to answer status and SSE questions from memory, until a newer run
// replaces it (it retires 30 s later) or the event hub stops (shutdown).

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

#include "actors/handles.hpp"
#include "actors/r2_config.hpp"
#include "actors/sync_status.hpp"
#include "core/config.hpp"

namespace panel::store {
class store;
}

namespace panel::actors {

/// * (sync_get_atom, job_id) -> the status JSON when `job_id` is this run,
///   errc::not_found otherwise.
/// * (subscribe_atom, topic, subscriber): the SSE hand-over (sse_subscription.via):
///   subscribes `subscriber` to the hub and sends it the current status first
///   (marked last when the run has ended).
/// * (sync_retire_atom): a newer run took over; quit.
using sync_run_actor = caf::typed_actor<caf::replies_to<sync_get_atom, std::string>::with<std::string>,
                                        caf::reacts_to<subscribe_atom, std::string, caf::actor>,
                                        caf::reacts_to<sync_retire_atom>>;

/// Uploads in flight at once unless R2_SYNC_CONCURRENCY says otherwise.
inline constexpr std::size_t default_sync_concurrency = 4;
/// Gallery rows compared per batch; a checkpoint is written after each.
inline constexpr std::size_t sync_batch_size = 500;

/// What POST /api/gallery/sync-jobs needs besides the stored settings.
struct sync_claim {
  store::r2_settings defaults;      ///< the env defaults (store::default_r2_settings)
  core::net_policy policy;          ///< R2 endpoint rules, PRIVATE_NETWORK_ALLOWLIST
  std::filesystem::path images_dir; ///< IMAGES_DIR
  std::size_t concurrency = default_sync_concurrency; ///< R2_SYNC_CONCURRENCY

  /// Everything from the configuration.
  [[nodiscard]] static sync_claim from_config(core::config const& cfg);
};

/// The checks of POST /api/gallery/sync-jobs in the spec's order: an empty
/// gallery (404 "No images in gallery"), unusable settings (400, r2_config.hpp),
/// an active run (429 "A gallery R2 sync job is already queued or running.");
/// then records the queued run, spawns it and returns its status (the 202 body).
/// Queued/running records of processes that are gone are marked interrupted
/// first. Runs on the store's writer thread (inside a writer_task).
[[nodiscard]] expected<sync_status> claim_sync(caf::actor_system& sys, handles const& actors, store::store& db,
                                               sync_claim const& claim);

/// The registered run (the active one, or the last one that ended), if any.
[[nodiscard]] std::optional<sync_run_actor> current_sync_run(caf::actor_system& sys);

} // namespace panel::actors
