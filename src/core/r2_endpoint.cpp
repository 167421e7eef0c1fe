#include "core/r2_endpoint.hpp"

#include <utility>

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
  // The rules of every R2 request (net_guard), plus "no path" for a stored endpoint.
  net_policy policy;
  policy.r2_hosts = host_allowlist;
  policy.private_hosts = unblocked_hosts;
  auto checked = validate_url(trimmed, url_context::r2, policy);
  if (!checked) {
    return tl::unexpected(checked.error());
  }
  if (!checked->path.empty() && checked->path != "/") {
    return refuse("R2 endpoint URL must not include a path");
  }
  return "https://" + checked->host_and_port();
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
