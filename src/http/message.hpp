#pragma once
// Requests and responses as plain values, independent of Beast, so that the
// router, the gate and the handlers are testable without sockets.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace panel::http {

class body_sink;

/// Ordered header fields with case-insensitive lookup.
class header_list {
public:
  /// First value of `name`, or nullopt.
  [[nodiscard]] std::optional<std::string_view> get(std::string_view name) const;
  [[nodiscard]] bool has(std::string_view name) const { return get(name).has_value(); }
  /// How many fields are named `name`.
  [[nodiscard]] std::size_t count(std::string_view name) const;
  /// Replaces every `name` field with one field.
  void set(std::string_view name, std::string value);
  /// Adds a field (Set-Cookie may repeat).
  void add(std::string_view name, std::string value);
  void erase(std::string_view name);

  [[nodiscard]] auto begin() const { return fields_.begin(); }
  [[nodiscard]] auto end() const { return fields_.end(); }

private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

/// One parsed HTTP request, owned by its session's strand.
struct request {
  std::string method;  ///< upper case, e.g. "GET"
  std::string target;  ///< raw request target
  std::string path;    ///< raw (still percent-encoded) path part of target
  std::string query;   ///< raw query string without '?'
  header_list headers;
  std::string body;
  std::string peer_ip; ///< direct TCP peer, canonical text
  bool tls = false;

  // Filled in by the gate and the router.
  std::string client_ip;                     ///< after trusted-proxy resolution (§2.1)
  bool authenticated = false;                ///< valid access cookie, or no key configured
  std::optional<std::int64_t> session_expires; ///< the access cookie's expiry (unix seconds)
  std::map<std::string, std::string> params; ///< route parameters, percent-decoded
  std::shared_ptr<body_sink> sink;           ///< the streamed body, for routes with a sink_factory

  /// Value of query parameter `name` (percent-decoded, '+' as space), or nullopt.
  [[nodiscard]] std::optional<std::string> query_param(std::string_view name) const;
};

/// The writing end of a streaming response (Server-Sent Events). Thread-safe:
/// producers (actors) push from any thread; one writer drains the queue in order.
class event_stream {
public:
  virtual ~event_stream() = default;
  /// Queues `chunk`. False when the stream has ended, or when the reader is so slow
  /// that the bounded queue overflowed (the stream is then closed: a vanished
  /// browser never makes the server hold memory for it).
  virtual bool push(std::string chunk) = 0;
  /// Ends the stream once what is queued has been written.
  virtual void close() = 0;
  [[nodiscard]] virtual bool closed() const = 0;
  /// Runs `fn` once when the stream ends for any reason (at once if it already has).
  virtual void on_closed(std::function<void()> fn) = 0;
};

/// One SSE event: "event: <name>\ndata: <json>\n\n" (§5.1: one data line, compact JSON).
[[nodiscard]] inline std::string sse_event(std::string_view name, std::string_view json) {
  std::string out;
  out.reserve(name.size() + json.size() + 16);
  out.append("event: ").append(name).append("\ndata: ").append(json).append("\n\n");
  return out;
}

/// The keep-alive comment sent after 15 s without an event.
inline constexpr std::string_view sse_keep_alive = ": keep-alive\n\n";

/// One piece of a produced body (see body_source).
struct body_chunk {
  std::string data;    ///< may be empty
  bool last = false;   ///< no more chunks after this one
  bool failed = false; ///< production failed: the connection is cut (the client sees a truncated body)
};

/// A region of an open file: `length` bytes of `fd` from `offset`.
struct file_region {
  int fd = -1;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
};

/// A body produced piece by piece (ZIP streams, file ranges). The session asks
/// for the next chunk only once the previous one has been written, so a slow
/// client never makes the server hold more than one chunk per connection.
class body_source {
public:
  virtual ~body_source() = default;
  /// Produces the next chunk and calls `done` exactly once, from any thread
  /// (the session posts back onto its strand). May call `done` before returning.
  virtual void next(std::function<void(body_chunk)> done) = 0;
  /// The connection ended before the last chunk (client gone, write error):
  /// stop producing and release resources. Called at most once, never after
  /// the last chunk was delivered.
  virtual void cancel() {}
  /// When the whole body is one region of a file the source holds open, that
  /// region: the session then sends it with sendfile(2) and never calls next().
  [[nodiscard]] virtual std::optional<file_region> region() const { return std::nullopt; }
};

/// One response. When `file` is set the body is streamed from that file; when
/// `source` is set the body comes from it (with the response's Content-Length
/// when the handler set one, chunked otherwise); when `stream` is set the
/// header is sent and `stream` receives the open event stream.
struct response {
  int status = 200;
  header_list headers;
  std::string body;
  std::optional<std::filesystem::path> file;
  std::shared_ptr<body_source> source;
  std::function<void(std::shared_ptr<event_stream>)> stream;

  /// A JSON response with the given status.
  [[nodiscard]] static response json(int status, std::string body);
};

/// Delivers a handler's response to its session exactly once, from any thread.
class responder {
public:
  /// The session-side receiver; implementations post onto the session's strand.
  struct sink {
    virtual ~sink() = default;
    virtual void deliver(response r) = 0;
  };

  responder() = default;
  explicit responder(std::shared_ptr<sink> s) : sink_(std::move(s)) {}

  /// Sends `r`; later calls are ignored.
  void operator()(response r) const;

private:
  std::shared_ptr<sink> sink_;
  std::shared_ptr<std::once_flag> once_ = std::make_shared<std::once_flag>();
};

/// Decodes %XX escapes; `plus_as_space` for query strings. Invalid escapes are kept literally.
[[nodiscard]] std::string percent_decode(std::string_view s, bool plus_as_space = false);

} // namespace panel::http
