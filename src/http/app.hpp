#pragma once
// Everything a request needs, built once at startup and shared read-mostly by all
// io threads.

#include <atomic>
#include <memory>

#include "core/config.hpp"
#include "http/gate.hpp"
#include "http/lockout.hpp"
#include "http/router.hpp"
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
};

/// Adds every route of the API to `a.routes` (one register function per area).
void register_routes(app& a);

void register_system_routes(app& a);
void register_access_routes(app& a);
void register_static_routes(app& a);

/// Runs the gate and the router for one parsed request; always answers through `reply`.
/// Catches anything a handler throws and answers 500.
void dispatch(app& a, request& req, responder reply);

} // namespace panel::http
