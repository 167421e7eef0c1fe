// export_supervisor
//   (export_create_atom, request):  admits (<= max_active), persists the queued
//                                   record, spawns the export_run, answers its JSON
//   (export_update_atom, id, p):    merges a run's progress; publishes and persists
//                                   at once on a stage change or the end, else at
//                                   most every `throttle` (export_flush_atom is the
//                                   trailing edge)
//   (subscribe_atom, topic, who):   subscribes `who` at the hub, then sends it the
//                                   current status (closing after a terminal one)
//   (export_delete_atom, id):       deletes the row and the ZIP; the job's streams end
//   (export_slot_atom / _rel_atom): the slots of streamed batch downloads
//   (export_gc_atom):               terminal jobs past their TTL and stray ZIPs go
//   down_msg:                       a run that died without a final report fails its
//                                   job; the hub's end is the supervisor's end

#include "actors/export_supervisor.hpp"

#include <ctime>
#include <unordered_map>
#include <unordered_set>

#include "actors/errors.hpp"
#include "actors/export_run.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/json_writer.hpp"
#include "core/logging.hpp"
#include "core/version.hpp"
#include "store/gallery_jobs_repo.hpp"
#include "store/store.hpp"

namespace panel::actors {

namespace {

constexpr std::string_view kind = "export";
constexpr auto store_task_timeout = std::chrono::seconds(60);

struct tracked_job {
  store::gallery_job_record record;
  std::vector<caf::actor> watchers; ///< SSE subscribers to end when the job goes away
  std::chrono::steady_clock::time_point last_flush{};
  bool dirty = false;
  bool flush_pending = false;
  bool finishing = false;           ///< the terminal state is being stored
  caf::actor_addr run;
};

struct supervisor_state {
  core::config const* cfg = nullptr;
  handles actors;
  export_settings settings;
  std::unordered_map<std::string, tracked_job> jobs;
  std::int64_t slots = 0;

  [[nodiscard]] std::int64_t active() const {
    std::int64_t n = slots;
    for (auto const& [id, job] : jobs) {
      n += job.record.terminal() ? 0 : 1;
    }
    return n;
  }
};

using self_ptr = export_supervisor_actor::stateful_pointer<supervisor_state>;

std::string topic_of(std::string const& id) {
  return "export:" + id;
}

// Runs `task` on the writer; `then` runs on the supervisor afterwards.
void on_store(self_ptr self, writer_task task, std::function<void()> then = {}) {
  self->request(self->state.actors.store, store_task_timeout, exec_atom::value, make_local(std::move(task)))
      .then(
          [then](bool) {
            if (then) {
              then();
            }
          },
          [](caf::error const& err) { core::log_warning("an export store task failed: " + caf::to_string(err)); });
}

void persist(self_ptr self, store::gallery_job_record const& record) {
  on_store(self, [record](store::store& s) {
    if (auto updated = store::gallery_jobs_repo{s.writer()}.update(record); !updated) {
      core::log_warning("cannot persist export job " + record.job_id + ": " + updated.error().message);
    }
  });
}

void flush(self_ptr self, tracked_job& job) {
  job.dirty = false;
  job.last_flush = std::chrono::steady_clock::now();
  auto const& r = job.record;
  self->send(self->state.actors.events, publish_atom::value,
             sse_frame{topic_of(r.job_id), "export", store::export_job_json(r), r.terminal()});
  persist(self, r);
}

// The job is gone (downloaded or collected): its streams end.
void forget(self_ptr self, std::string const& id) {
  auto it = self->state.jobs.find(id);
  if (it == self->state.jobs.end()) {
    return;
  }
  for (auto const& w : it->second.watchers) {
    caf::anon_send_exit(w, caf::exit_reason::user_shutdown);
  }
  self->state.jobs.erase(it);
}

std::string payload_json(export_request const& req, std::string const& prefix) {
  core::json_writer out;
  out.begin_object();
  out.key("ids");
  if (req.ids) {
    out.begin_array();
    for (auto const& id : *req.ids) {
      out.value(std::string_view{id});
    }
    out.end_array();
  } else {
    out.null();
  }
  out.field("filename_prefix", std::string_view{prefix});
  out.end_object();
  return out.take();
}

bool is_job_id(std::string_view s) {
  return s.size() == 32 && s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

// Deletes files in DATA_DIR/exports: at startup everything but the ZIPs of
// finished jobs (leftovers of a previous process), later only ZIPs of no job.
void clean_exports_dir(store::database& db, std::filesystem::path const& dir, bool startup) {
  auto jobs = store::gallery_jobs_repo{db}.list(kind);
  if (!jobs) {
    core::log_warning("cannot list export jobs: " + jobs.error().message);
    return;
  }
  std::unordered_set<std::string> keep;
  for (auto const& j : *jobs) {
    if (!startup || j.status == "success") {
      keep.insert(j.job_id + ".zip");
    }
  }
  std::error_code ec;
  std::size_t removed = 0;
  for (auto const& entry : std::filesystem::directory_iterator{dir, ec}) {
    std::error_code e;
    if (!entry.is_regular_file(e)) {
      continue;
    }
    auto const name = entry.path().filename().string();
    if (keep.contains(name)) {
      continue;
    }
    bool const stray_zip = name.size() == 36 && name.ends_with(".zip") && is_job_id(name.substr(0, 32));
    if ((startup || stray_zip) && std::filesystem::remove(entry.path(), e)) {
      ++removed;
    }
  }
  if (removed > 0) {
    core::log_info("removed " + std::to_string(removed) + " stray file(s) from " + dir.string());
  }
}

void start_run(self_ptr self, store::gallery_job_record const& record, std::optional<std::vector<std::string>> ids) {
  auto& st = self->state;
  export_run_spec spec;
  spec.job_id = record.job_id;
  spec.ids = std::move(ids);
  spec.requested_count = record.requested_count;
  spec.images_dir = st.settings.images_dir;
  spec.zip_path = *record.path;
  spec.app_version = core::current_version(*st.cfg);
  auto run = spawn_export_run(self->system(), std::move(spec), st.actors.readers,
                              caf::actor_cast<export_supervisor_actor>(self));
  self->monitor(run);
  st.jobs[record.job_id].run = run.address();
}

void apply(store::gallery_job_record& r, export_progress const& p) {
  r.status = p.status;
  r.stage = p.stage;
  r.message = p.message;
  r.progress = p.progress;
  auto set = [](std::int64_t& field, std::optional<std::int64_t> const& v) {
    if (v) {
      field = *v;
    }
  };
  set(r.requested_count, p.requested_count);
  set(r.processed_count, p.processed_count);
  set(r.exported_count, p.exported_count);
  set(r.missing_count, p.missing_count);
  set(r.bytes_total, p.bytes_total);
  set(r.bytes_written, p.bytes_written);
  if (p.error) {
    r.error = p.error;
  }
  auto const now = core::now_iso_utc();
  r.updated_at = now;
  if (!r.started_at) {
    r.started_at = now;
  }
  if (r.terminal()) {
    r.completed_at = now;
    if (r.status == "success") {
      r.download_url = "/api/gallery/export-jobs/" + r.job_id + "/download";
    }
  }
}

void update(self_ptr self, std::string const& id, export_progress const& p) {
  auto it = self->state.jobs.find(id);
  if (it == self->state.jobs.end() || it->second.record.terminal() || it->second.finishing) {
    return;
  }
  auto& job = it->second;
  auto next = job.record;
  apply(next, p);
  if (next.terminal()) {
    // The end is stored before anyone hears of it: a client that saw it on the
    // stream and asks at once (status, download) must find it in the table.
    job.finishing = true;
    on_store(self, [next](store::store& s) {
      if (auto updated = store::gallery_jobs_repo{s.writer()}.update(next); !updated) {
        core::log_warning("cannot persist export job " + next.job_id + ": " + updated.error().message);
      }
    }, [self, id, next] {
      auto found = self->state.jobs.find(id);
      if (found == self->state.jobs.end()) {
        return;
      }
      auto& done = found->second;
      done.record = next;
      done.finishing = false;
      done.dirty = false;
      done.run = caf::actor_addr{};
      self->send(self->state.actors.events, publish_atom::value,
                 sse_frame{topic_of(id), "export", store::export_job_json(next), true});
      done.watchers.clear(); // they close after the terminal event by themselves
    });
    return;
  }
  bool const changed = job.record.status != next.status || job.record.stage != next.stage;
  job.record = std::move(next);
  auto const due = std::chrono::steady_clock::now() - job.last_flush >= self->state.settings.throttle;
  if (changed || due) {
    flush(self, job);
  } else {
    job.dirty = true;
    if (!job.flush_pending) {
      job.flush_pending = true;
      self->delayed_send(self, self->state.settings.throttle, export_flush_atom::value, id);
    }
  }
}

} // namespace

std::string too_many_exports_message(std::int64_t active) {
  return "Too many active export jobs (" + std::to_string(active) +
         "). Please wait for existing exports to complete.";
}

export_supervisor_actor spawn_export_supervisor(caf::actor_system& sys, core::config const& cfg,
                                                handles const& actors, export_settings settings) {
  // CAF keeps the spawn function as long as the actor object lives (handles to
  // it outlive the system): the handles go to the state, which dies with the
  // actor, and the function keeps nothing that could keep a detached actor alive.
  struct init_data {
    supervisor_state state;
  };
  auto init = std::make_shared<init_data>();
  init->state.cfg = &cfg;
  init->state.actors = actors;
  init->state.settings = std::move(settings);
  return sys.spawn([init](self_ptr self) -> export_supervisor_actor::behavior_type {
    auto& st = self->state;
    st = std::move(init->state);
    *init = init_data{};
    auto const& actors = st.actors;
    auto const& settings = st.settings;
    self->monitor(actors.events);
    self->set_down_handler([self](caf::down_msg const& down) {
      if (down.source == self->state.actors.events.address()) {
        self->quit();
        return;
      }
      for (auto& [id, job] : self->state.jobs) {
        if (job.run && job.run == down.source && !job.record.terminal()) {
          export_progress p;
          p.status = "error";
          p.stage = "error";
          p.message = "Failed to build ZIP archive";
          p.error = "the export stopped unexpectedly";
          update(self, id, p);
          return;
        }
      }
    });
    // A previous process's unfinished exports cannot resume; its stray files go.
    auto const dir = settings.exports_dir;
    on_store(self, [dir](store::store& s) {
      auto failed = store::gallery_jobs_repo{s.writer()}.fail_unfinished(
          kind, core::now_iso_utc(), "Failed to build ZIP archive", "Export interrupted by server restart");
      if (failed && *failed > 0) {
        core::log_info("marked " + std::to_string(*failed) + " unfinished export job(s) as failed");
      }
      clean_exports_dir(s.writer(), dir, true);
    });
    self->delayed_send(self, settings.gc_interval, export_gc_atom::value);

    return {
        [self](export_create_atom, local_ptr<export_request> const& req) -> caf::result<std::string> {
          auto& st = self->state;
          if (!req) {
            return actor_error(errc::internal, "no export request");
          }
          if (auto const active = st.active(); active >= st.settings.max_active) {
            return actor_error(errc::rate_limited, too_many_exports_message(active));
          }
          auto const prefix = std::string(req->ids ? "gpt-images-selected" : "gpt-images");
          store::gallery_job_record r;
          r.job_id = core::random_hex32();
          r.kind = std::string(kind);
          r.status = "queued";
          r.stage = "queued";
          r.message = "Queued gallery ZIP export";
          r.filename = archive_filename(prefix);
          r.path = (st.settings.exports_dir / (r.job_id + ".zip")).string();
          r.requested_count = req->requested_count;
          r.created_at = core::now_iso_utc();
          r.updated_at = r.created_at;
          r.payload_json = payload_json(*req, prefix);
          st.jobs[r.job_id].record = r;
          auto rp = self->make_response_promise<std::string>();
          auto inserted = std::make_shared<expected<void>>(fail(errc::internal, "the job was not stored"));
          auto ids = req->ids;
          self->request(st.actors.store, store_task_timeout, exec_atom::value,
                        make_local(writer_task{[inserted, r](store::store& s) {
                          *inserted = store::gallery_jobs_repo{s.writer()}.insert(r);
                        }}))
              .then(
                  [self, rp, inserted, r, ids](bool) mutable {
                    if (!*inserted) {
                      self->state.jobs.erase(r.job_id);
                      rp.deliver(to_caf_error(inserted->error()));
                      return;
                    }
                    start_run(self, r, ids);
                    rp.deliver(store::export_job_json(r));
                  },
                  [self, rp, r](caf::error const& err) mutable {
                    self->state.jobs.erase(r.job_id);
                    rp.deliver(err);
                  });
          return rp;
        },
        [self](export_update_atom, std::string const& id, local_ptr<export_progress> const& p) {
          if (p) {
            update(self, id, *p);
          }
        },
        [self](export_flush_atom, std::string const& id) {
          auto it = self->state.jobs.find(id);
          if (it == self->state.jobs.end()) {
            return;
          }
          it->second.flush_pending = false;
          // Never after the end began: the older state must not overwrite it.
          if (it->second.dirty && !it->second.finishing && !it->second.record.terminal()) {
            flush(self, it->second);
          }
        },
        [self](subscribe_atom, std::string const& topic, caf::actor const& who) {
          auto const prefix = std::string_view{"export:"};
          auto it = topic.starts_with(prefix) ? self->state.jobs.find(topic.substr(prefix.size()))
                                              : self->state.jobs.end();
          if (it == self->state.jobs.end()) {
            caf::anon_send_exit(who, caf::exit_reason::user_shutdown); // the job is gone
            return;
          }
          auto const& r = it->second.record;
          if (!r.terminal()) {
            self->send(self->state.actors.events, subscribe_atom::value, topic, who);
            it->second.watchers.push_back(who);
          }
          caf::anon_send(who, sse_frame{topic, "export", store::export_job_json(r), r.terminal()});
        },
        [self](export_delete_atom, std::string const& id) -> caf::result<bool> {
          auto rp = self->make_response_promise<bool>();
          on_store(
              self,
              [id](store::store& s) {
                auto removed = store::gallery_jobs_repo{s.writer()}.remove(kind, id);
                if (removed && *removed && (*removed)->path) {
                  std::error_code ec;
                  std::filesystem::remove(*(*removed)->path, ec);
                }
              },
              [self, rp, id]() mutable {
                forget(self, id);
                rp.deliver(true);
              });
          return rp;
        },
        [self](export_slot_atom) -> caf::result<bool> {
          auto& st = self->state;
          if (auto const active = st.active(); active >= st.settings.max_active) {
            return actor_error(errc::rate_limited, too_many_exports_message(active));
          }
          ++st.slots;
          return true;
        },
        [self](export_slot_rel_atom) {
          if (self->state.slots > 0) {
            --self->state.slots;
          }
        },
        [self](export_gc_atom) {
          auto& st = self->state;
          auto const cutoff = core::iso_utc(std::chrono::system_clock::now() - st.settings.ttl);
          auto gone = std::make_shared<std::vector<std::string>>();
          auto const dir = st.settings.exports_dir;
          on_store(
              self,
              [cutoff, gone, dir](store::store& s) {
                store::gallery_jobs_repo repo{s.writer()};
                auto old = repo.finished_before(kind, cutoff);
                if (!old) {
                  return;
                }
                for (auto const& j : *old) {
                  if (auto removed = repo.remove(kind, j.job_id); removed && *removed) {
                    std::error_code ec;
                    if (j.path) {
                      std::filesystem::remove(*j.path, ec);
                    }
                    gone->push_back(j.job_id);
                  }
                }
                clean_exports_dir(s.writer(), dir, false);
              },
              [self, gone] {
                for (auto const& id : *gone) {
                  forget(self, id);
                }
              });
          self->delayed_send(self, st.settings.gc_interval, export_gc_atom::value);
        },
    };
  });
}

std::string archive_filename(std::string_view prefix) {
  auto const t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d_%H%M%S", &tm);
  return std::string(prefix) + "-" + stamp + ".zip";
}

} // namespace panel::actors
