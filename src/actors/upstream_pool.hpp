#pragma once
// upstream_pool: every outgoing upstream HTTP transfer of the process runs on one
// libcurl multi handle in one detached actor (ARCHITECTURE.md §3): connection
// reuse, timeouts, response size caps (§6.2), SOCKS5 for upstream API POSTs only
// (§6.11) and SSRF-safe image URL downloads (§6.8: the checked address is the
// connected address, redirects followed by hand and re-validated).
//
// Errors travel as caf::error with category "panel", code = panel::errc and the
// message in the context (the layout of actors/bridge.hpp, so from_caf_error()
// maps them): errc::upstream_timeout for timeouts, errc::upstream for connection
// failures, oversized answers and failed downloads, errc::validation for URLs the
// SSRF rules refuse (as net_guard words them), errc::unavailable for requests
// cancelled or cut off by shutdown. Messages never contain a secret: URLs are
// redacted (no userinfo, no query) and header values and proxy credentials are
// never echoed.
//
// Spawning (runtime.cpp, next to the other long-lived actors):
//   handles.upstream = spawn_upstream_pool(sys, upstream_pool_config::from_config(cfg));
// and at shutdown, before await_all_actors_done():
//   caf::anon_send_exit(handles.upstream, caf::exit_reason::user_shutdown);
// which aborts every transfer still running and answers its requester with an error.

#include <chrono>
#include <cstdint>
#include <string>

#include "actors/type_ids.hpp"
#include "core/net_guard.hpp"

namespace panel::core {
struct config;
}

namespace panel::actors {

/// Typed interface of the pool. Ask it from any actor (`request(...).then`), never
/// block an io thread on it.
///  * (upstream_post_atom, upstream_post_request) -> upstream_reply: any HTTP status
///    is a reply; transport failures, caps and SSRF refusals are errors.
///  * (image_fetch_atom, image_fetch_request) -> image_fetch_reply: only a 200 is a
///    reply; "Failed to download image from <url>: <status>" otherwise.
///  * (s3_atom, s3_request) -> s3_reply: one SigV4-signed S3 request (R2 backup);
///    any HTTP status is a reply, like upstream_post_atom.
///  * (upstream_cancel_atom, key) -> how many requests with that cancel_key were
///    aborted (each is answered with an errc::unavailable error). `anon_send` is
///    fine when the count does not matter.
///  * (upstream_stats_atom) -> upstream_pool_stats.
using upstream_pool_actor =
    caf::typed_actor<caf::replies_to<upstream_post_atom, upstream_post_request>::with<upstream_reply>,
                     caf::replies_to<image_fetch_atom, image_fetch_request>::with<image_fetch_reply>,
                     caf::replies_to<s3_atom, s3_request>::with<s3_reply>,
                     caf::replies_to<upstream_cancel_atom, std::string>::with<std::uint64_t>,
                     caf::replies_to<upstream_stats_atom>::with<upstream_pool_stats>>;

/// What the pool needs from the configuration. Copied into the actor at spawn;
/// immutable afterwards.
struct upstream_pool_config {
  core::net_policy policy;                        ///< allowlists, PRIVATE_NETWORK_ALLOWLIST
  std::string extra_ca_file;                      ///< EXTRA_CA_FILE, "" for none
  std::uint64_t max_json_bytes = 128ull << 20;    ///< MAX_UPSTREAM_JSON_MB, when a request says 0
  std::uint64_t max_image_bytes = 50ull << 20;    ///< MAX_FILE_SIZE_MB, when a request says 0
  std::int64_t api_timeout_ms = 600'000;          ///< upstream_post_request.timeout_ms == 0
  std::int64_t image_timeout_ms = 120'000;        ///< image_fetch_request.timeout_ms == 0
  std::uint64_t max_s3_bytes = 16ull << 20;       ///< s3_request.max_response_bytes == 0
  long max_host_connections = 16;                 ///< CURLMOPT_MAX_HOST_CONNECTIONS (more wait in curl)
  long max_cached_connections = 32;               ///< CURLMOPT_MAXCONNECTS (idle connections kept)
  std::chrono::milliseconds poll_interval{50};    ///< longest a new message waits while transfers run

  /// The pool's settings from a loaded configuration (policy, EXTRA_CA_FILE, size caps).
  [[nodiscard]] static upstream_pool_config from_config(core::config const& c);
};

/// Spawns the pool as a detached actor (its own thread; it blocks in
/// curl_multi_poll while transfers run). One per process.
[[nodiscard]] upstream_pool_actor spawn_upstream_pool(caf::actor_system& sys, upstream_pool_config cfg);

} // namespace panel::actors
