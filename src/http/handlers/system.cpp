// Health, version, latest release, OpenAPI (spec §3.1 and §18).

#include "actors/bridge.hpp"
#include "actors/handles.hpp"
#include "actors/runtime.hpp"
#include "core/clock.hpp"
#include "core/json_writer.hpp"
#include "core/version.hpp"
#include "http/app.hpp"
#include "http/openapi.hpp"

namespace panel::http {

namespace {

response release_json(actors::release_info const& info) {
  core::json_writer w;
  w.begin_object().key("latest_version");
  info.latest_version.empty() ? w.null() : w.value(info.latest_version);
  w.field("has_update", info.has_update).key("checked_at");
  info.checked_at.empty() ? w.null() : w.value(info.checked_at);
  w.end_object();
  return response::json(200, std::move(w).str());
}

} // namespace

void register_system_routes(app& a) {
  a.routes.add("GET", "/health", {"Liveness check", "system", false, "", {200}}, [](request&, responder reply) {
    core::json_writer w;
    w.begin_object().field("status", "ok").field("time", core::now_iso_utc()).end_object();
    reply(response::json(200, std::move(w).str()));
  });

  a.routes.add("GET", "/api/version", {"Current version", "system", true, "", {200, 401}},
               [&a](request&, responder reply) {
                 core::json_writer w;
                 w.begin_object().field("version", core::current_version(a.cfg)).field("github_repo", a.cfg.github_repo);
                 w.key("release_url");
                 a.cfg.github_repo.empty() ? w.null()
                                           : w.value("https://github.com/" + a.cfg.github_repo + "/releases/latest");
                 w.end_object();
                 reply(response::json(200, std::move(w).str()));
               });

  a.routes.add("GET", "/api/version/latest", {"Latest release check", "system", true, "", {200, 401}},
               [&a](request&, responder reply) {
                 if (!a.cfg.enable_version_check || a.cfg.github_repo.empty()) {
                   reply(release_json({}));
                   return;
                 }
                 // Never fails the request: a slow or broken check answers all-null.
                 auto const timeout = std::chrono::seconds(a.cfg.version_check_timeout_seconds * 2 + 2);
                 actors::ask(
                     a.runtime.system(), a.runtime.actors().release_checker, timeout,
                     [reply](actors::release_info const& info) { reply(release_json(info)); },
                     [reply](caf::error const&) { reply(release_json({})); }, actors::latest_atom::value,
                     core::current_version(a.cfg));
               });

  a.routes.add("GET", "/api/openapi.json", {"This OpenAPI document", "system", true, "", {200, 401}},
               [&a](request&, responder reply) { reply(response::json(200, openapi_document(a.routes, a.cfg.access_key_cookie_name))); });
}

} // namespace panel::http
