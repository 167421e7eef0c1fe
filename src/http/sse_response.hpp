#pragma once
// The SSE response every event route answers with (spec §5): the subscriber
// limits of §5.2, the stream headers, and a subscriber actor for the topic,
// spawned once the session has handed the connection over.

#include <string>
#include <string_view>

#include "actors/sse_subscriber.hpp"
#include "http/message.hpp"

namespace panel::http {

struct app;

/// 429 "Too many SSE connections" past the limits (`kind` is the per-kind
/// gauge: "job", "jobs", "export", "sync"); otherwise a 200 event stream for
/// `sub` (topic, first event, via set by the caller; keep-alive, TTL and the
/// slot filled in here).
[[nodiscard]] response open_sse(app& a, std::string const& client_ip, std::string_view kind,
                                actors::sse_subscription sub);

} // namespace panel::http
