// job_supervisor, the read side: one job, the job list and history, clearing
// the history, and SSE subscriptions. Active jobs are answered from memory;
// everything else from the store, which applies this actor's writes in order,
// so a job that just finished is read back in its final state.

#include "actors/errors.hpp"
#include "actors/job_supervisor_state.hpp"

namespace panel::actors::sup {

caf::result<std::string> get_job(sup_ptr self, std::string const& id) {
  if (auto it = self->state.jobs.find(id); it != self->state.jobs.end()) {
    return store::to_json(it->second.record);
  }
  auto rp = self->make_response_promise<std::string>();
  self->request(self->state.deps.store, caf::infinite, job_fetch_atom::value, id)
      .then(
          [rp](local_ptr<store::job_record> const& r) mutable {
            if (!r) {
              rp.deliver(actor_error(errc::not_found, "Generation job not found"));
            } else {
              rp.deliver(store::to_json(*r));
            }
          },
          [rp](caf::error const& err) mutable { rp.deliver(err); });
  return rp;
}

caf::result<std::string> list_jobs(sup_ptr self, job_list_query const& q) {
  if (!q.include_finished) {
    return active_list_json(self);
  }
  auto rp = self->make_response_promise<std::string>();
  self->request(self->state.deps.store, caf::infinite, job_hist_atom::value, q)
      .then([rp](std::string const& json) mutable { rp.deliver(json); },
            [rp](caf::error const& err) mutable { rp.deliver(err); });
  return rp;
}

caf::result<std::string> clear_history(sup_ptr self) {
  auto rp = self->make_response_promise<std::string>();
  self->request(self->state.deps.store, caf::infinite, job_clear_atom::value)
      .then(
          [rp](std::int64_t n) mutable {
            rp.deliver(json_message("Deleted " + std::to_string(n) +
                                    (n == 1 ? " job history entry" : " job history entries")));
          },
          [rp](caf::error const& err) mutable { rp.deliver(err); });
  return rp;
}

void subscribe(sup_ptr self, std::string const& topic, caf::actor const& who) {
  auto& st = self->state;
  if (topic == "jobs") {
    self->send(st.deps.events, subscribe_atom::value, topic, who);
    caf::anon_send(who, sse_frame{topic, "jobs", active_list_json(self), false});
    return;
  }
  if (topic.rfind("job:", 0) != 0) {
    caf::anon_send_exit(who, caf::exit_reason::user_shutdown);
    return;
  }
  auto const id = topic.substr(4);
  if (auto it = st.jobs.find(id); it != st.jobs.end()) {
    self->send(st.deps.events, subscribe_atom::value, topic, who);
    caf::anon_send(who, sse_frame{topic, "job", store::to_json(it->second.record), false});
    return;
  }
  // Not active: its final state is in the store (the store answers in order,
  // after any terminal write this actor sent before).
  self->request(st.deps.store, caf::infinite, job_fetch_atom::value, id)
      .then(
          [topic, who](local_ptr<store::job_record> const& r) {
            if (!r) {
              caf::anon_send_exit(who, caf::exit_reason::user_shutdown);
              return;
            }
            caf::anon_send(who, sse_frame{topic, "job", store::to_json(*r), true});
          },
          [who](caf::error const&) { caf::anon_send_exit(who, caf::exit_reason::user_shutdown); });
}

} // namespace panel::actors::sup
