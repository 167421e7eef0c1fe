#pragma once
// The request gate of spec §2, in its order: Host allowlist (400), IP allowlist
// (403, /health exempt), CSRF origin check on unsafe methods (403), access cookie
// (401, exempt paths). Pure: no I/O, no clocks beyond the `now` it is given.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "core/expected.hpp"
#include "core/ip_address.hpp"
#include "http/message.hpp"

namespace panel::http {

/// A parsed `scheme://host[:port]` origin, normalised (lower case, default port dropped).
struct origin {
  std::string scheme;
  std::string host; ///< IPv6 bracketed
  std::optional<std::uint16_t> port;

  /// Parses an origin or URL (path allowed only when `allow_path`); nullopt when invalid.
  [[nodiscard]] static std::optional<origin> parse(std::string_view text, bool allow_path = false);
  /// `scheme://host[:port]` with the default port omitted.
  [[nodiscard]] std::string to_string() const;
};

/// The gate's settings, compiled once at startup from the configuration.
struct gate_rules {
  std::optional<std::set<std::string>> allowed_hosts; ///< nullopt: any host
  std::optional<origin> public_origin;
  std::vector<core::ip_network> ip_allowlist;
  bool trust_proxy_headers = false;
  std::vector<core::ip_network> trusted_proxies;
  bool csrf_enabled = true;
  std::string access_key;
  std::string cookie_name;

  /// Fails naming ALLOWED_HOSTS or PUBLIC_ORIGIN when a value does not parse.
  [[nodiscard]] static expected<gate_rules> compile(core::config const& cfg);
};

/// What the gate decided for one request.
struct gate_result {
  std::optional<response> reject; ///< set when the request must not reach a handler
  std::string client_ip;          ///< resolved per §2.1
  bool authenticated = false;     ///< a valid access cookie (or no key configured)
  std::optional<std::int64_t> session_expires; ///< the cookie's expiry (unix seconds)
};

/// Runs every gate step for `req` at unix time `now`.
[[nodiscard]] gate_result run_gate(gate_rules const& rules, request const& req, std::int64_t now);

/// Client IP per §2.1 (trusted proxies, X-Forwarded-For right to left, X-Real-IP).
[[nodiscard]] std::string resolve_client_ip(gate_rules const& rules, request const& req);

/// True for paths reachable without the access cookie (§2.5).
[[nodiscard]] bool access_exempt(std::string_view path);

/// Normalises a Host header value ("Example.COM:80" stays with its port); nullopt when
/// it is empty, too long, or has control characters, userinfo, a path, query or fragment.
[[nodiscard]] std::optional<std::string> normalise_host(std::string_view host);

} // namespace panel::http
