#include "http/sse_response.hpp"

#include "actors/handles.hpp"
#include "actors/runtime.hpp"
#include "http/app.hpp"
#include "http/errors.hpp"

namespace panel::http {

response open_sse(app& a, std::string const& client_ip, std::string_view kind, actors::sse_subscription sub) {
  auto slot = a.sse->acquire(client_ip, kind);
  if (!slot) {
    return error_response(429, "Too many SSE connections");
  }
  response r;
  r.status = 200;
  r.headers.set("Content-Type", "text/event-stream; charset=utf-8");
  r.headers.set("Cache-Control", "no-cache");
  r.headers.set("X-Accel-Buffering", "no");
  sub.keep_alive = std::chrono::milliseconds(15000);
  sub.ttl = std::chrono::seconds(a.cfg.sse_connection_ttl_seconds);
  sub.slot = std::move(slot);
  auto& sys = a.runtime.system();
  auto hub = a.runtime.actors().events;
  r.stream = [&sys, hub, sub = std::move(sub)](std::shared_ptr<event_stream> stream) mutable {
    actors::spawn_sse_subscriber(sys, hub, std::move(stream), std::move(sub));
  };
  return r;
}

} // namespace panel::http
