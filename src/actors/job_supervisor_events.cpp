// job_supervisor, the event side: the JSON it answers with and the SSE frames
// it publishes (one job's topic now, the active list at once or debounced).

#include <algorithm>

#include "actors/job_supervisor_state.hpp"
#include "core/json_writer.hpp"

namespace panel::actors::sup {

namespace {
constexpr auto jobs_debounce = std::chrono::milliseconds(350);
} // namespace

std::string json_message(std::string const& message) {
  core::json_writer w;
  w.begin_object().field("status", "success").field("message", message).end_object();
  return w.str();
}

// The list is rebuilt on every creation and terminal transition, so it reuses
// each job's JSON as last published instead of serialising the queue again.
std::string active_list_json(sup_ptr self) {
  std::vector<active_job const*> list;
  for (auto const& [id, job] : self->state.jobs) {
    list.push_back(&job);
  }
  std::stable_sort(list.begin(), list.end(), [](auto const* a, auto const* b) {
    if (a->record.updated_at != b->record.updated_at) {
      return a->record.updated_at > b->record.updated_at;
    }
    return a->record.created_at > b->record.created_at;
  });
  std::string out = "[";
  for (std::size_t i = 0; i < list.size(); ++i) {
    out += i == 0 ? "" : ",";
    out += list[i]->json.empty() ? store::to_json(list[i]->record) : list[i]->json;
  }
  return out + "]";
}

void publish_job(sup_ptr self, store::job_record const& r) {
  bool const last = !store::is_active_status(r.status);
  auto json = store::to_json(r);
  if (auto it = self->state.jobs.find(r.job_id); it != self->state.jobs.end() && &it->second.record == &r) {
    it->second.json = json;
  }
  self->send(self->state.deps.events, publish_atom::value, sse_frame{"job:" + r.job_id, "job", std::move(json), last});
}

void publish_list(sup_ptr self) {
  self->send(self->state.deps.events, publish_atom::value, sse_frame{"jobs", "jobs", active_list_json(self), false});
}

void publish_list_debounced(sup_ptr self) {
  if (!self->state.flush_pending) {
    self->state.flush_pending = true;
    self->delayed_send(self, jobs_debounce, jflush_atom::value);
  }
}

} // namespace panel::actors::sup
