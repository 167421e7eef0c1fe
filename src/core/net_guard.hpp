#pragma once
// The SSRF rules of spec §6.8 and §11.1 for every outgoing request: which URLs may
// be asked for, which addresses may be connected to, and PRIVATE_NETWORK_ALLOWLIST
// (§18) as the one, narrow way around them. Pure rules except `resolve_and_check`
// (blocking DNS). The curl side (pinning the checked addresses) is
// upstream/pinning.hpp.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"
#include "core/ip_address.hpp"
#include "core/url.hpp"

namespace panel::core {

struct config;

/// What an outgoing URL is for; selects the messages, the host allowlist and the
/// extra rules (userinfo/query for upstream-like URLs, §11.1 for R2).
enum class url_context {
  upstream_api,   ///< generation/edit POSTs (UPSTREAM_HOST_ALLOWLIST)
  upstream_probe, ///< preset health probe (UPSTREAM_HOST_ALLOWLIST)
  image_url,      ///< image downloads from upstream results (no allowlist)
  webhook,        ///< webhook deliveries (WEBHOOK_HOST_ALLOWLIST)
  optimizer,      ///< prompt optimizer endpoint (PROMPT_OPTIMIZER_HOST_ALLOWLIST)
  r2,             ///< R2/S3 endpoint (§11.1, R2_ENDPOINT_HOST_ALLOWLIST)
};

/// The allowlists that loosen or tighten the rules, copied from the config once.
/// Immutable after construction; safe to share read-only between threads.
struct net_policy {
  std::vector<std::string> upstream_hosts;   ///< lower case, no trailing dot; empty = any
  std::vector<std::string> webhook_hosts;    ///< lower case, no trailing dot; empty = any
  std::vector<std::string> optimizer_hosts;  ///< lower case, no trailing dot; empty = any
  std::vector<std::string> r2_hosts;         ///< accepted besides *.r2.cloudflarestorage.com
  std::vector<ip_network> private_networks;  ///< PRIVATE_NETWORK_ALLOWLIST IP/CIDR entries
  std::vector<std::string> private_hosts;    ///< PRIVATE_NETWORK_ALLOWLIST hostname entries

  /// The policy of a loaded configuration.
  [[nodiscard]] static net_policy from_config(config const& c);
};

/// A URL that passed `validate_url` and the addresses its host resolved to, all
/// of them checked. Hand both to upstream::pin_connection.
struct checked_target {
  url target;
  std::vector<ip_address> addresses; ///< empty when DNS failed (see resolve_and_check)
};

/// The label used in "<label> connected to private/internal IP: <ip>":
/// "Upstream API", "Upstream API probe", "Image URL", "Webhook",
/// "Prompt optimizer endpoint", "R2 endpoint".
[[nodiscard]] std::string_view context_label(url_context context);

/// True for the exact, lower-case names of §6.8 (`localhost`, metadata services, ...).
[[nodiscard]] bool is_blocked_hostname(std::string_view host);

/// The static rules, in the original's order: https only, a hostname, no userinfo
/// and no query/fragment for upstream-like contexts, the blocked-hostname list
/// (unless the host is a PRIVATE_NETWORK_ALLOWLIST hostname entry), the context's
/// host allowlist; for R2 the whole of §11.1 except DNS. No DNS. Errors are
/// errc::validation with the spec's words.
[[nodiscard]] expected<url> validate_url(std::string_view text, url_context context, net_policy const& policy);

/// Judges addresses already resolved for `host`: fails when ANY of them is
/// private/internal and not inside a PRIVATE_NETWORK_ALLOWLIST network, naming
/// every resolved address ("Hostname 'h' resolves to private/internal IP(s): 'a', 'b'").
[[nodiscard]] expected<void> check_resolved(std::string_view host, std::vector<ip_address> const& addresses,
                                            url_context context, net_policy const& policy);

/// Resolves `host` (all families, all addresses, duplicates dropped, order kept)
/// and applies `check_resolved`. An IP-literal host is checked without DNS. A DNS
/// failure yields an empty list and no error (§6.8). BLOCKING (getaddrinfo): call
/// it only from a detached actor or a curl worker thread, never on an io thread or
/// an ordinary actor.
[[nodiscard]] expected<std::vector<ip_address>> resolve_and_check(std::string_view host, std::uint16_t port,
                                                                  url_context context, net_policy const& policy);

/// `validate_url` then `resolve_and_check`. BLOCKING, as resolve_and_check.
[[nodiscard]] expected<checked_target> check_url(std::string_view text, url_context context,
                                                 net_policy const& policy);

/// Validates where a redirect leads: `location` (non-empty; a missing Location is
/// the caller's message) resolved against `current`, then every rule of
/// `validate_url`. An absolute Location is judged as written, so
/// `http://127.0.0.1/` gets the scheme message. No DNS.
[[nodiscard]] expected<url> validate_redirect(url const& current, std::string_view location, url_context context,
                                              net_policy const& policy);

/// The after-connect check: "<label> connected to private/internal IP: <ip>"
/// unless the peer is public or inside a PRIVATE_NETWORK_ALLOWLIST network.
[[nodiscard]] expected<void> check_connected_peer(ip_address const& peer, url_context context,
                                                  net_policy const& policy);

/// The same for a peer given as text (e.g. CURLINFO_PRIMARY_IP): empty means no
/// connection was made and passes; unparsable text counts as private (§6.8).
[[nodiscard]] expected<void> check_connected_peer(std::string_view peer_text, url_context context,
                                                  net_policy const& policy);

/// Whether `redact_url` keeps the path. Webhook URLs often carry their token in
/// the path (Slack, Discord): mask it there.
enum class redact_path { keep, mask };

/// `text` fit for messages and logs: scheme, host, port and path, without userinfo,
/// query or fragment (with `redact_path::mask` a non-root path becomes "/***").
/// Unparsable input gives "***", blank input "".
[[nodiscard]] std::string redact_url(std::string_view text, redact_path path = redact_path::keep);

} // namespace panel::core
