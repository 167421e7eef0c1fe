// sse_subscriber
//   sse_frame:  writes "event: <name>\ndata: <json>\n\n"; ends after a `last` frame
//   sse_chunk:  the same, already formatted by the hub (shared by all subscribers)
//   tick_atom:  keep-alive comment when nothing was written for keep_alive
//   ttl_atom:   ends the stream (clients reconnect)
//   exit:       the stream closed (browser gone) or the system stops

#include "actors/sse_subscriber.hpp"

#include "http/message.hpp"

namespace panel::actors {

namespace {

struct subscriber_state {
  std::shared_ptr<http::event_stream> stream;
  sse_subscription sub;
  std::chrono::steady_clock::time_point last_write{};
};

void write(caf::stateful_actor<subscriber_state>* self, std::string chunk) {
  if (!self->state.stream->push(std::move(chunk))) {
    self->quit(); // the browser is gone or too slow
    return;
  }
  self->state.last_write = std::chrono::steady_clock::now();
}

} // namespace

caf::actor spawn_sse_subscriber(caf::actor_system& sys, event_hub_actor hub,
                                std::shared_ptr<http::event_stream> stream, sse_subscription sub) {
  auto actor = sys.spawn([hub, stream, sub](caf::stateful_actor<subscriber_state>* self) -> caf::behavior {
    self->state.stream = stream;
    self->state.sub = sub;
    // Whatever ends the actor ends the stream, and vice versa (below).
    self->attach_functor([stream] { stream->close(); });
    if (!sub.first_event.empty()) {
      write(self, sub.first_event);
      if (sub.first_is_last) {
        self->quit();
        return {};
      }
    }
    self->state.last_write = std::chrono::steady_clock::now();
    if (sub.via) {
      self->send(sub.via, subscribe_atom::value, sub.topic, caf::actor_cast<caf::actor>(self));
    } else {
      self->send(hub, subscribe_atom::value, sub.topic, caf::actor_cast<caf::actor>(self));
    }
    self->delayed_send(self, sub.keep_alive, tick_atom::value);
    self->delayed_send(self, sub.ttl, ttl_atom::value);
    return {
        [self](sse_frame const& frame) {
          write(self, http::sse_event(frame.event, frame.json));
          if (frame.last) {
            self->quit();
          }
        },
        [self](sse_chunk const& chunk) {
          if (chunk.text.data) {
            write(self, *chunk.text.data);
          }
          if (chunk.last) {
            self->quit();
          }
        },
        [self](tick_atom) {
          auto const idle = std::chrono::steady_clock::now() - self->state.last_write;
          if (idle >= self->state.sub.keep_alive) {
            write(self, std::string(http::sse_keep_alive));
          }
          self->delayed_send(self, self->state.sub.keep_alive, tick_atom::value);
        },
        [self](ttl_atom) { self->quit(); },
    };
  });
  stream->on_closed([actor] { caf::anon_send_exit(actor, caf::exit_reason::user_shutdown); });
  return actor;
}

} // namespace panel::actors
