#pragma once
// The private protocol between job_supervisor and its job actors. Not for HTTP
// handlers: they use actors/job_supervisor.hpp.

#include "actors/codec_pool.hpp"
#include "actors/job_supervisor.hpp"
#include "actors/store_actor.hpp"
#include "actors/upstream_pool.hpp"

namespace panel::actors {

/// The supervisor's full interface: the public one plus what job actors send.
/// * (permit_atom, job_id) -> true once the job holds one permit of the global
///   upstream-request semaphore (answered later when none is free).
/// * (permit_rel_atom, job_id): gives one permit back.
/// * (jprogress_atom, job_id, stage, message): a running job's progress (§4.3).
/// * (jdone_atom, job_id, result): every child call is done; the job quits next.
/// * (jflush_atom): the debounce timer of the "jobs" topic.
using job_supervisor_impl =
    job_supervisor_actor::extend<caf::replies_to<permit_atom, std::string>::with<bool>,
                                 caf::reacts_to<permit_rel_atom, std::string>,
                                 caf::reacts_to<jprogress_atom, std::string, std::string, std::string>,
                                 caf::reacts_to<jdone_atom, std::string, local_ptr<job_result>>,
                                 caf::reacts_to<jflush_atom>>;

/// What a job actor talks to.
struct job_deps {
  job_supervisor_impl supervisor;
  store_actor store;
  codec_pool_actor codecs;
  upstream_pool_actor upstream;
};

/// Spawns the job actor (on the scheduler; it never blocks: staged files are
/// read by a one-shot detached helper). It starts at once, reports progress and
/// its result to the supervisor, then quits.
[[nodiscard]] caf::actor spawn_job(caf::actor_system& sys, std::shared_ptr<job_spec const> spec, job_deps deps);

} // namespace panel::actors
