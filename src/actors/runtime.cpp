#include "actors/runtime.hpp"

#include <algorithm>
#include <filesystem>
#include <thread>

#include "actors/export_supervisor.hpp"
#include "actors/handles.hpp"
#include "actors/sync_scheduler.hpp"
#include "core/logging.hpp"
#include "store/store.hpp"

namespace panel::actors {

namespace {

class system_config : public caf::actor_system_config {
public:
  explicit system_config(std::size_t threads) {
    add_message_types<caf::id_block::panel>();
    set("scheduler.max-threads", threads);
    // Idle workers go to sleep on a condition variable at once instead of
    // polling every 50 us for 25 ms (CAF's default), which burnt a third of a
    // core between jobs on a 2-core machine (bench/jobs).
    set("work-stealing.aggressive-poll-attempts", 10);
    set("work-stealing.moderate-poll-attempts", 1);
    set("logger.verbosity", caf::atom("quiet"));
  }
};

} // namespace

struct runtime::impl {
  explicit impl(std::size_t threads) : cfg(threads), sys(cfg) {}
  system_config cfg;
  caf::actor_system sys;
  handles actors;
};

runtime::runtime() = default;
runtime::~runtime() {
  shutdown();
}

expected<std::unique_ptr<runtime>> runtime::start(core::config const& cfg, store::store db,
                                                  store::job_settings settings) {
  std::unique_ptr<runtime> rt{new runtime()};
  // Scheduler threads run short handlers only; blocking work goes to detached actors.
  auto const threads = std::max<std::size_t>(2, std::thread::hardware_concurrency());
  rt->impl_ = std::make_unique<impl>(threads);
  release_source src;
  src.enabled = cfg.enable_version_check && !cfg.github_repo.empty();
  src.repo = cfg.github_repo;
  src.branch = cfg.version_check_branch;
  src.timeout_seconds = cfg.version_check_timeout_seconds;
  src.extra_ca_file = cfg.extra_ca_file.string();
  src.api_base = cfg.version_check_api_url;
  src.raw_base = cfg.version_check_raw_url;
  rt->impl_->actors.release_checker = spawn_release_checker(rt->impl_->sys, std::move(src));
  rt->impl_->actors.readers = spawn_reader_pool(rt->impl_->sys, db, default_reader_count);
  rt->impl_->actors.store = spawn_store_actor(rt->impl_->sys, std::make_shared<store::store>(std::move(db)));
  rt->impl_->actors.codecs = spawn_codec_pool(rt->impl_->sys);
  rt->impl_->actors.upstream = spawn_upstream_pool(rt->impl_->sys, upstream_pool_config::from_config(cfg));
  rt->impl_->actors.events = spawn_event_hub(rt->impl_->sys);
  rt->impl_->actors.webhooks = spawn_webhook_sender(rt->impl_->sys, cfg, rt->impl_->actors.upstream);
  // The supervisor needs every other handle (store, codecs, upstream, events, webhooks).
  rt->impl_->actors.jobs = spawn_job_supervisor(rt->impl_->sys, cfg, rt->impl_->actors, std::move(settings));
  // Tracked exports write their ZIPs to DATA_DIR/exports (owner only).
  export_settings exports;
  exports.images_dir = cfg.images_dir;
  exports.exports_dir = cfg.data_dir / "exports";
  std::error_code ec;
  std::filesystem::create_directories(exports.exports_dir, ec);
  std::filesystem::permissions(exports.exports_dir, std::filesystem::perms::owner_all, ec);
  rt->impl_->actors.exports = spawn_export_supervisor(rt->impl_->sys, cfg, rt->impl_->actors, std::move(exports));
  // The scheduled R2 backup; it stops with the event hub.
  spawn_sync_scheduler(rt->impl_->sys, rt->impl_->actors, sync_claim::from_config(cfg));
  return rt;
}

caf::actor_system& runtime::system() {
  return impl_->sys;
}

handles const& runtime::actors() const {
  return impl_->actors;
}

void runtime::shutdown() {
  if (!impl_) {
    return;
  }
  auto& a = impl_->actors;
  // Jobs first (the links take every job actor along), so nothing starts new
  // transfers or writes; then streams and transfers (they answer their
  // requesters), then the workers; the store last.
  caf::anon_send_exit(a.jobs, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(a.exports, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(a.webhooks, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(a.events, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(a.upstream, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(a.codecs, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(a.release_checker, caf::exit_reason::user_shutdown);
  // Readers before the store: open read connections would stop its checkpoint.
  for (auto const& reader : a.readers.readers) {
    caf::anon_send_exit(reader, caf::exit_reason::user_shutdown);
  }
  {
    // main's thread may block here: it is neither an io thread nor an actor thread.
    caf::scoped_actor self{impl_->sys};
    self->request(impl_->actors.store, std::chrono::seconds(30), close_atom::value)
        .receive([](bool) {}, [](caf::error const&) { core::log_error("the store did not close in time"); });
  }
  impl_->actors = handles{};
  impl_->sys.await_all_actors_done();
  impl_.reset();
}

} // namespace panel::actors
