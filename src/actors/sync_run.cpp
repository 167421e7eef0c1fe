// sync_run, in messages:
//   (sync_get_atom, job_id)          -> status JSON | not_found
//   (subscribe_atom, topic, who)     SSE hand-over: subscribe `who`, send it the status
//   (sync_retire_atom)               a newer run is registered: quit
//   down_msg from the event hub      the system stops: quit
// The run itself is a chain of asks, each continuing in its `then`:
//   preparing:      a reader lists the gallery rows and stats their files
//   listing_remote: ListObjectsV2 pages of the prefix through upstream_pool
//   per batch of sync_batch_size rows:
//     comparing:    rows missing locally, already in the bucket, or to upload
//     uploading:    up to R2_SYNC_CONCURRENCY at once, each HeadObject (exists now?
//                   then skip) -> a reader hashes the file -> PutObject from the file
//     checkpoint:   the record is written
//   completed / error.
// The upload of one row is in sync_run_upload.cpp. Nothing here blocks: file
// reads and SQLite run on the reader pool and the store's writer, transfers on
// the pool's curl loop.

#include "actors/sync_run.hpp"
#include "actors/sync_run_state.hpp"

#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <chrono>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "actors/errors.hpp"
#include "actors/sync_record.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/logging.hpp"
#include "core/net_guard.hpp"
#include "store/global_settings.hpp"
#include "store/image_files.hpp"
#include "store/store.hpp"
#include "store/sync_sources.hpp"
#include "upstream/s3_errors.hpp"
#include "upstream/s3_xml.hpp"

namespace panel::actors {

namespace sync_detail {

namespace {

constexpr auto persist_every = std::chrono::milliseconds{1000};
constexpr auto publish_every = std::chrono::milliseconds{200};
constexpr std::int64_t list_timeout_ms = 60'000;
constexpr auto retire_delay = std::chrono::seconds{30};

} // namespace

// The registered run of each actor system. Not CAF's registry: its put() keeps
// an existing entry, and an entry goes when *its* actor ends, so a newer run
// could go unregistered while the older one waited for retirement.
struct registered_runs {
  std::mutex mutex;
  std::unordered_map<caf::actor_system*, sync_run_actor> runs;

  static registered_runs& get() {
    static registered_runs instance;
    return instance;
  }
  void put(caf::actor_system& sys, sync_run_actor run) {
    std::lock_guard lock{mutex};
    runs[&sys] = std::move(run);
  }
  std::optional<sync_run_actor> find(caf::actor_system& sys) {
    std::lock_guard lock{mutex};
    auto found = runs.find(&sys);
    return found == runs.end() ? std::nullopt : std::optional<sync_run_actor>{found->second};
  }
  // Called as `addr` ends: drops it unless a newer run took its place.
  void forget(caf::actor_system* sys, caf::actor_addr const& addr) {
    sync_run_actor gone; // released outside the lock
    std::lock_guard lock{mutex};
    if (auto found = runs.find(sys); found != runs.end() && found->second.address() == addr) {
      gone = std::move(found->second);
      runs.erase(found);
    }
  }
};

namespace {

void persist(run_actor self) {
  self->state.last_persist = steady::now();
  auto snapshot = status_of(self);
  writer_task task = [snapshot](store::store& s) {
    if (auto saved = save_sync_record(s.writer(), snapshot, sync_process_owner()); !saved) {
      core::log_warning("R2 sync " + snapshot.job_id + ": could not save progress: " + saved.error().message);
    }
  };
  self->request(self->state.deps.store, store_timeout, exec_atom::value, make_local(std::move(task)))
      .then([](bool) {}, [](caf::error const&) { core::log_warning("R2 sync: the store did not take the progress"); });
}

void publish(run_actor self, bool last) {
  self->state.last_publish = steady::now();
  self->send(self->state.deps.events, publish_atom::value,
             sse_frame{topic_of(self), "sync", to_json(status_of(self)), last});
}

} // namespace

sync_status& status_of(run_actor self) {
  return *self->state.status;
}

std::string topic_of(run_actor self) {
  return "sync:" + status_of(self).job_id;
}

void touch(run_actor self, bool force) {
  auto& s = status_of(self);
  s.updated_at = core::now_iso_utc();
  if (!s.terminal()) {
    s.progress = sync_progress(s.compared_count, s.total_count);
  }
  auto const now = steady::now();
  // The write is sent before the event, so whoever reacts to the event finds it stored.
  if (force || now - self->state.last_persist >= persist_every) {
    persist(self);
  }
  if (force || now - self->state.last_publish >= publish_every) {
    publish(self, false);
  }
}

std::string failure_text(run_actor self, s3_reply const& reply) {
  auto const& t = self->state.target;
  return upstream::s3_error_message(reply.status, reply.body.data ? *reply.body.data : std::string{},
                                    {t.access_key_id, t.secret_access_key});
}

namespace {

void compare_batch(run_actor self);
void pump(run_actor self);

void set_stage(run_actor self, std::string stage, std::string message) {
  auto& s = status_of(self);
  s.stage = std::move(stage);
  s.message = std::move(message);
  touch(self, true);
}

void end_run(run_actor self) {
  auto& st = self->state;
  st.ended = true;
  auto& s = status_of(self);
  s.updated_at = core::now_iso_utc();
  s.completed_at = s.updated_at;
  persist(self);
  publish(self, true);
  st.rows = {};
  st.remote = {};
  st.seen = {};
  st.queue = {};
  core::log_info("R2 sync " + s.job_id + " ended: " + s.status + " (uploaded " + std::to_string(s.uploaded_count) +
                 ", skipped " + std::to_string(s.skipped_existing_count) + ", missing " +
                 std::to_string(s.missing_local_count) + ", failed " + std::to_string(s.failed_count) + ")");
}

void fail_run(run_actor self, std::string why) {
  auto& s = status_of(self);
  s.status = "error";
  s.stage = "error";
  s.message = "R2 gallery sync failed";
  s.error = std::move(why);
  end_run(self);
}

void complete_run(run_actor self) {
  auto& st = self->state;
  auto& s = status_of(self);
  if (s.failed_count > 0) {
    return fail_run(self, upload_failure_summary(st.failures, s.failed_count));
  }
  s.status = "success";
  s.stage = "completed";
  s.message = "R2 gallery sync complete";
  s.progress = 100;
  end_run(self);
}

void checkpoint(run_actor self) {
  set_stage(self, "checkpoint", compared_message(status_of(self).compared_count));
  compare_batch(self);
}

} // namespace

void upload_done(run_actor self) {
  --self->state.in_flight;
  touch(self, false);
  pump(self);
}

namespace {

void pump(run_actor self) {
  auto& st = self->state;
  while (st.in_flight < st.concurrency && !st.queue.empty()) {
    auto job = std::move(st.queue.front());
    st.queue.pop_front();
    start_upload(self, std::move(job));
  }
  if (st.in_flight == 0 && st.queue.empty()) {
    checkpoint(self);
  }
}

void compare_batch(run_actor self) {
  auto& st = self->state;
  auto& s = status_of(self);
  if (st.cursor >= st.rows.size()) {
    return complete_run(self);
  }
  set_stage(self, "comparing", "Comparing local gallery with R2 objects");
  auto const end = std::min(st.rows.size(), st.cursor + sync_batch_size);
  for (; st.cursor < end; ++st.cursor) {
    auto const& row = st.rows[st.cursor];
    if (row.size < 0) {
      ++s.missing_local_count;
      ++s.compared_count;
      continue;
    }
    auto const key = upstream::gallery_object_key(st.target.key_prefix, row.filename);
    // A file shared by several rows is backed up once, by its first row.
    if (!st.seen.insert(row.filename).second || st.remote.contains(key)) {
      ++s.skipped_existing_count;
      ++s.compared_count;
      continue;
    }
    st.queue.push_back(upload_job{row.id, row.filename, key});
  }
  if (st.queue.empty()) {
    return checkpoint(self);
  }
  set_stage(self, "uploading", compared_message(s.compared_count));
  pump(self);
}

void list_page(run_actor self, std::string token) {
  auto const& t = self->state.target;
  auto req = t.request(upstream::list_objects(t.bucket, t.key_prefix, token), list_timeout_ms);
  req.cancel_key = topic_of(self);
  self->request(self->state.deps.upstream, std::chrono::milliseconds{list_timeout_ms} + ask_margin, s3_atom::value,
                std::move(req))
      .then(
          [self, token](s3_reply const& reply) {
            if (self->state.ended) {
              return;
            }
            if (reply.status != 200) {
              return fail_run(self, "ListObjectsV2 failed: " + failure_text(self, reply));
            }
            auto page = upstream::parse_list_objects(reply.body.data ? *reply.body.data : std::string{});
            if (!page) {
              return fail_run(self, "ListObjectsV2 failed: " + page.error().message);
            }
            for (auto& object : page->objects) {
              self->state.remote.insert(std::move(object.key));
            }
            if (!page->truncated) {
              return compare_batch(self);
            }
            if (page->next_token == token) {
              return fail_run(self, "ListObjectsV2 failed: the server repeated its continuation token");
            }
            touch(self, false);
            list_page(self, page->next_token);
          },
          [self](caf::error const& err) {
            if (!self->state.ended) {
              fail_run(self, "ListObjectsV2 failed: " + from_caf_error(err).message);
            }
          });
}

void load_rows(run_actor self) {
  auto rows = std::make_shared<expected<std::vector<candidate>>>();
  auto const dir = self->state.images_dir;
  reader_task task = [rows, dir](store::database& db) {
    auto sources = store::list_sync_sources(db);
    if (!sources) {
      *rows = tl::unexpected{sources.error()};
      return;
    }
    std::vector<candidate> out;
    out.reserve(sources->size());
    for (auto& src : *sources) {
      candidate c{std::move(src.id), std::move(src.filename), -1};
      std::error_code ec;
      if (!c.filename.empty() && store::is_safe_filename(c.filename) &&
          std::filesystem::is_regular_file(dir / c.filename, ec)) {
        auto const size = std::filesystem::file_size(dir / c.filename, ec);
        c.size = ec ? -1 : static_cast<std::int64_t>(size);
      }
      out.push_back(std::move(c));
    }
    *rows = std::move(out);
  };
  self->request(self->state.deps.readers.next(), store_timeout, read_atom::value, make_local(std::move(task)))
      .then(
          [self, rows](bool) {
            if (!*rows) {
              return fail_run(self, "Could not read the gallery: " + rows->error().message);
            }
            auto& st = self->state;
            auto& s = status_of(self);
            st.rows = std::move(**rows);
            s.total_count = static_cast<std::int64_t>(st.rows.size());
            std::unordered_set<std::string> counted;
            for (auto const& row : st.rows) {
              if (row.size >= 0 && counted.insert(row.filename).second) {
                s.bytes_total += row.size;
              }
            }
            set_stage(self, "listing_remote", "Checking existing R2 objects");
            list_page(self, "");
          },
          [self](caf::error const& err) {
            fail_run(self, "Could not read the gallery: " + from_caf_error(err).message);
          });
}

sync_run_actor::behavior_type run_behavior(run_actor self, sync_status initial, r2_target target,
                                           std::filesystem::path images_dir, std::size_t concurrency, handles deps) {
  auto& st = self->state;
  st.concurrency = std::max<std::size_t>(1, concurrency);
  st.status = std::make_shared<sync_status>(std::move(initial));
  st.target = std::move(target);
  st.images_dir = std::move(images_dir);
  st.deps = std::move(deps);
  // Ends with the system: the hub is stopped at shutdown.
  self->monitor(st.deps.events);
  self->set_down_handler([self](caf::down_msg const&) { self->quit(); });
  self->attach_functor([sys = &self->system(), addr = self->address()] {
    registered_runs::get().forget(sys, addr);
  });
  // A run that ends without its final write (shutdown, a crash of this actor)
  // leaves an honest record behind.
  self->attach_functor([status = st.status, store = st.deps.store] {
    if (status->terminal()) {
      return;
    }
    auto snapshot = *status;
    mark_interrupted(snapshot, core::now_iso_utc());
    writer_task task = [snapshot](store::store& s) {
      (void)save_sync_record(s.writer(), snapshot, sync_process_owner());
    };
    caf::anon_send(store, exec_atom::value, make_local(std::move(task)));
  });
  auto& s = status_of(self);
  s.status = "running";
  s.started_at = core::now_iso_utc();
  set_stage(self, "preparing", "Preparing local gallery candidates");
  load_rows(self);
  return {
      [self](sync_get_atom, std::string const& job_id) -> caf::result<std::string> {
        if (job_id != status_of(self).job_id) {
          return actor_error(errc::not_found, "Gallery sync job not found");
        }
        return to_json(status_of(self));
      },
      [self](subscribe_atom, std::string const& topic, caf::actor const& who) {
        bool const over = status_of(self).terminal();
        if (!over) {
          self->send(self->state.deps.events, subscribe_atom::value, topic, who);
        }
        caf::anon_send(who, sse_frame{topic, "sync", to_json(status_of(self)), over});
      },
      [self](sync_retire_atom) {
        if (status_of(self).terminal()) {
          self->quit();
        }
      },
  };
}

} // namespace

} // namespace sync_detail

expected<sync_status> claim_sync(caf::actor_system& sys, handles const& actors, store::store& db,
                                 sync_claim const& claim) {
  auto& conn = db.writer();
  auto rows = store::count_gallery_rows(conn);
  if (!rows) {
    return tl::unexpected{rows.error()};
  }
  if (*rows == 0) {
    return fail(errc::not_found, "No images in gallery");
  }
  auto settings = store::global_settings_repo{conn}.r2(claim.defaults);
  if (!settings) {
    return tl::unexpected{settings.error()};
  }
  auto target = make_r2_target(*settings, claim.policy);
  if (!target) {
    return tl::unexpected{target.error()};
  }
  auto const now = core::now_iso_utc();
  auto const& owner = sync_process_owner();
  if (auto stale = interrupt_stale_syncs(conn, owner, now); !stale) {
    return tl::unexpected{stale.error()};
  }
  auto busy = has_active_sync(conn, owner);
  if (!busy) {
    return tl::unexpected{busy.error()};
  }
  if (*busy) {
    return fail(errc::rate_limited, "A gallery R2 sync job is already queued or running.");
  }
  sync_status s;
  s.job_id = core::random_hex32();
  s.created_at = now;
  s.updated_at = now;
  s.total_count = *rows;
  if (auto saved = insert_sync_record(conn, s, owner); !saved) {
    return tl::unexpected{saved.error()};
  }
  auto previous = current_sync_run(sys);
  auto run = sys.spawn(sync_detail::run_behavior, s, std::move(*target), claim.images_dir, claim.concurrency, actors);
  sync_detail::registered_runs::get().put(sys, run);
  if (previous) {
    caf::delayed_anon_send(*previous, sync_detail::retire_delay, sync_retire_atom::value);
  }
  return s;
}

sync_claim sync_claim::from_config(core::config const& cfg) {
  sync_claim claim;
  claim.defaults = store::default_r2_settings(cfg);
  claim.policy = core::net_policy::from_config(cfg);
  claim.images_dir = cfg.images_dir;
  claim.concurrency = static_cast<std::size_t>(cfg.r2_sync_concurrency);
  return claim;
}

std::optional<sync_run_actor> current_sync_run(caf::actor_system& sys) {
  return sync_detail::registered_runs::get().find(sys);
}

} // namespace panel::actors
