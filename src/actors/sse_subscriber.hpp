#pragma once
// sse_subscriber: one per SSE connection (spec §5). Subscribes to one topic of the
// event_hub and writes its frames to the connection's event_stream (whose bounded
// queue makes a slow browser cost nobody else anything); sends `: keep-alive`
// after 15 s without an event; ends the stream after the TTL, after a frame marked
// `last`, or when the browser goes away (and then dies, leaving the topic).

#include <chrono>
#include <memory>
#include <string>

#include "actors/event_hub.hpp"

namespace panel::http {
class event_stream;
}

namespace panel::actors {

struct sse_subscription {
  std::string topic;
  std::string first_event;  ///< an already formatted event sent at once ("" for none)
  bool first_is_last = false; ///< the first event is terminal: send it and close
  std::chrono::milliseconds keep_alive{15000};
  std::chrono::seconds ttl{3600};                ///< SSE_CONNECTION_TTL_SECONDS
  std::shared_ptr<void> slot;                    ///< the subscriber-limit slot, held for the stream's life
  /// Where to send (subscribe_atom, topic, self): the hub when null. The job
  /// supervisor subscribes on the subscriber's behalf and sends the first frame
  /// itself, so no event falls between the snapshot and the subscription.
  caf::actor via;
};

/// Spawns the subscriber for `stream`; it owns the stream from now on.
caf::actor spawn_sse_subscriber(caf::actor_system& sys, event_hub_actor hub,
                                std::shared_ptr<http::event_stream> stream, sse_subscription sub);

} // namespace panel::actors
