#pragma once
// Messages of the job system (spec/API.md §3.6, §3.7, §4, §10): what HTTP hands
// to job_supervisor, and what the supervisor hands to webhook_sender. Plain
// values; types with std::optional travel as local_ptr (actors/messages.hpp).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "actors/messages.hpp"
#include "store/gallery_repo.hpp"
#include "store/presets_repo.hpp"
#include "upstream/api_path.hpp"
#include "upstream/payloads.hpp"

namespace panel::actors {

/// One edit source staged under DATA_DIR/edit-sources and already validated
/// (spec §3.6 per-file rules). Order matters: it is the upstream part order.
struct staged_source {
  std::string path;         ///< absolute path of the staged file
  std::string filename;     ///< the client's filename (sent upstream as the part filename)
  std::string content_type; ///< effective image/* type
  std::int64_t bytes = 0;
};

/// A validated generation or edit request. Once sent to job_supervisor, the
/// supervisor OWNS the staged files: it deletes them on any refusal and at every
/// terminal state.
struct job_ticket {
  bool edit = false;                          ///< operation "edit" (else "generation")
  upstream::generation_params params;         ///< model "" = the preset's default model
  std::optional<upstream::api_path> api_path; ///< generation only: overrides the preset's path
  std::optional<std::string> webhook_url;     ///< per-request override of the global webhook
  std::vector<staged_source> sources;         ///< edits: the staged sources, in order
};

/// Query of GET /api/generate/jobs (§3.7), already range-checked by the handler.
struct job_list_query {
  bool include_finished = false;
  bool failed_only = false;
  std::int64_t limit = 100;
  std::int64_t offset = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, job_list_query& x) {
  return f(x.include_finished, x.failed_only, x.limit, x.offset);
}

/// One webhook delivery (§10.2): the target in its stored form (env reference or
/// URL, resolved and re-validated by the sender right before delivery) and the
/// job's GenerateJobStatus JSON (§4.2) at its terminal state; the sender builds
/// the restricted body, signs and retries.
struct webhook_delivery {
  std::string url;
  std::string job_id;
  std::string job_json;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, webhook_delivery& x) {
  return f(x.job_id, x.url, x.job_json);
}

/// Counters of job_supervisor, for metrics, tests and the bench.
struct job_supervisor_stats {
  std::int64_t outstanding_units = 0; ///< units of queued + running jobs
  std::int64_t reserved_bytes = 0;    ///< edit-source bytes reserved
  std::int64_t queued = 0;            ///< jobs waiting for a run slot
  std::int64_t running = 0;           ///< jobs holding a run slot
  std::int64_t upstream_in_use = 0;   ///< permits of the upstream-request semaphore in use
  std::int64_t upstream_peak = 0;     ///< most permits ever in use at once
  std::int64_t accepted = 0;          ///< jobs accepted since start
  std::int64_t finished = 0;          ///< jobs that reached a terminal state since start
  // For the metrics gauges (§12.1), computed when the stats are asked for.
  std::int64_t active = 0;             ///< queued + running jobs
  std::int64_t queued_units = 0;       ///< units (n) of the queued jobs
  std::int64_t running_units = 0;      ///< units (n) of the running jobs
  std::int64_t generation_queued = 0;  ///< queued generation jobs
  std::int64_t generation_running = 0; ///< running generation jobs
  std::int64_t edit_queued = 0;        ///< queued edit jobs
  std::int64_t edit_running = 0;       ///< running edit jobs
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, job_supervisor_stats& x) {
  return f(x.outstanding_units, x.reserved_bytes, x.queued, x.running, x.upstream_in_use, x.upstream_peak,
           x.accepted, x.finished, x.active, x.queued_units, x.running_units, x.generation_queued,
           x.generation_running, x.edit_queued, x.edit_running);
}

} // namespace panel::actors
