// Metrics (spec §3.12, §12): the process counters and timings of core::metrics,
// plus gauges computed now from job_supervisor, upstream_pool and the SSE slots.
// Both stats requests go out at once from one short-lived actor; a source that
// does not answer in time leaves its gauges out instead of failing the scrape.

#include <memory>

#include "actors/handles.hpp"
#include "actors/runtime.hpp"
#include "core/metrics.hpp"
#include "core/metrics_export.hpp"
#include "core/strings.hpp"
#include "http/app.hpp"
#include "http/errors.hpp"

namespace panel::http {

namespace {

constexpr auto stats_timeout = std::chrono::seconds(5);

// Counters a dashboard expects from the first scrape, before anything happened.
constexpr std::string_view seeded_counters[] = {
    "image_jobs.generation.queued",  "image_jobs.generation.started",   "image_jobs.generation.succeeded",
    "image_jobs.generation.failed",  "image_jobs.generation.cancelled", "image_jobs.edit.queued",
    "image_jobs.edit.started",       "image_jobs.edit.succeeded",       "image_jobs.edit.failed",
    "image_jobs.edit.cancelled",     "image_jobs.rejected.queue_full",  "image_jobs.rejected.edit_source_full",
    "gallery.requests",              "gallery.slow_queries",            "sqlite.slow_queries",
    "sqlite.busy",                   "sse.acquired",                    "sse.released",
    "sse.rejected.per_ip_limit",     "sse.rejected.global_limit",
};

// What the gauges need from the configuration and the app, copied for the actor.
struct gauge_inputs {
  int max_active = 2;
  int max_queued = 20;
  std::int64_t edit_capacity_bytes = 0;
  std::shared_ptr<sse_slots> sse;
};

struct scrape {
  core::metrics::report report;
  int pending = 2;
};

void add_job_gauges(core::metrics::report& r, actors::job_supervisor_stats const& s) {
  auto& g = r.gauges;
  g["image_jobs.active"] = static_cast<double>(s.active);
  g["image_jobs.active_units"] = static_cast<double>(s.outstanding_units);
  g["image_jobs.queued"] = static_cast<double>(s.queued_units);
  g["image_jobs.running"] = static_cast<double>(s.running_units);
  g["image_jobs.tasks"] = static_cast<double>(s.running);
  g["image_jobs.upstream_requests"] = static_cast<double>(s.upstream_in_use);
  g["image_jobs.generation.queued.current"] = static_cast<double>(s.generation_queued);
  g["image_jobs.generation.running.current"] = static_cast<double>(s.generation_running);
  g["image_jobs.edit.queued.current"] = static_cast<double>(s.edit_queued);
  g["image_jobs.edit.running.current"] = static_cast<double>(s.edit_running);
  g["edit_sources.pending_bytes"] = static_cast<double>(s.reserved_bytes);
}

void add_upstream_stats(core::metrics::report& r, actors::upstream_pool_stats const& s) {
  r.gauges["upstream.in_flight"] = static_cast<double>(s.in_flight);
  r.gauges["upstream.resolving"] = static_cast<double>(s.resolving);
  r.gauges["upstream.peak_in_flight"] = static_cast<double>(s.peak_in_flight);
  r.counters["upstream.requests"] = static_cast<std::int64_t>(s.requests);
  r.counters["upstream.succeeded"] = static_cast<std::int64_t>(s.succeeded);
  r.counters["upstream.failed"] = static_cast<std::int64_t>(s.failed);
  r.counters["upstream.cancelled"] = static_cast<std::int64_t>(s.cancelled);
  r.counters["upstream.connections_opened"] = static_cast<std::int64_t>(s.connections_opened);
}

// The parts that need no actor: recorded counters and timings, capacities, SSE.
core::metrics::report base_report(gauge_inputs const& in) {
  auto snap = core::metrics::take_snapshot();
  core::metrics::report r;
  r.worker_id = core::metrics::worker_id();
  for (auto const name : seeded_counters) {
    r.counters[std::string(name)] = 0;
  }
  for (auto const& [name, v] : snap.counters) {
    r.counters[name] = v;
  }
  r.timings = std::move(snap.timings);
  r.rates = core::metrics::failure_ratios(r.counters);
  auto& g = r.gauges;
  g["image_jobs.capacity"] = in.max_active + in.max_queued;
  g["image_jobs.running_capacity"] = in.max_active;
  g["image_jobs.queued_capacity"] = in.max_queued;
  g["image_jobs.upstream_request_capacity"] = in.max_active;
  g["edit_sources.pending_capacity_bytes"] = static_cast<double>(in.edit_capacity_bytes);
  g["sse.active_connections"] = in.sse->active();
  g["image_jobs.sse_job_subscribers"] = in.sse->active("job");
  g["image_jobs.sse_jobs_subscribers"] = in.sse->active("jobs");
  return r;
}

response render(core::metrics::report const& r, bool prometheus) {
  if (!prometheus) {
    return response::json(200, core::metrics::to_json(r));
  }
  response out;
  out.status = 200;
  out.headers.set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
  out.body = core::metrics::to_prometheus(r);
  return out;
}

void serve(app& a, responder reply, bool prometheus) {
  if (!a.cfg.enable_metrics) {
    reply(error_response(404, "Metrics endpoint is disabled"));
    return;
  }
  gauge_inputs in;
  in.max_active = std::max(1, a.cfg.max_active_generate_jobs);
  in.max_queued = std::max(0, a.cfg.max_queued_generate_jobs);
  in.edit_capacity_bytes = std::max<std::int64_t>(0, a.cfg.max_pending_edit_source_mb) << 20;
  in.sse = a.sse;
  auto jobs = a.runtime.actors().jobs;
  auto upstream = a.runtime.actors().upstream;
  a.runtime.system().spawn([in, jobs, upstream, reply, prometheus](caf::event_based_actor* self) {
    auto s = std::make_shared<scrape>();
    auto finish = [s, in, reply, prometheus] {
      if (--s->pending > 0) {
        return;
      }
      // Counters and timings are read last, so they are at least as new as the gauges.
      auto r = base_report(in);
      for (auto& [name, v] : s->report.counters) {
        r.counters[name] = v;
      }
      for (auto& [name, v] : s->report.gauges) {
        r.gauges[name] = v;
      }
      reply(render(r, prometheus));
    };
    self->request(jobs, stats_timeout, actors::job_stats_atom::value)
        .then(
            [s, finish](actors::job_supervisor_stats const& st) {
              add_job_gauges(s->report, st);
              finish();
            },
            [finish](caf::error const&) { finish(); });
    self->request(upstream, stats_timeout, actors::upstream_stats_atom::value)
        .then(
            [s, finish](actors::upstream_pool_stats const& st) {
              add_upstream_stats(s->report, st);
              finish();
            },
            [finish](caf::error const&) { finish(); });
  });
}

bool wants_text(request const& req) {
  auto const accept = req.headers.get("Accept");
  return accept && core::to_lower(*accept).find("text/plain") != std::string::npos;
}

} // namespace

void register_metrics_routes(app& a) {
  a.routes.add("GET", "/api/metrics", {"Metrics snapshot (JSON, or Prometheus text for Accept: text/plain)",
                                       "metrics", true, "", {200, 401, 404}},
               [&a](request& req, responder reply) { serve(a, std::move(reply), wants_text(req)); });
  a.routes.add("GET", "/api/metrics/prometheus", {"Metrics in the Prometheus text format", "metrics", true, "",
                                                  {200, 401, 404}},
               [&a](request&, responder reply) { serve(a, std::move(reply), true); });
}

} // namespace panel::http
