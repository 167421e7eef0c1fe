#include "core/net_guard.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>

#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "core/config.hpp"
#include "core/r2_endpoint.hpp"
#include "core/strings.hpp"

namespace panel::core {

namespace {

constexpr std::array<std::string_view, 9> blocked_hostnames{
    "localhost",
    "localhost.localdomain",
    "metadata.google.internal",
    "metadata.google.com",
    "169.254.169.254",
    "metadata.azure.com",
    "metadata.internal",
    "detectportal.safari.com",
    "captive.apple.com",
};

constexpr std::string_view r2_default_suffix = ".r2.cloudflarestorage.com";

tl::unexpected<error> refuse(std::string message) {
  return fail(errc::validation, std::move(message));
}

// Upstream-like URLs (API, probe, optimizer) share the original's
// validate_upstream_url: its scheme message and its userinfo/query rules.
bool is_upstream_like(url_context context) {
  return context == url_context::upstream_api || context == url_context::upstream_probe ||
         context == url_context::optimizer;
}

std::string_view scheme_message(url_context context) {
  switch (context) {
  case url_context::image_url:
    return "Only HTTPS URLs are allowed for image URLs";
  case url_context::webhook:
    return "Only HTTPS URLs are allowed for webhook callbacks";
  default:
    return "Only HTTPS URLs are allowed for upstream API";
  }
}

// The word before '<host>' in the DNS message (§6.8, §11.1).
std::string_view resolved_prefix(url_context context) {
  switch (context) {
  case url_context::image_url:
    return "Image URL hostname";
  case url_context::webhook:
    return "Webhook hostname";
  case url_context::r2:
    return "R2 endpoint hostname";
  default:
    return "Hostname";
  }
}

std::vector<std::string> const* host_allowlist(url_context context, net_policy const& policy) {
  switch (context) {
  case url_context::upstream_api:
  case url_context::upstream_probe:
    return &policy.upstream_hosts;
  case url_context::webhook:
    return &policy.webhook_hosts;
  case url_context::optimizer:
    return &policy.optimizer_hosts;
  default:
    return nullptr;
  }
}

bool contains(std::vector<std::string> const& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string join(std::vector<std::string> const& items) {
  std::string out;
  for (auto const& item : items) {
    out += out.empty() ? item : ", " + item;
  }
  return out;
}

// A PRIVATE_NETWORK_ALLOWLIST hostname entry lifts only the blocked-name rule.
bool host_is_blocked(std::string_view host, net_policy const& policy) {
  return is_blocked_hostname(host) && !contains(policy.private_hosts, host);
}

bool is_ip_literal(url const& u) {
  return u.host_is_ipv6 || ip_address::parse(u.host).has_value();
}

// §11.1, with the original's messages ("R2 endpoint URL must ..." /
// "R2 endpoint hostname '<h>' ..."). DNS is left to resolve_and_check.
expected<url> validate_r2(std::string_view text, net_policy const& policy) {
  if (url_scheme_of(text) != "https") {
    return refuse("R2 endpoint URL must use https://");
  }
  auto parsed = parse_url(text);
  if (!parsed) {
    auto const& why = parsed.error().message;
    if (why == "Invalid URL: no hostname") {
      return refuse("R2 endpoint URL must include a hostname");
    }
    if (why == "Invalid URL: invalid port") {
      return refuse("R2 endpoint URL must include a valid port");
    }
    return refuse("R2 endpoint URL must be a valid URL (" + why + ")");
  }
  if (parsed->userinfo) {
    return refuse("R2 endpoint URL must not include username or password");
  }
  if (parsed->query || parsed->fragment) {
    return refuse("R2 endpoint URL must not include query strings or fragments");
  }
  auto const& host = parsed->host;
  if (host_is_blocked(host, policy)) {
    return refuse("R2 endpoint hostname '" + host + "' is not allowed");
  }
  if (is_ip_literal(*parsed)) {
    return refuse("R2 endpoint URL must use a hostname, not an IP address");
  }
  // The same host rule as the settings normaliser ("*.example.com" entries included).
  if (!r2_host_allowed(host, policy.r2_hosts)) {
    auto const allowed = policy.r2_hosts.empty() ? std::string{"none"} : join(policy.r2_hosts);
    return refuse("R2 endpoint hostname '" + host + "' must be a Cloudflare R2 hostname (*" +
                  std::string{r2_default_suffix} + ") or be listed in R2_ENDPOINT_HOST_ALLOWLIST. Allowed: " + allowed);
  }
  return parsed;
}

ip_address from_sockaddr(sockaddr const* sa) {
  ip_address a;
  if (sa->sa_family == AF_INET6) {
    a.v6 = true;
    std::memcpy(a.bytes.data(), &reinterpret_cast<sockaddr_in6 const*>(sa)->sin6_addr, 16);
  } else {
    std::memcpy(a.bytes.data(), &reinterpret_cast<sockaddr_in const*>(sa)->sin_addr, 4);
  }
  return a;
}

std::vector<ip_address> resolve_all(std::string const& host, std::uint16_t port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* head = nullptr;
  auto const service = std::to_string(port == 0 ? 443 : port);
  if (getaddrinfo(host.c_str(), service.c_str(), &hints, &head) != 0) {
    return {};
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> guard{head, &freeaddrinfo};
  std::vector<ip_address> out;
  for (auto const* ai = head; ai != nullptr; ai = ai->ai_next) {
    if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6) {
      continue;
    }
    auto const a = from_sockaddr(ai->ai_addr);
    if (std::find(out.begin(), out.end(), a) == out.end()) {
      out.push_back(a);
    }
  }
  return out;
}

} // namespace

net_policy net_policy::from_config(config const& c) {
  net_policy p;
  p.upstream_hosts = c.upstream_host_allowlist;
  p.webhook_hosts = c.webhook_host_allowlist;
  p.optimizer_hosts = c.prompt_optimizer_host_allowlist;
  p.r2_hosts = c.r2_endpoint_host_allowlist;
  p.private_networks = c.private_network_allowlist;
  p.private_hosts = c.private_network_host_allowlist;
  return p;
}

std::string_view context_label(url_context context) {
  switch (context) {
  case url_context::upstream_api:
    return "Upstream API";
  case url_context::upstream_probe:
    return "Upstream API probe";
  case url_context::image_url:
    return "Image URL";
  case url_context::webhook:
    return "Webhook";
  case url_context::optimizer:
    return "Prompt optimizer endpoint";
  case url_context::r2:
    return "R2 endpoint";
  }
  return "Outgoing request";
}

bool is_blocked_hostname(std::string_view host) {
  return std::find(blocked_hostnames.begin(), blocked_hostnames.end(), host) != blocked_hostnames.end();
}

expected<url> validate_url(std::string_view text, url_context context, net_policy const& policy) {
  if (context == url_context::r2) {
    return validate_r2(text, policy);
  }
  if (url_scheme_of(text) != "https") {
    return refuse(std::string{scheme_message(context)});
  }
  auto parsed = parse_url(text);
  if (!parsed) {
    return parsed;
  }
  if (is_upstream_like(context)) {
    if (parsed->userinfo) {
      return refuse("URL must not include username or password");
    }
    if (parsed->query || parsed->fragment) {
      return refuse("URL must not include query strings or fragments");
    }
  }
  auto const& host = parsed->host;
  if (host_is_blocked(host, policy)) {
    return refuse("Hostname '" + host + "' is not allowed");
  }
  auto const* allowed = host_allowlist(context, policy);
  if (allowed != nullptr && !allowed->empty() && !contains(*allowed, host)) {
    auto const prefix = context == url_context::webhook ? "Webhook hostname" : "Hostname";
    return refuse(std::string{prefix} + " '" + host + "' is not in the allowlist. Allowed: " + join(*allowed));
  }
  return parsed;
}

expected<void> check_resolved(std::string_view host, std::vector<ip_address> const& addresses, url_context context,
                              net_policy const& policy) {
  auto const refused = std::any_of(addresses.begin(), addresses.end(), [&](ip_address const& a) {
    return is_private_or_internal(a) && !in_any(policy.private_networks, a);
  });
  if (!refused) {
    return {};
  }
  // Every resolved address is named, as the original does, not only the bad ones.
  std::string listed;
  for (auto const& a : addresses) {
    listed += (listed.empty() ? "'" : ", '") + a.to_string() + "'";
  }
  return refuse(std::string{resolved_prefix(context)} + " '" + std::string{host} +
                "' resolves to private/internal IP(s): " + listed);
}

expected<std::vector<ip_address>> resolve_and_check(std::string_view host, std::uint16_t port, url_context context,
                                                    net_policy const& policy) {
  std::vector<ip_address> addresses;
  if (auto const literal = ip_address::parse(host)) {
    addresses.push_back(*literal);
  } else {
    addresses = resolve_all(std::string{host}, port);
  }
  if (auto ok = check_resolved(host, addresses, context, policy); !ok) {
    return tl::unexpected{ok.error()};
  }
  return addresses;
}

expected<checked_target> check_url(std::string_view text, url_context context, net_policy const& policy) {
  auto target = validate_url(text, context, policy);
  if (!target) {
    return tl::unexpected{target.error()};
  }
  auto addresses = resolve_and_check(target->host, target->effective_port(), context, policy);
  if (!addresses) {
    return tl::unexpected{addresses.error()};
  }
  return checked_target{std::move(*target), std::move(*addresses)};
}

expected<url> validate_redirect(url const& current, std::string_view location, url_context context,
                                net_policy const& policy) {
  auto const trimmed = trim(location);
  if (!url_scheme_of(trimmed).empty()) {
    return validate_url(trimmed, context, policy);
  }
  auto resolved = resolve_reference(current, trimmed);
  if (!resolved) {
    return resolved;
  }
  return validate_url(resolved->to_string(), context, policy);
}

expected<void> check_connected_peer(ip_address const& peer, url_context context, net_policy const& policy) {
  if (!is_private_or_internal(peer) || in_any(policy.private_networks, peer)) {
    return {};
  }
  return refuse(std::string{context_label(context)} + " connected to private/internal IP: " + peer.to_string());
}

expected<void> check_connected_peer(std::string_view peer_text, url_context context, net_policy const& policy) {
  if (peer_text.empty()) {
    return {};
  }
  auto const peer = ip_address::parse(peer_text);
  if (!peer) {
    return refuse(std::string{context_label(context)} + " connected to private/internal IP: " +
                  std::string{peer_text});
  }
  return check_connected_peer(*peer, context, policy);
}

std::string redact_url(std::string_view text, redact_path path) {
  auto const trimmed = trim(text);
  if (trimmed.empty()) {
    return "";
  }
  auto const parsed = parse_url(trimmed);
  if (!parsed) {
    return "***";
  }
  auto shown = parsed->path;
  if (path == redact_path::mask && !shown.empty() && shown != "/") {
    shown = "/***";
  }
  return parsed->scheme + "://" + parsed->host_and_port() + shown;
}

} // namespace panel::core
