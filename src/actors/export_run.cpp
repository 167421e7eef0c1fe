// export_run
//   start:            reports running/preparing 0, asks a reader to plan the archive
//   (plan reply):     opens <id>.zip.tmp, reports packing 20, sends itself a step
//   export_step_atom: writes a few pieces; the last one fsyncs, renames, reports
//                     success and quits
//   any failure:      removes its files, reports error, quits
//   down (supervisor) / exit: removes what it left unfinished

#include "actors/export_run.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>

#include "codec/zip_stream.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/logging.hpp"
#include "store/archive_plan.hpp"

namespace panel::actors {

namespace {

constexpr auto plan_timeout = std::chrono::minutes(30);
constexpr auto report_every = std::chrono::milliseconds(100);
constexpr std::size_t pieces_per_step = 16; // 4 MiB, then other messages get a turn

// The run's files; shared with the exit handler, which outlives the state.
struct run_files {
  std::filesystem::path zip;
  std::filesystem::path tmp;
  std::filesystem::path metadata;
  bool done = false; ///< the ZIP is finished: keep it

  // Everything but a finished archive.
  void cleanup() const {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    std::filesystem::remove(metadata, ec);
    if (!done) {
      std::filesystem::remove(zip, ec);
    }
  }
};

struct run_state {
  export_run_spec spec;
  export_supervisor_actor supervisor;
  std::shared_ptr<run_files> files = std::make_shared<run_files>();
  std::unique_ptr<codec::zip_file_stream> stream;
  store::archive_plan plan;
  int fd = -1;
  std::chrono::steady_clock::time_point last_report{};

  run_state() = default;
  run_state(run_state const&) = delete;
  run_state& operator=(run_state const&) = delete;
  ~run_state() { close_fd(); }

  void close_fd() {
    if (fd >= 0) {
      ::close(fd);
      fd = -1;
    }
  }
  void cleanup() {
    stream.reset();
    close_fd();
    files->cleanup();
  }
};

using run_actor = caf::stateful_actor<run_state>;

void report(run_actor* self, export_progress p) {
  self->send(self->state.supervisor, export_update_atom::value, self->state.spec.job_id, make_local(std::move(p)));
}

void fail_run(run_actor* self, std::string const& reason) {
  core::log_warning("Failed to build gallery export ZIP job " + self->state.spec.job_id + ": " + reason);
  self->state.cleanup();
  self->state.files->done = true; // nothing left to remove
  export_progress p;
  p.status = "error";
  p.stage = "error";
  p.message = "Failed to build ZIP archive";
  p.error = reason;
  report(self, std::move(p));
  self->quit();
}

export_progress packing(run_state const& st) {
  export_progress p;
  p.status = "running";
  p.stage = "packing";
  p.message = "Writing ZIP archive";
  auto const total = std::max<std::uint64_t>(st.stream->total(), 1);
  auto const written = st.stream->produced();
  p.progress = 20 + std::lround(static_cast<double>(written) / static_cast<double>(total) * 80.0);
  p.bytes_total = static_cast<std::int64_t>(st.stream->total());
  p.bytes_written = static_cast<std::int64_t>(written);
  p.exported_count = static_cast<std::int64_t>(st.plan.images.size());
  p.missing_count = static_cast<std::int64_t>(st.plan.skipped.size());
  return p;
}

bool write_all(int fd, std::string const& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    auto const n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

void finish(run_actor* self) {
  auto& st = self->state;
  bool ok = ::fsync(st.fd) == 0;
  st.close_fd();
  ok = ok && ::rename(st.files->tmp.c_str(), st.files->zip.c_str()) == 0;
  if (ok) {
    int const dir = ::open(st.spec.zip_path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ok = dir >= 0 && ::fsync(dir) == 0;
    if (dir >= 0) {
      ::close(dir);
    }
  }
  if (!ok) {
    fail_run(self, std::string("cannot finish the ZIP file: ") + std::strerror(errno));
    return;
  }
  auto p = packing(st);
  p.status = "success";
  p.stage = "ready";
  p.message = "ZIP archive ready";
  p.progress = 100;
  p.requested_count = st.plan.requested_count;
  p.processed_count = st.plan.requested_count;
  st.files->done = true;
  st.cleanup();
  report(self, std::move(p));
  self->quit();
}

void step(run_actor* self) {
  auto& st = self->state;
  for (std::size_t i = 0; i < pieces_per_step; ++i) {
    auto piece = st.stream->next();
    if (!piece) {
      fail_run(self, piece.error().message);
      return;
    }
    if (!write_all(st.fd, *piece)) {
      fail_run(self, std::string("cannot write the ZIP file: ") + std::strerror(errno));
      return;
    }
    if (st.stream->done()) {
      finish(self);
      return;
    }
  }
  auto const now = std::chrono::steady_clock::now();
  if (now - st.last_report >= report_every) {
    st.last_report = now;
    report(self, packing(st));
  }
  self->send(self, export_step_atom::value);
}

void start_packing(run_actor* self, store::archive_plan plan) {
  auto& st = self->state;
  st.plan = std::move(plan);
  std::vector<codec::zip_source_member> members;
  members.reserve(st.plan.images.size() + 1);
  for (auto const& img : st.plan.images) {
    members.push_back({"images/" + img.name, st.spec.images_dir / img.filename, img.size});
  }
  members.push_back({"metadata.json", st.files->metadata, st.plan.metadata_bytes});
  st.stream = std::make_unique<codec::zip_file_stream>(std::move(members));
  st.fd = ::open(st.files->tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (st.fd < 0) {
    fail_run(self, std::string("cannot create the ZIP file: ") + std::strerror(errno));
    return;
  }
  st.last_report = std::chrono::steady_clock::now();
  report(self, packing(st));
  self->send(self, export_step_atom::value);
}

} // namespace

caf::actor spawn_export_run(caf::actor_system& sys, export_run_spec spec, reader_pool readers,
                            export_supervisor_actor supervisor) {
  return sys.spawn<caf::detached>([spec = std::move(spec), readers, supervisor](run_actor* self) -> caf::behavior {
    auto& st = self->state;
    st.spec = spec;
    st.supervisor = supervisor;
    st.files->zip = spec.zip_path;
    st.files->tmp = spec.zip_path;
    st.files->tmp += ".tmp";
    st.files->metadata = spec.zip_path.parent_path() / (spec.job_id + ".metadata.tmp");
    self->attach_functor([files = st.files] { files->cleanup(); });
    // A stopping system stops the supervisor first; the run ends with it, between two pieces.
    self->monitor(supervisor);
    self->set_down_handler([self](caf::down_msg const&) { self->quit(); });

    export_progress started;
    started.status = "running";
    started.stage = "preparing";
    started.message = "Preparing gallery ZIP entries";
    started.requested_count = spec.requested_count;
    report(self, std::move(started));

    auto result = std::make_shared<expected<store::archive_plan>>(fail(errc::internal, "the plan did not run"));
    store::plan_request req;
    req.ids = spec.ids;
    req.images_dir = spec.images_dir;
    req.metadata_path = st.files->metadata;
    req.app_version = spec.app_version;
    req.exported_at = core::now_iso_utc();
    req.requested_count = spec.requested_count;
    // Runs on the reader's thread: progress goes straight to the supervisor.
    req.on_progress = [supervisor, id = spec.job_id](store::plan_progress const& pp) {
      export_progress p;
      p.status = "running";
      p.stage = "preparing";
      p.message = "Preparing gallery ZIP entries";
      p.progress = pp.percent;
      p.processed_count = pp.processed;
      p.requested_count = pp.requested;
      p.exported_count = pp.exported;
      p.missing_count = pp.missing;
      caf::anon_send(supervisor, export_update_atom::value, id, make_local(std::move(p)));
    };
    reader_task task = [result, req](store::database& db) { *result = store::build_archive_plan(db, req); };
    self->request(readers.next(), plan_timeout, read_atom::value, make_local(std::move(task)))
        .then(
            [self, result](bool) {
              if (!*result) {
                fail_run(self, result->error().message);
                return;
              }
              start_packing(self, std::move(**result));
            },
            [self](caf::error const& err) { fail_run(self, "the archive could not be planned: " + caf::to_string(err)); });
    return {
        [self](export_step_atom) { step(self); },
    };
  });
}

} // namespace panel::actors
