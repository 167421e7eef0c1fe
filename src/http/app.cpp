#include "http/app.hpp"

#include <exception>

#include "core/clock.hpp"
#include "core/logging.hpp"
#include "http/errors.hpp"

namespace panel::http {

app::app(core::config const& c, gate_rules r, actors::runtime& rt)
    : cfg(c), rules(std::move(r)),
      lockout(c.access_max_failures, c.access_lockout_seconds, c.access_failure_table_size),
      site(c.web_build_dir), runtime(rt),
      sse(std::make_shared<sse_slots>(c.max_sse_subscribers_global, c.max_sse_subscribers_per_ip)) {}

void register_routes(app& a) {
  register_system_routes(a);
  register_access_routes(a);
  register_job_routes(a);
  register_edit_routes(a);
  register_media_routes(a);
  register_archive_routes(a);
  register_gallery_routes(a);
  register_settings_routes(a);
  register_snippet_routes(a);
  register_prompt_routes(a);
  register_metrics_routes(a);
  register_r2_routes(a);
  register_static_routes(a); // last: holds the SPA catch-all
}

std::optional<response> admit(app& a, request& req) {
  auto gate = run_gate(a.rules, req, core::unix_seconds(std::chrono::system_clock::now()));
  req.client_ip = std::move(gate.client_ip);
  req.authenticated = gate.authenticated;
  req.session_expires = gate.session_expires;
  return std::move(gate.reject);
}

void route(app& a, request& req, responder reply) {
  try {
    auto m = a.routes.match(req.method, req.path);
    switch (m.result) {
    case route_match::kind::not_found:
      reply(error_response(404, "Not Found"));
      return;
    case route_match::kind::method_not_allowed: {
      auto r = error_response(405, "Method Not Allowed");
      std::string allow;
      for (auto const& method : m.allowed) {
        allow += (allow.empty() ? "" : ", ") + method;
      }
      r.headers.set("Allow", allow);
      reply(std::move(r));
      return;
    }
    case route_match::kind::found:
      req.params = std::move(m.params);
      m.target->fn(req, reply);
      return;
    }
  } catch (std::exception const& e) {
    core::log_error("unhandled error in " + req.method + " " + req.path + ": " + e.what());
  } catch (...) {
    core::log_error("unhandled non-standard exception in " + req.method + " " + req.path);
  }
  reply(internal_error_response());
}

} // namespace panel::http
