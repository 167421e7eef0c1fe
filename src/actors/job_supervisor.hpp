#pragma once
// job_supervisor: the one actor that owns the job queue (ARCHITECTURE.md §3,
// spec/API.md §4.4-§4.7): admission by queue units and edit-source bytes, the
// pre-checks of §3.6 against the captured settings, run slots
// (MAX_ACTIVE_GENERATE_JOBS), the global upstream-request semaphore, cancel, the
// in-memory active-job list (served to GET and SSE without a DB read), history
// trimming, staged-source cleanup, webhook hand-off. One `job` actor per job runs
// the pipeline and reports to it; every job event reaches event_hub through it,
// so a subscriber that subscribes through it never misses an event.
//
// Errors are caf::errors of actors/errors.hpp: bad_request (400), validation
// (422), rate_limited (429), not_found (404), conflict (409), with the contract's
// exact messages, so the HTTP handlers only map them.

#include <caf/actor.hpp>

#include "actors/type_ids.hpp"

namespace panel::core {
struct config;
}

namespace panel::actors {

struct handles;

/// * (submit_atom, ticket) -> the 202 body
///   `{"job_id","status":"queued","stage":"queued","message","operation"}`.
/// * (job_get_atom, id) -> GenerateJobStatus JSON (§4.2), from memory for active
///   jobs, else from the store; 404 "Generation job not found".
/// * (job_list_atom, query) -> JSON array (§3.7): active jobs from memory, or
///   the persisted history.
/// * (job_cancel_atom, id) -> `{"status":"success","message":"Generation job cancelled"}`;
///   404, or 409 "Generation job already finished".
/// * (job_clear_atom) -> `{"status":"success","message":"Deleted <N> job history entries"}`.
/// * (subscribe_atom, topic, who) for topic "jobs" or "job:<id>": subscribes
///   `who` on the hub and sends it the current state as its first sse_frame
///   (event `jobs` with the active list, or event `job`, marked `last` when the
///   job is terminal, read from the store when not in memory).
/// * (settings_atom, snapshot) -> the settings new jobs capture from now on.
/// * (job_stats_atom) -> job_supervisor_stats.
using job_supervisor_actor =
    caf::typed_actor<caf::replies_to<submit_atom, local_ptr<job_ticket>>::with<std::string>,
                     caf::replies_to<job_get_atom, std::string>::with<std::string>,
                     caf::replies_to<job_list_atom, job_list_query>::with<std::string>,
                     caf::replies_to<job_cancel_atom, std::string>::with<std::string>,
                     caf::replies_to<job_clear_atom>::with<std::string>,
                     caf::reacts_to<subscribe_atom, std::string, caf::actor>,
                     caf::reacts_to<settings_atom, local_ptr<store::job_settings>>,
                     caf::replies_to<job_stats_atom>::with<job_supervisor_stats>>;

/// Spawns the supervisor. `deps` must already hold store, codecs, upstream,
/// events and webhooks; `initial` is the settings snapshot read at startup.
[[nodiscard]] job_supervisor_actor spawn_job_supervisor(caf::actor_system& sys, core::config const& cfg,
                                                        handles const& deps, store::job_settings initial);

} // namespace panel::actors
