#pragma once
// The state of the job_supervisor actor, shared by its two source files:
// job_supervisor.cpp (admission, run slots, the upstream semaphore, progress,
// terminal states) and job_supervisor_reads.cpp (get, list, history, SSE
// subscriptions). Private to those two files.

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <string>

#include "actors/admission.hpp"
#include "actors/handles.hpp"
#include "actors/job_internal.hpp"

namespace panel::actors::sup {

using steady = std::chrono::steady_clock;

struct active_job {
  store::job_record record;
  std::shared_ptr<job_spec const> spec;
  std::string webhook_url;
  caf::actor worker;
  int permits = 0;
  bool running = false;
  steady::time_point started{};
  steady::time_point last_persist{};
  std::string json; ///< to_json(record) as last published; "" until then
};

struct waiter {
  std::string job_id;
  caf::typed_response_promise<bool> promise;
};

struct sup_state {
  job_env env;
  handles deps;
  std::shared_ptr<store::job_settings const> settings;
  admission adm{admission_limits{}};
  int max_active = 2;
  std::map<std::string, active_job> jobs;
  std::deque<std::string> queue;
  int running = 0;
  int permits_in_use = 0;
  std::deque<waiter> waiters;
  bool flush_pending = false;
  job_supervisor_stats stats;
};

using sup_ptr = job_supervisor_impl::stateful_pointer<sup_state>;

/// `{"status":"success","message":<message>}`.
[[nodiscard]] std::string json_message(std::string const& message);

/// The active jobs, newest updated_at first, as a JSON array (from memory).
[[nodiscard]] std::string active_list_json(sup_ptr self);

/// (job_get_atom): memory for active jobs, else the store; 404 when unknown.
[[nodiscard]] caf::result<std::string> get_job(sup_ptr self, std::string const& id);
/// (job_list_atom): the active list from memory, or the history from the store.
[[nodiscard]] caf::result<std::string> list_jobs(sup_ptr self, job_list_query const& q);
/// (job_clear_atom): deletes finished jobs; "Deleted <N> job history entries".
[[nodiscard]] caf::result<std::string> clear_history(sup_ptr self);
/// Publishes `r` on its job topic (job_supervisor_events.cpp); the last frame when terminal.
void publish_job(sup_ptr self, store::job_record const& r);
/// Publishes the active list on "jobs" now.
void publish_list(sup_ptr self);
/// Publishes the active list once the debounce timer (jflush) fires.
void publish_list_debounced(sup_ptr self);
/// (subscribe_atom): hub subscription plus the first frame (see job_supervisor.hpp).
void subscribe(sup_ptr self, std::string const& topic, caf::actor const& who);

} // namespace panel::actors::sup
