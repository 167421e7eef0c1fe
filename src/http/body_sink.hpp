#pragma once
// A route that must not have its body buffered (multipart uploads) declares a
// sink factory; the session then streams the body into the sink chunk by chunk,
// per read, within the route's body limit, and hands the finished sink to the
// handler in request::sink.

#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include "core/expected.hpp"

namespace panel::http {

struct request;

/// Receives a request body as it arrives, on the connection's io thread: it may
/// write to a local file, never block on anything else. After the first error
/// the session discards the rest of the body and calls the handler anyway, with
/// request::sink set, so the handler answers with that error (failure()).
class body_sink {
public:
  virtual ~body_sink() = default;
  /// The next piece of the body.
  [[nodiscard]] virtual expected<void> write(std::string_view chunk) = 0;
  /// The body has ended.
  [[nodiscard]] virtual expected<void> finish() = 0;
  /// The first error write() or finish() returned, if any.
  [[nodiscard]] virtual std::optional<error> const& failure() const = 0;
};

/// Called on the io thread with the admitted request's header (no body yet):
/// the sink for its body, or nullptr to read the body into request::body.
using sink_factory = std::function<std::shared_ptr<body_sink>(request const&)>;

} // namespace panel::http
