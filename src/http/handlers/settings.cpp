// Settings and presets (spec §3.3, §7): parse on the io thread, read or change
// the settings in a store task, answer the SettingsResponse, and hand every
// committed change to the job supervisor so new jobs use it at once (§7.5).
// The preset health check (§6.9) runs its DNS check and its OPTIONS/HEAD probe
// in a detached actor of its own.

#include <caf/blocking_actor.hpp>

#include "actors/bridge.hpp"
#include "actors/handles.hpp"
#include "actors/runtime.hpp"
#include "core/net_guard.hpp"
#include "http/app.hpp"
#include "http/errors.hpp"
#include "http/preset_health.hpp"
#include "http/settings_request.hpp"
#include "http/settings_store.hpp"
#include "store/store.hpp"

namespace panel::http {

namespace {

using settings_change_fn = std::function<expected<settings_change>(store::database&)>;

// The probe is a cheap check: short timeouts, a small body cap.
constexpr std::int64_t probe_timeout_ms = 10'000;
constexpr std::int64_t probe_connect_timeout_ms = 5'000;
constexpr auto probe_ask_timeout = std::chrono::milliseconds{probe_timeout_ms + 5'000};

// Runs `change` on the writer; on success pushes the new job settings to the
// supervisor and answers the SettingsResponse.
void change_settings(app& a, responder reply, settings_change_fn change) {
  auto jobs = a.runtime.actors().jobs;
  auto const& cfg = a.cfg;
  actors::on_writer(a.runtime.actors(), reply,
                    [reply, jobs, &cfg, change = std::move(change)](store::store& s) {
                      auto done = change(s.writer());
                      if (!done) {
                        reply(error_response(done.error()));
                        return;
                      }
                      // Sent before the answer: a job submitted after the client saw
                      // the response is queued behind this message.
                      caf::anon_send(jobs, actors::settings_atom::value, actors::make_local(std::move(done->jobs)));
                      reply(response::json(200, settings_response_json(done->state, cfg)));
                    });
}

// One probe request (§6.9): no redirects, direct, the key as Bearer when set.
upstream::probe_attempt probe_once(caf::blocking_actor* self, actors::upstream_pool_actor const& pool,
                                   preset_health_plan const& plan, std::string const& method) {
  actors::upstream_post_request req;
  req.url = plan.target_url;
  req.method = method;
  if (!plan.bearer.empty()) {
    req.headers.push_back("Authorization: Bearer " + plan.bearer);
  }
  req.timeout_ms = probe_timeout_ms;
  req.connect_timeout_ms = probe_connect_timeout_ms;
  req.max_response_bytes = 64 * 1024;
  req.truncate_body = true;
  req.context = core::url_context::upstream_probe;
  upstream::probe_attempt attempt;
  attempt.method = method;
  self->request(pool, probe_ask_timeout, actors::upstream_post_atom::value, std::move(req))
      .receive([&](actors::upstream_reply const& r) { attempt.http_status = r.status; },
               [&](caf::error const& e) { attempt.failure = actors::from_caf_error(e).message; });
  return attempt;
}

// The ssrf check (blocking DNS) and the probe, then the answer. Detached: it
// blocks on getaddrinfo and on the pool's replies.
void run_health_checks(caf::actor_system& sys, actors::upstream_pool_actor pool, core::net_policy policy,
                       preset_health_plan plan, responder reply) {
  auto checks = [pool, policy = std::move(policy), plan = std::move(plan), reply](caf::blocking_actor* self) {
    std::optional<upstream::health_check> ssrf;
    auto probe = skipped_probe_check();
    if (!plan.target_url.empty()) {
      auto checked = core::check_url(plan.target_url, core::url_context::upstream_probe, policy);
      ssrf = ssrf_check(checked ? std::nullopt : std::optional<std::string>{checked.error().message});
      if (checked) {
        std::vector<upstream::probe_attempt> attempts;
        for (std::string const method : {"OPTIONS", "HEAD"}) {
          attempts.push_back(probe_once(self, pool, plan, method));
          auto const& last = attempts.back();
          if (last.http_status && !upstream::classify_probe_response(method, *last.http_status).try_next) {
            break;
          }
        }
        probe = upstream::summarize_probe(attempts);
      }
    }
    reply(response::json(200, health_response_json(ordered_checks(plan, ssrf, probe))));
  };
  sys.spawn<caf::detached>(std::move(checks));
}

} // namespace

void register_settings_routes(app& a) {
  a.routes.add("GET", "/api/settings", {"Settings, presets and their masked secrets", "settings", true, "", {200, 401}},
               [&a](request&, responder reply) {
                 auto const& cfg = a.cfg;
                 actors::on_reader(a.runtime.actors(), reply,
                                   [reply, &cfg](store::database& db) {
                                     auto state = load_settings_state(db, cfg);
                                     if (!state) {
                                       reply(error_response(state.error()));
                                       return;
                                     }
                                     reply(response::json(200, settings_response_json(*state, cfg)));
                                   });
               });

  a.routes.add("POST", "/api/settings",
               {"Save the selected preset and the global settings", "settings", true, "json", {200, 401, 404, 422}},
               [&a](request& req, responder reply) {
                 auto cmd = parse_settings_request(req.body, settings_rules::from_config(a.cfg));
                 if (!cmd) {
                   reply(error_response(cmd.error()));
                   return;
                 }
                 change_settings(a, reply, [&cfg = a.cfg, cmd = std::move(*cmd)](store::database& db) {
                   return save_settings(db, cfg, cmd);
                 });
               });

  a.routes.add("POST", "/api/settings/presets",
               {"Create a preset from another and activate it", "settings", true, "json", {200, 401, 422}},
               [&a](request& req, responder reply) {
                 auto cmd = parse_preset_create_request(req.body);
                 if (!cmd) {
                   reply(error_response(cmd.error()));
                   return;
                 }
                 change_settings(a, reply, [&cfg = a.cfg, cmd = std::move(*cmd)](store::database& db) {
                   return create_preset(db, cfg, cmd);
                 });
               });

  a.routes.add("POST", "/api/settings/presets/{preset_id}/activate",
               {"Activate a preset", "settings", true, "", {200, 401, 404}}, [&a](request& req, responder reply) {
                 change_settings(a, reply, [&cfg = a.cfg, id = req.params["preset_id"]](store::database& db) {
                   return activate_preset(db, cfg, id);
                 });
               });

  a.routes.add("DELETE", "/api/settings/presets/{preset_id}",
               {"Delete a preset", "settings", true, "", {200, 400, 401, 404}}, [&a](request& req, responder reply) {
                 change_settings(a, reply, [&cfg = a.cfg, id = req.params["preset_id"]](store::database& db) {
                   return delete_preset(db, cfg, id);
                 });
               });

  a.routes.add("POST", "/api/settings/presets/{preset_id}/health",
               {"Check a saved preset without generating", "settings", true, "json", {200, 401, 404, 422}},
               [&a](request& req, responder reply) {
                 auto use_credentials = parse_preset_health_request(req.body);
                 if (!use_credentials) {
                   reply(error_response(use_credentials.error()));
                   return;
                 }
                 auto& sys = a.runtime.system();
                 auto pool = a.runtime.actors().upstream;
                 auto policy = core::net_policy::from_config(a.cfg);
                 actors::on_reader(a.runtime.actors(), reply,
                                   [&sys, pool, policy, reply, id = req.params["preset_id"],
                                    use = *use_credentials](store::database& db) {
                                     auto found = store::presets_repo{db}.get(id);
                                     if (!found) {
                                       reply(error_response(found.error()));
                                       return;
                                     }
                                     if (!found->has_value()) {
                                       reply(error_response(404, "Preset not found"));
                                       return;
                                     }
                                     run_health_checks(sys, pool, policy, plan_preset_health(**found, use), reply);
                                   });
               });
}

} // namespace panel::http
