// R2 backup (spec §3.3 POST /api/settings/r2/health, §3.11 sync jobs, §5.6):
// parse, hand the work to a store task or an actor, map the answer.
//   health: a reader loads the saved R2 settings, the draft is merged over them,
//           an r2_health actor runs the checks through upstream_pool.
//   POST sync-jobs: the store's writer runs claim_sync (404/400/429 checks, the
//           queued record, the sync_run actor) and answers 202.
//   GET status / events: the registered sync_run answers from memory; a job it
//           does not know is read from the store (a finished or interrupted run).

#include <caf/actor_cast.hpp>

#include "actors/bridge.hpp"
#include "actors/handles.hpp"
#include "actors/r2_health.hpp"
#include "actors/runtime.hpp"
#include "actors/sse_subscriber.hpp"
#include "actors/sync_record.hpp"
#include "actors/sync_run.hpp"
#include "core/clock.hpp"
#include "core/strings.hpp"
#include "http/app.hpp"
#include "http/errors.hpp"
#include "http/sse_response.hpp"
#include "http/json_body.hpp"
#include "http/settings_request.hpp"
#include "http/settings_update.hpp"
#include "store/global_settings.hpp"
#include "store/store.hpp"

namespace panel::http {

namespace {

constexpr auto ask_timeout = std::chrono::seconds(30);
// Four S3 requests at most, each bounded by the probe's own timeout.
constexpr auto health_timeout = std::chrono::milliseconds(5 * actors::r2_health_request_timeout_ms);

// POST /api/gallery/sync-jobs: no body, {} or {"full_reconcile": bool} ([LATER];
// every run compares the whole gallery, so the flag changes nothing).
expected<void> parse_sync_request(std::string_view body) {
  if (core::trim(body).empty()) {
    return {};
  }
  auto parsed = json_body::parse(body, {"full_reconcile"});
  if (!parsed) {
    return tl::unexpected{parsed.error()};
  }
  auto const field = (*parsed)->root().at_key("full_reconcile");
  if (field.error() == simdjson::SUCCESS && !field.is_bool()) {
    return tl::unexpected{validation_error("full_reconcile", "Input should be a valid boolean")};
  }
  return {};
}

// The SSE response of §5.6 after the subscriber limit (§5.2): the first event is
// `first` (a stored run), or comes from the live run named by `via`.
response open_sync_stream(app& a, std::string const& client_ip, std::string const& job_id, caf::actor via,
                          std::string first, bool first_is_last) {
  actors::sse_subscription sub;
  sub.topic = "sync:" + job_id;
  sub.first_event = first.empty() ? std::string{} : sse_event("sync", first);
  sub.first_is_last = first_is_last;
  sub.via = std::move(via);
  return open_sse(a, client_ip, "sync", std::move(sub));
}

// A run the registered sync_run does not know: read it from the store. `found`
// gets the status as readers should see it; a missing row is 404.
template <class Found>
void read_stored_sync(app& a, responder reply, std::string job_id, Found found) {
  actors::on_reader(a.runtime.actors(), reply,
                    [reply, job_id, found](store::database& db) {
                      auto row = actors::load_sync_record(db, job_id);
                      if (!row) {
                        reply(error_response(row.error()));
                        return;
                      }
                      if (!*row) {
                        reply(error_response(404, "Gallery sync job not found"));
                        return;
                      }
                      found(actors::visible_status(**row, actors::sync_process_owner(), core::now_iso_utc()));
                    });
}

void register_health_route(app& a) {
  a.routes.add(
      "POST", "/api/settings/r2/health", {"Test the R2 backup settings", "settings", true, "json", {200, 401, 422}},
      [&a](request& req, responder reply) {
        auto rules = settings_rules::from_config(a.cfg);
        auto draft = parse_r2_backup_body(req.body, rules);
        if (!draft) {
          reply(error_response(draft.error()));
          return;
        }
        auto& sys = a.runtime.system();
        auto const& actors = a.runtime.actors();
        auto defaults = store::default_r2_settings(a.cfg);
        auto policy = core::net_policy::from_config(a.cfg);
        actors::on_reader(actors, reply,
                          [&sys, pool = actors.upstream, reply, draft = std::move(*draft), rules = std::move(rules),
                           defaults = std::move(defaults), policy = std::move(policy)](store::database& db) {
                            auto saved = store::global_settings_repo{db}.r2(defaults);
                            if (!saved) {
                              reply(error_response(saved.error()));
                              return;
                            }
                            auto merged = apply_r2_patch(draft, std::move(*saved), rules);
                            if (!merged) {
                              reply(error_response(merged.error()));
                              return;
                            }
                            auto probe = actors::spawn_r2_health(sys, pool, std::move(*merged), policy);
                            actors::ask(
                                sys, probe, health_timeout,
                                [reply](std::string const& json) { reply(response::json(200, json)); },
                                actors::error_reply(reply), actors::r2_probe_atom::value);
                          });
      });
}

} // namespace

void register_r2_routes(app& a) {
  register_health_route(a);

  a.routes.add("POST", "/api/gallery/sync-jobs",
               {"Start an R2 backup of the gallery", "gallery", true, "json", {202, 400, 401, 404, 422, 429}},
               [&a](request& req, responder reply) {
                 if (auto ok = parse_sync_request(req.body); !ok) {
                   reply(error_response(ok.error()));
                   return;
                 }
                 auto claim = actors::sync_claim::from_config(a.cfg);
                 auto& sys = a.runtime.system();
                 auto const& actors = a.runtime.actors();
                 actors::on_writer(actors, reply,
                                   [&sys, actors, reply, claim = std::move(claim)](store::store& s) {
                                     auto started = actors::claim_sync(sys, actors, s, claim);
                                     if (!started) {
                                       reply(error_response(started.error()));
                                       return;
                                     }
                                     reply(response::json(202, actors::to_json(*started)));
                                   });
               });

  a.routes.add("GET", "/api/gallery/sync-jobs/{job_id}",
               {"One R2 sync job's status", "gallery", true, "", {200, 401, 404}},
               [&a](request& req, responder reply) {
                 auto const id = req.params["job_id"];
                 auto from_store = [&a, reply, id] {
                   read_stored_sync(a, reply, id, [reply](actors::sync_status const& s) {
                     reply(response::json(200, actors::to_json(s)));
                   });
                 };
                 auto run = actors::current_sync_run(a.runtime.system());
                 if (!run) {
                   from_store();
                   return;
                 }
                 actors::ask(
                     a.runtime.system(), *run, ask_timeout,
                     [reply](std::string const& json) { reply(response::json(200, json)); },
                     [from_store](caf::error const&) { from_store(); }, actors::sync_get_atom::value, id);
               });

  a.routes.add("GET", "/api/gallery/sync-jobs/{job_id}/events",
               {"One R2 sync job's events (SSE)", "gallery", true, "", {200, 401, 404, 429}},
               [&a](request& req, responder reply) {
                 auto const id = req.params["job_id"];
                 auto const ip = req.client_ip;
                 // 404 first (§5.6), then the subscriber limit (§5.2).
                 auto from_store = [&a, reply, id, ip] {
                   read_stored_sync(a, reply, id, [&a, reply, id, ip](actors::sync_status const& s) {
                     reply(open_sync_stream(a, ip, id, caf::actor{}, actors::to_json(s), s.terminal()));
                   });
                 };
                 auto run = actors::current_sync_run(a.runtime.system());
                 if (!run) {
                   from_store();
                   return;
                 }
                 auto via = caf::actor_cast<caf::actor>(*run);
                 actors::ask(
                     a.runtime.system(), *run, ask_timeout,
                     [&a, reply, id, ip, via](std::string const&) {
                       reply(open_sync_stream(a, ip, id, via, std::string{}, false));
                     },
                     [from_store](caf::error const&) { from_store(); }, actors::sync_get_atom::value, id);
               });
}

} // namespace panel::http
