#include "core/r2_endpoint.hpp"

#include <algorithm>

#include "core/ip_address.hpp"
#include "core/net_guard.hpp"
#include "core/strings.hpp"
#include "core/url.hpp"

namespace panel::core {

namespace {

constexpr std::string_view r2_suffix = ".r2.cloudflarestorage.com";

tl::unexpected<error> refuse(std::string message) {
  return fail(errc::validation, std::move(message));
}

// "<account>.r2.cloudflarestorage.com" with exactly one label in front.
bool is_cloudflare_r2_host(std::string_view host) {
  if (host.size() <= r2_suffix.size() || !host.ends_with(r2_suffix)) {
    return false;
  }
  return host.substr(0, host.size() - r2_suffix.size()).find('.') == std::string_view::npos;
}

bool contains(std::vector<std::string> const& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string joined(std::vector<std::string> const& items) {
  std::string out;
  for (auto const& item : items) {
    out += out.empty() ? item : ", " + item;
  }
  return out.empty() ? std::string{"none"} : out;
}

} // namespace

bool r2_host_allowed(std::string_view host, std::vector<std::string> const& host_allowlist) {
  if (is_cloudflare_r2_host(host)) {
    return true;
  }
  for (auto const& entry : host_allowlist) {
    if (entry.starts_with("*.")) {
      // "*.example.com" covers every name below example.com, not example.com itself.
      auto const suffix = std::string_view{entry}.substr(1);
      if (host.size() > suffix.size() && host.ends_with(suffix)) {
        return true;
      }
    } else if (host == entry) {
      return true;
    }
  }
  return false;
}

expected<std::string> normalise_r2_endpoint(std::string_view text, std::vector<std::string> const& host_allowlist,
                                            std::vector<std::string> const& unblocked_hosts) {
  auto const trimmed = trim(text);
  if (trimmed.empty()) {
    return std::string{};
  }
  if (url_scheme_of(trimmed) != "https") {
    return refuse("R2 endpoint URL must use https://");
  }
  auto parsed = parse_url(trimmed);
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
  if (parsed->host.empty()) {
    return refuse("R2 endpoint URL must include a hostname");
  }
  if (parsed->userinfo) {
    return refuse("R2 endpoint URL must not include username or password");
  }
  if (parsed->query || parsed->fragment) {
    return refuse("R2 endpoint URL must not include query strings or fragments");
  }
  if (!parsed->path.empty() && parsed->path != "/") {
    return refuse("R2 endpoint URL must not include a path");
  }
  auto const& host = parsed->host;
  if (is_blocked_hostname(host) && !contains(unblocked_hosts, host)) {
    return refuse("R2 endpoint hostname '" + host + "' is not allowed");
  }
  if (parsed->host_is_ipv6 || ip_address::parse(host).has_value()) {
    return refuse("R2 endpoint URL must use a hostname, not an IP address");
  }
  if (!r2_host_allowed(host, host_allowlist)) {
    return refuse("R2 endpoint hostname '" + host + "' must be a Cloudflare R2 hostname (*" + std::string{r2_suffix} +
                  ") or be listed in R2_ENDPOINT_HOST_ALLOWLIST. Allowed: " + joined(host_allowlist));
  }
  return "https://" + parsed->host_and_port();
}

std::string normalise_r2_key_prefix(std::string_view raw) {
  auto const text = trim(raw);
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find('/', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    auto const part = text.substr(start, end - start);
    // Whitespace-only segments are as empty as "" ones; others are kept as written.
    if (!trim(part).empty()) {
      out += part;
      out += '/';
    }
    start = end + 1;
  }
  return out;
}

} // namespace panel::core
