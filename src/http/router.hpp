#pragma once
// The router: a pure data structure mapping (method, path pattern) to a handler.
// Patterns are literal segments, `{name}` (one segment) and a final `{name...}`
// (the rest of the path). Testable without sockets.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "http/body_sink.hpp"
#include "http/message.hpp"

namespace panel::http {

/// A handler gets the request (params filled in) and a responder it must call once,
/// now or later from any thread. Runs on an HTTP io thread: it must not block.
using handler = std::function<void(request&, responder)>;

/// Describes a route for the OpenAPI document.
struct route_doc {
  std::string summary;
  std::string tag;
  bool needs_access = true;       ///< behind the access-key gate
  std::string request_body;       ///< "" none, "json", "multipart"
  std::vector<int> responses{200}; ///< documented success/failure codes
};

struct route {
  std::string method;
  std::string pattern;
  route_doc doc;
  handler fn;
  sink_factory make_sink; ///< set: the body is streamed into a sink, not buffered
};

/// The outcome of matching one request.
struct route_match {
  enum class kind { found, not_found, method_not_allowed };
  kind result = kind::not_found;
  route const* target = nullptr;
  std::map<std::string, std::string> params;
  std::vector<std::string> allowed; ///< methods on the path when method_not_allowed
};

class router {
public:
  /// Adds a route; literal routes win over parameter routes on the same path.
  void add(std::string method, std::string pattern, route_doc doc, handler fn);

  /// Adds a route whose body the session streams into `make_sink(request)`
  /// (nullptr from the factory: buffered as usual).
  void add(std::string method, std::string pattern, route_doc doc, sink_factory make_sink, handler fn);

  /// Matches a raw path (percent-encoded); params are decoded per segment, so
  /// an encoded '/' (%2F) stays inside its segment.
  [[nodiscard]] route_match match(std::string_view method, std::string_view raw_path) const;

  [[nodiscard]] std::vector<route> const& routes() const { return routes_; }

private:
  std::vector<route> routes_;
};

/// Splits a raw path into percent-decoded segments ("/a/b%2Fc" -> {"a", "b/c"}).
[[nodiscard]] std::vector<std::string> path_segments(std::string_view raw_path);

} // namespace panel::http
