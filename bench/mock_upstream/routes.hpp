#pragma once
// Request in, reply out: every endpoint of the mock as a plain function over
// Beast-free types, so the session code stays a thin transport.
#include "images.hpp"

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mock {

class mock_state;

/// A parsed HTTP request as the routes see it; views point into the session's buffers.
struct request_view {
  std::string method;  ///< "GET", "POST", ...
  std::string target;  ///< request target as received
  std::string path;    ///< target without query string
  std::vector<std::pair<std::string, std::string>> headers; ///< names lower-cased
  std::string_view body;
  std::string base_url; ///< "https://host:port" used to build /files URLs

  /// Value of header `lower_name` (first occurrence), "" when absent.
  [[nodiscard]] std::string_view header(std::string_view lower_name) const;
};

/// What the session should do. Exactly one of: normal body, file body,
/// SSE events, hold (never answer) or close (drop the connection).
struct reply {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  image_ptr file;                  ///< when set, the body is file->bytes (shared, not copied)
  std::vector<std::string> sse;    ///< when non-empty, a chunked text/event-stream, one chunk each
  std::vector<std::pair<std::string, std::string>> headers; ///< extra response headers
  bool head_only = false;          ///< HEAD: Content-Length of the body, no body bytes
  std::chrono::milliseconds delay{0}; ///< wait this long before answering
  bool hold = false;               ///< [mock:timeout]: keep the connection open, never answer
  bool close = false;              ///< [mock:close]: close the connection without answering
};

/// Answers one request; records API calls in `state`'s statistics.
/// Called on any io thread; blocking only while encoding an uncached image.
[[nodiscard]] reply handle_request(mock_state& state, request_view const& req);

} // namespace mock
