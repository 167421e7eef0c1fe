#pragma once
// The bridge from HTTP handlers to actors (ARCHITECTURE.md §3): a handler never
// waits. It spawns a short-lived actor that sends one typed request with a timeout;
// the reply (or the error) is turned into a response and handed to the session's
// responder, which posts it back onto the connection's strand.

#include <chrono>
#include <utility>

#include "actors/type_ids.hpp"
#include "core/expected.hpp"
#include "http/errors.hpp"
#include "http/message.hpp"

namespace panel::actors {

/// The CAF error category of panel errors.
inline constexpr caf::atom_value panel_error_category = caf::atom("panel");

/// A panel::error as a caf::error (code in the code, message in the context).
[[nodiscard]] caf::error to_caf_error(panel::error const& e);

/// A caf::error back as a panel::error; CAF's own errors (timeouts, dead actors)
/// become 503 "unavailable".
[[nodiscard]] panel::error from_caf_error(caf::error const& e);

/// The usual error handler for ask(): answer with the error's HTTP mapping.
[[nodiscard]] inline auto error_reply(http::responder reply) {
  return [reply](caf::error const& err) { reply(http::error_response(from_caf_error(err))); };
}

/// Asks `dest` with `msg...` from a short-lived actor. `on_reply` takes the
/// concrete reply types (CAF needs them spelled out); it and `on_error` answer
/// through the responder they captured. Never blocks the calling thread.
template <class Handle, class OnReply, class OnError, class... Ts>
void ask(caf::actor_system& sys, Handle const& dest, std::chrono::milliseconds timeout, OnReply on_reply,
         OnError on_error, Ts... msg) {
  sys.spawn([=](caf::event_based_actor* self) { self->request(dest, timeout, msg...).then(on_reply, on_error); });
}

} // namespace panel::actors
