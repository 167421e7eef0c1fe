// job_supervisor (scheduler thread; short handlers only, all I/O through the store actor)
//   (submit_atom, ticket) -> 202 JSON: prepare_job pre-checks, admission, queued
//                            record persisted + published, then try_start.
//   (job_get_atom, id) / (job_list_atom, q) / (job_clear_atom) / (subscribe_atom,
//                            topic, who): the read side, in job_supervisor_reads.cpp.
//   (job_cancel_atom, id) -> kills the worker, cancels its transfers, terminal record.
//   (settings_atom, snapshot) / (job_stats_atom).
//   internal (job_internal.hpp): permit/permit_rel (global upstream semaphore),
//   jprogress (publish now, "jobs" debounced, persist <= every 5 s), jdone
//   (decide_outcome -> terminal), jflush (debounce timer).
//   down_msg: a worker died without jdone -> the job ends as error.
//   exit_msg: from a linked worker ignored; anything else (shutdown) quits, and the
//   links take the workers along.

#include <algorithm>
#include <functional>

#include "actors/errors.hpp"
#include "actors/handles.hpp"
#include "actors/job_supervisor_state.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/crypto.hpp"
#include "core/json_writer.hpp"
#include "core/logging.hpp"
#include "core/metrics.hpp"
#include "store/jobs_repo.hpp"

namespace panel::actors {

namespace sup {

constexpr auto persist_interval = std::chrono::seconds(5);

// Counter `image_jobs.<op>.<what>` of §12.1.
void count_job(bool edit, std::string_view what) {
  std::string name = edit ? "image_jobs.edit." : "image_jobs.generation.";
  name += what;
  core::metrics::count(name);
}

void persist(sup_ptr self, store::job_record const& r, bool insert) {
  auto const id = r.job_id;
  self->request(self->state.deps.store, caf::infinite, job_put_atom::value, make_local(r), insert)
      .then([](bool) {}, [id](caf::error const& err) {
        core::log_error("persisting job " + id + " failed: " + from_caf_error(err).message);
      });
}

// Removes staged sources on the store's thread, then runs `done` (also when the
// removal could not be confirmed).
template <class Done>
void delete_files(sup_ptr self, std::vector<staged_source> const& sources, Done done) {
  if (sources.empty()) {
    done();
    return;
  }
  std::vector<std::string> paths;
  for (auto const& s : sources) {
    paths.push_back(s.path);
  }
  self->request(self->state.deps.store, caf::infinite, files_del_atom::value, make_local(std::move(paths)))
      .then([done](bool) mutable { done(); }, [done](caf::error const&) mutable { done(); });
}

// A refused submission: its staged files are gone before the client hears the
// refusal, so "nothing is left on disk" holds the moment the 4xx arrives.
caf::result<std::string> refuse(sup_ptr self, job_ticket const& ticket, panel::error const& e) {
  auto err = to_caf_error(e);
  if (ticket.sources.empty()) {
    return err;
  }
  auto rp = self->make_response_promise<std::string>();
  delete_files(self, ticket.sources, [rp, err]() mutable { rp.deliver(err); });
  return rp;
}

void grant_waiters(sup_ptr self) {
  auto& st = self->state;
  while (st.permits_in_use < st.max_active && !st.waiters.empty()) {
    auto w = std::move(st.waiters.front());
    st.waiters.pop_front();
    auto it = st.jobs.find(w.job_id);
    if (it == st.jobs.end()) {
      w.promise.deliver(false);
      continue;
    }
    ++st.permits_in_use;
    ++it->second.permits;
    st.stats.upstream_peak = std::max<std::int64_t>(st.stats.upstream_peak, st.permits_in_use);
    w.promise.deliver(true);
  }
}

void try_start(sup_ptr self);

// Every terminal transition: the record is final, resources go back, the world is told.
// `files_gone` runs once the job's staged sources are removed.
void finish(sup_ptr self, std::string const& id, store::job_record final_record,
            std::function<void()> files_gone = [] {}) {
  auto& st = self->state;
  auto it = st.jobs.find(id);
  if (it == st.jobs.end()) {
    return;
  }
  auto job = std::move(it->second);
  st.jobs.erase(it);
  if (job.worker) {
    self->unlink_from(job.worker);
    self->demonitor(job.worker);
  }
  if (job.running) {
    --st.running;
  } else {
    std::erase(st.queue, id);
  }
  st.permits_in_use -= job.permits;
  st.adm.release(id);
  delete_files(self, job.spec->sources, std::move(files_gone));
  persist(self, final_record, false);
  self->request(st.deps.store, caf::infinite, job_trim_atom::value, store::job_history_limit)
      .then([](std::int64_t) {}, [](caf::error const& err) {
        core::log_error("trimming the job history failed: " + from_caf_error(err).message);
      });
  publish_job(self, final_record);
  publish_list(self);
  if (!job.webhook_url.empty() && st.deps.webhooks) {
    self->send(st.deps.webhooks, webhook_atom::value,
               webhook_delivery{job.webhook_url, id, store::to_json(final_record)});
  }
  ++st.stats.finished;
  grant_waiters(self);
  try_start(self);
}

store::job_record terminal_base(active_job const& job) {
  auto r = job.record;
  auto const now = core::now_iso_utc();
  r.updated_at = now;
  r.completed_at = now;
  if (job.running) {
    r.duration = format_duration(std::chrono::duration<double>(steady::now() - job.started).count());
  }
  return r;
}

void finish_failed(sup_ptr self, std::string const& id, std::string const& message) {
  auto it = self->state.jobs.find(id);
  if (it == self->state.jobs.end()) {
    return;
  }
  auto r = terminal_base(it->second);
  r.status = std::string(store::job_status::error);
  r.stage = it->second.spec->edit ? "edit_failed" : "generation_failed";
  r.message = r.error = message;
  count_job(it->second.spec->edit, "failed");
  finish(self, id, std::move(r));
}

void finish_done(sup_ptr self, std::string const& id, job_result const& res) {
  auto it = self->state.jobs.find(id);
  if (it == self->state.jobs.end()) {
    return;
  }
  auto const& job = it->second;
  bool const edit = job.spec->edit;
  auto const requested = job.spec->params.n;
  auto const outcome = decide_outcome(requested, static_cast<int>(res.images.size()), res.failures, edit);
  auto r = terminal_base(job);
  r.status = outcome.status;
  r.stage = outcome.stage;
  r.message = outcome.message;
  r.error = outcome.error.empty() ? std::nullopt : std::optional<std::string>{outcome.error};
  r.stage_timings = res.stage_timings;
  r.images = res.images;
  if (!res.images.empty()) {
    auto const& first = res.images.front();
    r.image_id = first.image_id;
    r.image_url = first.image_url;
    r.image_width = first.image_width;
    r.image_height = first.image_height;
    if (!res.first_format.empty()) {
      r.output_format = res.first_format;
    }
  }
  count_job(edit, outcome.status == store::job_status::success ? "succeeded" : "failed");
  if (job.running) {
    core::metrics::observe_ms("image_job.duration",
                              std::chrono::duration<double, std::milli>(steady::now() - job.started).count());
  }
  if (outcome.status == store::job_status::success) {
    r.completed_at = core::iso_beijing(std::chrono::system_clock::now());
    // The preview stage is part of the story the SSE clients see.
    auto preview = job.record;
    preview.stage = "finalizing_preview";
    preview.message = "Finalizing preview image";
    publish_job(self, preview);
  }
  finish(self, id, std::move(r));
}

void try_start(sup_ptr self) {
  auto& st = self->state;
  while (st.running < st.max_active && !st.queue.empty()) {
    auto const id = st.queue.front();
    st.queue.pop_front();
    auto it = st.jobs.find(id);
    if (it == st.jobs.end()) {
      continue;
    }
    auto& job = it->second;
    bool const edit = job.spec->edit;
    auto const now = core::now_iso_utc();
    job.running = true;
    job.started = steady::now();
    job.last_persist = job.started;
    job.record.status = std::string(store::job_status::running);
    job.record.stage = edit ? "starting_edit" : "starting_generation";
    job.record.message = edit ? "Starting image edit" : "Starting image generation";
    job.record.started_at = now;
    job.record.updated_at = now;
    ++st.running;
    count_job(edit, "started");
    persist(self, job.record, false);
    publish_job(self, job.record);
    publish_list(self);
    if (!job.spec->socks5_proxy.empty()) {
      static std::atomic<bool> warned{false};
      if (!warned.exchange(true)) {
        core::log_warning("SOCKS5 proxy is enabled for upstream API requests: the proxy is the trust boundary "
                          "(it sees the destination host; TLS still protects the content).");
      }
    }
    job_deps deps{caf::actor_cast<job_supervisor_impl>(self), st.deps.store, st.deps.codecs, st.deps.upstream};
    job.worker = spawn_job(self->system(), job.spec, deps);
    self->monitor(job.worker);
    self->link_to(job.worker);
  }
}

void on_progress(sup_ptr self, std::string const& id, std::string stage, std::string message) {
  auto it = self->state.jobs.find(id);
  if (it == self->state.jobs.end() || !it->second.running) {
    return;
  }
  auto& job = it->second;
  job.record.stage = std::move(stage);
  job.record.message = std::move(message);
  job.record.updated_at = core::now_iso_utc();
  publish_job(self, job.record);
  publish_list_debounced(self);
  auto const now = steady::now();
  if (now - job.last_persist >= persist_interval) {
    job.last_persist = now;
    persist(self, job.record, false);
  }
}

std::string accepted_json(store::job_record const& r) {
  core::json_writer w;
  w.begin_object()
      .field("job_id", r.job_id)
      .field("status", r.status)
      .field("stage", r.stage.value_or("queued"))
      .field("message", r.message.value_or(""))
      .field("operation", r.operation.value_or("generation"))
      .end_object();
  return w.str();
}

caf::result<std::string> submit(sup_ptr self, local_ptr<job_ticket> const& ticket) {
  auto& st = self->state;
  if (!ticket) {
    return actor_error(errc::internal, "empty job ticket");
  }
  auto const id = core::uuid4();
  auto prepared = prepare_job(*ticket, *st.settings, st.env, id, core::now_iso_utc());
  if (!prepared) {
    return refuse(self, *ticket, prepared.error());
  }
  if (auto admitted = st.adm.admit(id, prepared->units, prepared->edit_bytes); !admitted) {
    if (admitted.error().code == errc::rate_limited) {
      core::metrics::count(admitted.error().message == "Edit source queue is full"
                               ? "image_jobs.rejected.edit_source_full"
                               : "image_jobs.rejected.queue_full");
    }
    return refuse(self, *ticket, admitted.error());
  }
  active_job job;
  job.record = std::move(prepared->record);
  job.spec = std::move(prepared->spec);
  job.webhook_url = std::move(prepared->webhook_url);
  auto const body = accepted_json(job.record);
  persist(self, job.record, true);
  publish_job(self, job.record);
  st.jobs.emplace(id, std::move(job));
  st.queue.push_back(id);
  ++st.stats.accepted;
  count_job(ticket->edit, "queued");
  publish_list(self);
  try_start(self);
  return body;
}

caf::result<std::string> cancel(sup_ptr self, std::string const& id) {
  auto& st = self->state;
  auto it = st.jobs.find(id);
  if (it == st.jobs.end()) {
    auto rp = self->make_response_promise<std::string>();
    self->request(st.deps.store, caf::infinite, job_fetch_atom::value, id)
        .then(
            [rp](local_ptr<store::job_record> const& r) mutable {
              if (!r) {
                rp.deliver(actor_error(errc::not_found, "Generation job not found"));
              } else {
                rp.deliver(actor_error(errc::conflict, "Generation job already finished"));
              }
            },
            [rp](caf::error const& err) mutable { rp.deliver(err); });
    return rp;
  }
  auto& job = it->second;
  if (job.worker) {
    self->unlink_from(job.worker);
    self->demonitor(job.worker);
    self->send_exit(job.worker, caf::exit_reason::kill);
  }
  caf::anon_send(st.deps.upstream, upstream_cancel_atom::value, id);
  auto r = terminal_base(job);
  std::string const message = job.spec->edit ? "Image edit job cancelled" : "Generation job cancelled";
  r.status = std::string(store::job_status::cancelled);
  r.stage = "cancelled";
  r.message = r.error = message;
  count_job(job.spec->edit, "cancelled");
  // The answer waits for the staged sources to be gone: the client may look at once.
  auto rp = self->make_response_promise<std::string>();
  finish(self, id, std::move(r), [rp]() mutable { rp.deliver(json_message("Generation job cancelled")); });
  return rp;
}

job_supervisor_impl::behavior_type supervisor(sup_ptr self, job_env env, handles deps, int max_active,
                                              admission_limits limits, store::job_settings initial) {
  auto& st = self->state;
  st.env = std::move(env);
  st.deps = std::move(deps);
  st.max_active = std::max(1, max_active);
  st.adm = admission{limits};
  st.settings = std::make_shared<store::job_settings const>(std::move(initial));
  self->set_down_handler([self](caf::down_msg const& down) {
    for (auto const& [id, job] : self->state.jobs) {
      if (job.worker && job.worker.address() == down.source) {
        core::log_error("job " + id + " stopped unexpectedly");
        auto const copy = id;
        finish_failed(self, copy, "Job worker stopped unexpectedly");
        return;
      }
    }
  });
  self->set_exit_handler([self](caf::exit_msg const& msg) {
    // Linked workers report here when they die; the down handler deals with
    // them. Everything else (runtime shutdown) stops the supervisor, and the
    // links stop the workers with it.
    for (auto const& [id, job] : self->state.jobs) {
      if (job.worker && job.worker.address() == msg.source) {
        return;
      }
    }
    if (msg.source && msg.source != self->address() && msg.reason == caf::exit_reason::normal) {
      return;
    }
    self->quit(msg.reason);
  });
  return {
      [self](submit_atom, local_ptr<job_ticket> const& ticket) -> caf::result<std::string> {
        return submit(self, ticket);
      },
      [self](job_get_atom, std::string const& id) -> caf::result<std::string> { return get_job(self, id); },
      [self](job_list_atom, job_list_query const& q) -> caf::result<std::string> { return list_jobs(self, q); },
      [self](job_cancel_atom, std::string const& id) -> caf::result<std::string> { return cancel(self, id); },
      [self](job_clear_atom) -> caf::result<std::string> { return clear_history(self); },
      [self](subscribe_atom, std::string const& topic, caf::actor const& who) { subscribe(self, topic, who); },
      [self](settings_atom, local_ptr<store::job_settings> const& snapshot) {
        if (snapshot) {
          self->state.settings = snapshot.ptr;
        }
      },
      [self](job_stats_atom) {
        auto& st = self->state;
        auto s = st.stats;
        s.outstanding_units = st.adm.outstanding_units();
        s.reserved_bytes = st.adm.reserved_bytes();
        s.queued = static_cast<std::int64_t>(st.queue.size());
        s.running = st.running;
        s.upstream_in_use = st.permits_in_use;
        for (auto const& [id, job] : st.jobs) {
          auto const units = std::max(1, job.spec->params.n);
          ++s.active;
          (job.running ? s.running_units : s.queued_units) += units;
          if (job.spec->edit) {
            ++(job.running ? s.edit_running : s.edit_queued);
          } else {
            ++(job.running ? s.generation_running : s.generation_queued);
          }
        }
        return s;
      },
      [self](permit_atom, std::string const& id) -> caf::result<bool> {
        auto& st = self->state;
        auto it = st.jobs.find(id);
        if (it == st.jobs.end()) {
          return false;
        }
        auto rp = self->make_response_promise<bool>();
        st.waiters.push_back(waiter{id, rp});
        grant_waiters(self);
        return rp;
      },
      [self](permit_rel_atom, std::string const& id) {
        auto& st = self->state;
        auto it = st.jobs.find(id);
        if (it == st.jobs.end() || it->second.permits == 0) {
          return;
        }
        --it->second.permits;
        --st.permits_in_use;
        grant_waiters(self);
      },
      [self](jprogress_atom, std::string const& id, std::string& stage, std::string& message) {
        on_progress(self, id, std::move(stage), std::move(message));
      },
      [self](jdone_atom, std::string const& id, local_ptr<job_result> const& res) {
        if (!res) {
          finish_failed(self, id, "Job worker stopped unexpectedly");
          return;
        }
        finish_done(self, id, *res);
      },
      [self](jflush_atom) {
        self->state.flush_pending = false;
        publish_list(self);
      },
  };
}

} // namespace sup

job_supervisor_actor spawn_job_supervisor(caf::actor_system& sys, core::config const& cfg, handles const& deps,
                                          store::job_settings initial) {
  job_env env;
  env.images_dir = cfg.images_dir;
  env.max_image_bytes = static_cast<std::uint64_t>(std::max<std::int64_t>(1, cfg.max_file_size_mb)) << 20;
  env.max_pixels = static_cast<std::uint64_t>(std::max<std::int64_t>(1, cfg.max_image_pixels));
  env.default_responses_model = cfg.default_responses_model;
  env.webhook_signing_secret_set = !cfg.webhook_signing_secret.empty();
  env.policy = core::net_policy::from_config(cfg);
  admission_limits limits;
  limits.max_active = cfg.max_active_generate_jobs;
  limits.max_queued = cfg.max_queued_generate_jobs;
  limits.max_edit_bytes = cfg.max_pending_edit_source_mb > 0 ? cfg.max_pending_edit_source_mb << 20 : 0;
  auto impl = sys.spawn(sup::supervisor, std::move(env), deps, cfg.max_active_generate_jobs, limits, std::move(initial));
  return caf::actor_cast<job_supervisor_actor>(impl);
}

} // namespace panel::actors
