#pragma once
// Message structs shared between actors and the HTTP handlers. Plain values with
// inspect() so CAF can carry them; no CAF headers needed to use them.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "core/net_guard.hpp"

namespace panel::actors {

/// Result of the optional latest-release check (§3.1 /api/version/latest).
/// Empty strings stand for JSON null (CAF 0.17 cannot carry std::optional).
struct release_info {
  std::string latest_version;
  bool has_update = false;
  std::string checked_at;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, release_info& x) {
  return f(x.latest_version, x.has_update, x.checked_at);
}

/// Shared immutable text or bytes as a message field (ARCHITECTURE.md §3: large
/// payloads travel as shared pointers, never copied between actors). Local
/// messages carry the pointer only; serialisation copies the value; printing
/// shows the size, never megabytes of body.
template <class T>
struct shared_value {
  std::shared_ptr<const T> data; ///< null means empty

  /// Size of the value, 0 when null.
  [[nodiscard]] std::size_t size() const { return data ? data->size() : 0; }
};

/// A request or response body.
using shared_text = shared_value<std::string>;
/// Image bytes (the same pointer type as codec::shared_bytes and upstream::image_bytes).
using shared_blob = shared_value<std::vector<std::uint8_t>>;

template <class Inspector, class T>
typename Inspector::result_type inspect(Inspector& f, shared_value<T>& x) {
  if constexpr (Inspector::reads_state && std::is_void_v<typename Inspector::result_type>) {
    auto size = static_cast<std::uint64_t>(x.size());
    return f(size);
  } else if constexpr (Inspector::reads_state) {
    T copy = x.data ? *x.data : T{};
    return f(copy);
  } else {
    T loaded;
    auto result = f(loaded);
    x.data = std::make_shared<const T>(std::move(loaded));
    return result;
  }
}

/// A value shared by pointer between actors of this process only (job tickets,
/// job records, settings snapshots: types with std::optional, which CAF 0.17
/// cannot serialise). Printing shows the type name; it never crosses a process
/// boundary, so deserialising yields null.
template <class T>
struct local_ptr {
  std::shared_ptr<const T> ptr; ///< null only when default-constructed

  [[nodiscard]] T const& operator*() const { return *ptr; }
  [[nodiscard]] T const* operator->() const { return ptr.get(); }
  [[nodiscard]] explicit operator bool() const { return static_cast<bool>(ptr); }
};

/// Wraps a value as a local_ptr.
template <class T>
[[nodiscard]] local_ptr<T> make_local(T value) {
  return local_ptr<T>{std::make_shared<const T>(std::move(value))};
}

template <class Inspector, class T>
typename Inspector::result_type inspect(Inspector& f, local_ptr<T>& x) {
  bool present = static_cast<bool>(x.ptr);
  if constexpr (!Inspector::reads_state) {
    x.ptr.reset();
  }
  return f(present);
}

/// One request to an upstream HTTP API through upstream_pool (spec §6.2, §6.9,
/// §6.10, §10.2). Zero limits mean the pool's defaults. Header values and the
/// proxy credentials are secrets: the pool never logs them or puts them in errors.
struct upstream_post_request {
  std::string url;                      ///< https URL, validated by the pool for `context`
  std::string method = "POST";          ///< POST, or OPTIONS/HEAD for the preset health probe
  std::vector<std::string> headers;     ///< "Name: value" (Authorization, ...); no CR/LF
  shared_text body;                     ///< POST body; null sends an empty body
  std::string content_type;             ///< Content-Type of `body`; "" sends none
  std::int64_t timeout_ms = 0;          ///< whole transfer; 0: the pool default
  std::int64_t connect_timeout_ms = 0;  ///< 0: min(timeout, 10 s)
  std::uint64_t max_response_bytes = 0; ///< 0: MAX_UPSTREAM_JSON_MB
  std::string size_label;               ///< "" = "Upstream JSON response" (chat: "Upstream chat response")
  bool truncate_body = false;           ///< past the cap keep the first bytes and stop, no error (webhooks)
  std::string socks5_proxy;             ///< "" = direct; `socks5://[user[:pass]@]host:port`, upstream_api only
  core::url_context context = core::url_context::upstream_api; ///< rules, allowlist and message labels
  std::string cancel_key;               ///< `upstream_cancel_atom` with this key aborts it; "" = none
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, upstream_post_request& x) {
  return f(x.url, x.method, x.headers, x.body, x.content_type, x.timeout_ms, x.connect_timeout_ms,
           x.max_response_bytes, x.size_label, x.truncate_body, x.socks5_proxy, x.context, x.cancel_key);
}

/// Any HTTP answer to an upstream_post_request (non-2xx statuses included: the
/// caller maps them, e.g. with upstream::upstream_http_error).
struct upstream_reply {
  std::int32_t status = 0;
  std::string content_type; ///< "" when the upstream sent none
  shared_text body;         ///< at most max_response_bytes
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, upstream_reply& x) {
  return f(x.status, x.content_type, x.body);
}

/// One image download from an upstream result URL (spec §6.8 "Image URL
/// download"): always direct, GET, `User-Agent: opencode`, redirects followed by
/// hand (at most 3, each re-validated), size-capped while streaming.
struct image_fetch_request {
  std::string url;                 ///< https URL from the upstream answer
  std::int64_t timeout_ms = 0;     ///< the whole download, redirects included; 0: the pool default
  std::uint64_t max_bytes = 0;     ///< 0: MAX_FILE_SIZE_MB
  std::string cancel_key;          ///< `upstream_cancel_atom` with this key aborts it; "" = none
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, image_fetch_request& x) {
  return f(x.url, x.timeout_ms, x.max_bytes, x.cancel_key);
}

/// The downloaded image (not yet sniffed or validated: that is the codec's job).
struct image_fetch_reply {
  shared_blob bytes;
  std::string content_type; ///< as the server declared it
  std::string final_url;    ///< where it came from after redirects, redacted (no query)
  std::int32_t redirects = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, image_fetch_reply& x) {
  return f(x.bytes, x.content_type, x.final_url, x.redirects);
}

/// Counters of upstream_pool, for metrics and tests.
struct upstream_pool_stats {
  std::uint64_t requests = 0;           ///< accepted since start
  std::uint64_t resolving = 0;          ///< waiting for DNS now
  std::uint64_t in_flight = 0;          ///< on the multi handle now
  std::uint64_t peak_in_flight = 0;     ///< most transfers on the multi handle at once
  std::uint64_t succeeded = 0;
  std::uint64_t failed = 0;             ///< cancelled ones included
  std::uint64_t cancelled = 0;
  std::uint64_t connections_opened = 0; ///< new connections; fewer than transfers means reuse
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, upstream_pool_stats& x) {
  return f(x.requests, x.resolving, x.in_flight, x.peak_in_flight, x.succeeded, x.failed, x.cancelled,
           x.connections_opened);
}

/// One event for the SSE streams of a topic (`job:<id>`, `jobs`, `export:<id>`,
/// `sync:<id>`): the event name, its JSON data, and whether it is the topic's
/// last (a terminal state: per-job streams close after it).
struct sse_frame {
  std::string topic;
  std::string event;
  std::string json;
  bool last = false;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, sse_frame& x) {
  return f(x.topic, x.event, x.json, x.last);
}

/// An sse_frame as the hub fans it out: the event text formatted once
/// ("event: ...\ndata: ...\n\n") and shared by every subscriber of the topic.
struct sse_chunk {
  shared_text text;
  bool last = false;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, sse_chunk& x) {
  return f(x.text, x.last);
}

} // namespace panel::actors
