#pragma once
// Everything a request needs, built once at startup and shared read-mostly by all
// io threads.

#include <atomic>
#include <memory>

#include "core/config.hpp"
#include "http/gate.hpp"
#include "http/lockout.hpp"
#include "http/router.hpp"
#include "http/sse_slots.hpp"
#include "http/static_site.hpp"

namespace panel::actors {
class runtime;
}

namespace panel::http {

struct app {
  app(core::config const& c, gate_rules r, actors::runtime& rt);

  core::config const& cfg;
  gate_rules rules;
  lockout_table lockout;
  static_site site;
  router routes;
  actors::runtime& runtime;
  std::shared_ptr<sse_slots> sse; ///< SSE subscriber limits (§5.2), shared by every SSE route
};

/// Adds every route of the API to `a.routes` (one register function per area).
void register_routes(app& a);

void register_system_routes(app& a);
void register_access_routes(app& a);
void register_static_routes(app& a);
void register_job_routes(app& a);
void register_edit_routes(app& a);
void register_media_routes(app& a);
void register_archive_routes(app& a);
void register_gallery_routes(app& a);
void register_r2_routes(app& a);
void register_settings_routes(app& a);
void register_snippet_routes(app& a);
void register_prompt_routes(app& a);
void register_metrics_routes(app& a);

/// Runs the gate on a request whose header has been read (before its body is read,
/// so a refused client never makes the server hold its upload). Fills in
/// client_ip, authenticated and session_expires; returns the refusal, if any.
[[nodiscard]] std::optional<response> admit(app& a, request& req);

/// Routes an admitted request whose body has been read; always answers through
/// `reply`. Anything a handler throws becomes 500.
void route(app& a, request& req, responder reply);

} // namespace panel::http
