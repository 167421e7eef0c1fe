#include "actors/sync_scheduler.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>

#include <memory>

#include "actors/bridge.hpp"
#include "actors/sync_record.hpp"
#include "core/logging.hpp"
#include "store/gallery_jobs_repo.hpp"
#include "store/global_settings.hpp"
#include "store/store.hpp"

namespace panel::actors {

std::string_view to_string(schedule_outcome o) {
  switch (o) {
  case schedule_outcome::disabled: return "disabled";
  case schedule_outcome::not_due: return "not_due";
  case schedule_outcome::no_images: return "no_images";
  case schedule_outcome::active_sync: return "active_sync";
  case schedule_outcome::started: return "started";
  case schedule_outcome::failed: return "failed";
  }
  return "failed";
}

bool sync_due(int interval_hours, std::optional<core::sys_time> newest_created, core::sys_time now) {
  if (interval_hours <= 0) {
    return false;
  }
  if (!newest_created) {
    return true;
  }
  auto const since = now - std::min(*newest_created, now);
  return since >= std::chrono::hours(interval_hours);
}

namespace {

// When the newest sync job of any kind of start was created.
expected<std::optional<core::sys_time>> newest_sync(store::database& db) {
  auto jobs = store::gallery_jobs_repo{db}.list(sync_record_kind);
  if (!jobs) {
    return tl::unexpected(jobs.error());
  }
  std::optional<core::sys_time> newest;
  for (auto const& job : *jobs) {
    core::sys_time t;
    if (core::parse_iso(job.created_at, t) && (!newest || t > *newest)) {
      newest = t;
    }
  }
  return newest;
}

void log_outcome(schedule_result const& r) {
  switch (r.outcome) {
  case schedule_outcome::started:
    core::log_info("scheduled R2 backup started: sync job " + r.detail + " (every " + std::to_string(r.interval_hours) +
                   " hour(s))");
    break;
  case schedule_outcome::active_sync:
    core::log_info("scheduled R2 backup waits: a sync job is already queued or running");
    break;
  case schedule_outcome::no_images:
    core::log_info("scheduled R2 backup waits: the gallery is empty");
    break;
  case schedule_outcome::failed:
    core::log_warning("scheduled R2 backup cannot start: " + r.detail);
    break;
  case schedule_outcome::disabled:
  case schedule_outcome::not_due:
    break;
  }
}

} // namespace

schedule_result schedule_sync(caf::actor_system& sys, handles const& actors, store::store& db,
                              sync_claim const& claim, core::sys_time now) {
  auto settings = store::global_settings_repo{db.writer()}.r2(claim.defaults);
  if (!settings) {
    return {schedule_outcome::failed, settings.error().message};
  }
  if (!settings->enabled || settings->sync_interval_hours <= 0) {
    return {schedule_outcome::disabled, {}};
  }
  auto newest = newest_sync(db.writer());
  if (!newest) {
    return {schedule_outcome::failed, newest.error().message};
  }
  int const hours = settings->sync_interval_hours;
  if (!sync_due(hours, *newest, now)) {
    return {schedule_outcome::not_due, {}, hours};
  }
  auto started = claim_sync(sys, actors, db, claim);
  if (started) {
    return {schedule_outcome::started, started->job_id, hours};
  }
  switch (started.error().code) {
  case errc::not_found: return {schedule_outcome::no_images, {}, hours};
  case errc::rate_limited: return {schedule_outcome::active_sync, {}, hours};
  default: return {schedule_outcome::failed, started.error().message, hours};
  }
}

void spawn_sync_scheduler(caf::actor_system& sys, handles const& actors, sync_claim claim, schedule_timing timing) {
  sys.spawn([actors, claim = std::move(claim), timing](caf::event_based_actor* self) -> caf::behavior {
    // The last outcome, to log changes only; touched by one task at a time
    // (the next check is scheduled when the previous one has answered).
    auto last = std::make_shared<std::optional<schedule_outcome>>();
    self->monitor(actors.events);
    self->set_down_handler([self](caf::down_msg const&) { self->quit(); });
    self->delayed_send(self, timing.first, sync_tick_atom::value);
    return {
        [self, actors, claim, timing, last](sync_tick_atom) {
          auto* sys = &self->system();
          writer_task task = [sys, actors, claim, last](store::store& s) {
            auto const r = schedule_sync(*sys, actors, s, claim, std::chrono::system_clock::now());
            if (r.outcome == schedule_outcome::started || *last != r.outcome) {
              log_outcome(r);
            }
            *last = r.outcome;
          };
          auto next = [self, timing] { self->delayed_send(self, timing.period, sync_tick_atom::value); };
          self->request(actors.store, store_task_timeout, exec_atom::value, make_local(std::move(task)))
              .then([next](bool) { next(); }, [next](caf::error const&) { next(); });
        },
    };
  });
}

} // namespace panel::actors
