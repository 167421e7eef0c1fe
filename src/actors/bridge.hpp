#pragma once
// The bridge from HTTP handlers to actors (ARCHITECTURE.md §3): a handler never
// waits. It spawns a short-lived actor that sends one typed request with a timeout;
// the reply (or the error) is turned into a response and handed to the session's
// responder, which posts it back onto the connection's strand.

#include <chrono>
#include <utility>

#include "actors/errors.hpp"
#include "actors/type_ids.hpp"
#include "http/errors.hpp"
#include "http/message.hpp"

namespace panel::actors {

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

/// How long an actor waits for a store task it sent as a request.
inline constexpr std::chrono::seconds store_task_timeout{60};

/// The failure path of a handler's errand: answer with the error's HTTP mapping.
[[nodiscard]] inline std::function<void(error const&)> errand_failed(http::responder reply) {
  return [reply = std::move(reply)](error const& e) { reply(http::error_response(e)); };
}

/// Runs `task` on the store's writer thread (store_tasks.hpp), sent one way:
/// `task` answers through a responder it captured; `reply` (the same
/// responder) gets the error when the task throws or cannot run.
template <class Handles>
void on_writer(Handles const& actors, http::responder reply, writer_task task) {
  caf::anon_send(actors.store, exec_atom::value, make_local(writer_errand{std::move(task), errand_failed(reply)}));
}

/// Runs `task` on the next reader of the pool; otherwise as on_writer.
template <class Handles>
void on_reader(Handles const& actors, http::responder reply, reader_task task) {
  caf::anon_send(actors.readers.next(), read_atom::value,
                 make_local(reader_errand{std::move(task), errand_failed(reply)}));
}

} // namespace panel::actors
