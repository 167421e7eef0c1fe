// store_actor (detached: its own thread, the only user of the writer connection)
//   close_atom -> bool: checkpoints the WAL, closes the writer and quits.
//   (gallery_get_atom, id) -> local_ptr<gallery_row>: null when there is no such row.
//   (job_put_atom, record, insert) -> bool: jobs_repo insert/update.
//   (job_fetch_atom, id) -> local_ptr<job_record>: null when there is no such row.
//   (job_hist_atom, query) -> JSON array: jobs_repo::list.
//   (job_clear_atom) -> int64: jobs_repo::delete_finished.
//   (job_trim_atom, keep) -> int64: jobs_repo::trim_history.
//   (img_save_atom, request) -> local_ptr<job_image>: atomic file write, then the gallery row.
//   (files_del_atom, paths) -> true: unlinks staged files.
//   (exec_atom, task) -> true: runs a handler's writer task (store_tasks.hpp).

#include "actors/store_actor.hpp"

#include <exception>
#include <filesystem>

#include "actors/errors.hpp"
#include "core/crypto.hpp"
#include "core/logging.hpp"
#include "store/gallery_repo.hpp"
#include "store/image_files.hpp"
#include "store/jobs_repo.hpp"
#include "store/store.hpp"

namespace panel::actors {

namespace {

std::string list_json(std::vector<store::job_record> const& jobs) {
  std::string out = "[";
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    if (i > 0) {
      out += ',';
    }
    out += store::to_json(jobs[i]);
  }
  out += ']';
  return out;
}

expected<store::job_image> save_image(store::database& db, store::image_save_request const& req) {
  if (!req.bytes || req.bytes->empty()) {
    return fail(errc::internal, "no image bytes to save");
  }
  auto const& bytes = *req.bytes;
  if (auto written = store::write_file_atomically(req.dir, req.filename, bytes.data(), bytes.size()); !written) {
    return tl::unexpected(written.error());
  }
  store::gallery_row row = req.row;
  row.id = req.image_id;
  row.filename = req.filename;
  row.bytes = static_cast<std::int64_t>(bytes.size());
  row.sha256 = core::to_hex(
      core::sha256(std::string_view{reinterpret_cast<char const*>(bytes.data()), bytes.size()}));
  if (auto inserted = store::gallery_repo{db}.insert(row); !inserted) {
    // No row without its file, and no file without its row.
    store::remove_files({(req.dir / req.filename).string()});
    return tl::unexpected(inserted.error());
  }
  return store::make_job_image(row.id, row.filename, row.image_width, row.image_height);
}

} // namespace

store_actor spawn_store_actor(caf::actor_system& sys, std::shared_ptr<store::store> db) {
  return sys.spawn<caf::detached>([db](store_actor::pointer self) -> store_actor::behavior_type {
    return {
        [self, db](close_atom) {
          auto const closed = db->close();
          if (!closed) {
            core::log_error("closing the database failed: " + closed.error().message);
          }
          self->quit();
          return closed.has_value();
        },
        [db](exec_atom, local_ptr<writer_task> const& task) -> caf::result<bool> {
          if (!task || !*task) {
            return actor_error(errc::internal, "no store task");
          }
          if (!db->is_open()) {
            return actor_error(errc::unavailable, "The database is closed");
          }
          try {
            (*task)(*db);
          } catch (std::exception const& e) {
            core::log_error(std::string{"a store task failed: "} + e.what());
            return actor_error(errc::internal, "Internal server error");
          }
          return true;
        },
        [db](exec_atom, local_ptr<writer_errand> const& errand) {
          if (!errand) {
            return;
          }
          if (!db->is_open()) {
            errand->fail(error{errc::unavailable, "The database is closed"});
            return;
          }
          errand->run(*db);
        },
        [db](gallery_get_atom, std::string const& id) -> caf::result<local_ptr<store::gallery_row>> {
          auto row = store::gallery_repo{db->writer()}.get(id);
          if (!row) {
            return to_caf_error(row.error());
          }
          if (!*row) {
            return local_ptr<store::gallery_row>{};
          }
          return make_local(std::move(**row));
        },
        [db](job_put_atom, local_ptr<store::job_record> const& job, bool insert) -> caf::result<bool> {
          if (!job) {
            return actor_error(errc::internal, "no job record");
          }
          store::jobs_repo repo{db->writer()};
          if (insert) {
            if (auto done = repo.insert(*job); !done) {
              return to_caf_error(done.error());
            }
            return true;
          }
          auto updated = repo.update(*job);
          if (!updated) {
            return to_caf_error(updated.error());
          }
          return *updated;
        },
        [db](job_fetch_atom, std::string const& id) -> caf::result<local_ptr<store::job_record>> {
          auto job = store::jobs_repo{db->writer()}.get(id);
          if (!job) {
            return to_caf_error(job.error());
          }
          if (!*job) {
            return local_ptr<store::job_record>{};
          }
          return make_local(std::move(**job));
        },
        [db](job_hist_atom, job_list_query const& q) -> caf::result<std::string> {
          auto jobs = store::jobs_repo{db->writer()}.list(q.include_finished, q.limit, q.offset, q.failed_only);
          if (!jobs) {
            return to_caf_error(jobs.error());
          }
          return list_json(*jobs);
        },
        [db](job_clear_atom) -> caf::result<std::int64_t> {
          auto n = store::jobs_repo{db->writer()}.delete_finished();
          if (!n) {
            return to_caf_error(n.error());
          }
          return *n;
        },
        [db](job_trim_atom, std::int64_t keep) -> caf::result<std::int64_t> {
          auto n = store::jobs_repo{db->writer()}.trim_history(keep);
          if (!n) {
            return to_caf_error(n.error());
          }
          return *n;
        },
        [db](img_save_atom,
             local_ptr<store::image_save_request> const& req) -> caf::result<local_ptr<store::job_image>> {
          if (!req) {
            return actor_error(errc::internal, "no image to save");
          }
          auto saved = save_image(db->writer(), *req);
          if (!saved) {
            core::log_error("saving an image failed: " + saved.error().message);
            return to_caf_error(saved.error());
          }
          return make_local(std::move(*saved));
        },
        [](files_del_atom, local_ptr<std::vector<std::string>> const& paths) {
          if (paths) {
            store::remove_files(*paths);
          }
          return true;
        },
    };
  });
}

} // namespace panel::actors
