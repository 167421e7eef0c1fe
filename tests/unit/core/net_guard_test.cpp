#include <catch2/catch.hpp>

#include "core/config.hpp"
#include "core/net_guard.hpp"
#include "core/strings.hpp"

using panel::core::check_connected_peer;
using panel::core::check_resolved;
using panel::core::check_url;
using panel::core::ip_address;
using panel::core::ip_network;
using panel::core::net_policy;
using panel::core::resolve_and_check;
using panel::core::url_context;
using panel::core::validate_redirect;
using panel::core::validate_url;

namespace {

ip_address ip(char const* text) {
  auto a = ip_address::parse(text);
  REQUIRE(a.has_value());
  return *a;
}

ip_network net(char const* text) {
  auto n = ip_network::parse(text);
  REQUIRE(n.has_value());
  return *n;
}

std::string refusal(std::string_view text, url_context context, net_policy const& policy = {}) {
  auto const r = validate_url(text, context, policy);
  INFO(text);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == panel::errc::validation);
  return r.error().message;
}

bool accepted(std::string_view text, url_context context, net_policy const& policy = {}) {
  auto const r = validate_url(text, context, policy);
  if (!r) {
    UNSCOPED_INFO(text << ": " << r.error().message);
  }
  return r.has_value();
}

std::string resolved_refusal(char const* host, std::vector<ip_address> const& addresses, url_context context,
                             net_policy const& policy = {}) {
  auto const r = check_resolved(host, addresses, context, policy);
  REQUIRE_FALSE(r.has_value());
  return r.error().message;
}

std::string peer_refusal(std::string_view peer, url_context context, net_policy const& policy = {}) {
  auto const r = check_connected_peer(peer, context, policy);
  INFO(peer);
  REQUIRE_FALSE(r.has_value());
  return r.error().message;
}

constexpr url_context all_contexts[] = {url_context::upstream_api, url_context::upstream_probe,
                                        url_context::image_url,    url_context::webhook,
                                        url_context::optimizer,    url_context::r2};

} // namespace

TEST_CASE("net_guard: only https, with the message of each context", "[core][net_guard]") {
  for (char const* text : {"http://api.example.com/v1", "ftp://api.example.com/", "api.example.com/v1", "",
                           "javascript:alert(1)", "HTTP://api.example.com"}) {
    CHECK(refusal(text, url_context::upstream_api) == "Only HTTPS URLs are allowed for upstream API");
    CHECK(refusal(text, url_context::upstream_probe) == "Only HTTPS URLs are allowed for upstream API");
    CHECK(refusal(text, url_context::optimizer) == "Only HTTPS URLs are allowed for upstream API");
    CHECK(refusal(text, url_context::image_url) == "Only HTTPS URLs are allowed for image URLs");
    CHECK(refusal(text, url_context::webhook) == "Only HTTPS URLs are allowed for webhook callbacks");
  }
  CHECK(accepted("HTTPS://api.example.com/v1", url_context::upstream_api));
}

TEST_CASE("net_guard: a hostname is required", "[core][net_guard]") {
  for (auto const context : {url_context::upstream_api, url_context::image_url, url_context::webhook,
                             url_context::optimizer, url_context::upstream_probe}) {
    for (char const* text : {"https://", "https:///v1", "https://:443/v1", "https:api.example.com"}) {
      CHECK(refusal(text, context) == "Invalid URL: no hostname");
    }
  }
}

TEST_CASE("net_guard: upstream URLs refuse userinfo, queries and fragments", "[core][net_guard]") {
  for (auto const context : {url_context::upstream_api, url_context::upstream_probe, url_context::optimizer}) {
    CHECK(refusal("https://user:pass@api.example.com/v1", context) == "URL must not include username or password");
    CHECK(refusal("https://user@api.example.com/v1", context) == "URL must not include username or password");
    CHECK(refusal("https://@api.example.com/v1", context) == "URL must not include username or password");
    CHECK(refusal("https://api.example.com/v1?key=1", context) == "URL must not include query strings or fragments");
    CHECK(refusal("https://api.example.com/v1#x", context) == "URL must not include query strings or fragments");
    CHECK(refusal("https://api.example.com/v1?", context) == "URL must not include query strings or fragments");
  }
  // Signed image URLs carry their signature in the query; webhooks may too.
  CHECK(accepted("https://cdn.example.com/a.png?X-Amz-Signature=abc#top", url_context::image_url));
  CHECK(accepted("https://hooks.example.com/h?token=abc", url_context::webhook));
}

TEST_CASE("net_guard: blocked hostnames, exact and normalised", "[core][net_guard]") {
  for (char const* host : {"localhost", "localhost.localdomain", "metadata.google.internal", "metadata.google.com",
                           "169.254.169.254", "metadata.azure.com", "metadata.internal", "detectportal.safari.com",
                           "captive.apple.com"}) {
    CHECK(panel::core::is_blocked_hostname(host));
    for (auto const context : {url_context::upstream_api, url_context::upstream_probe, url_context::image_url,
                               url_context::webhook, url_context::optimizer}) {
      auto const expected = "Hostname '" + std::string{host} + "' is not allowed";
      CHECK(refusal("https://" + std::string{host} + "/x", context) == expected);
      CHECK(refusal("https://" + panel::core::to_lower(host) + ".:8443/x", context) == expected);
    }
  }
  CHECK(refusal("https://LocalHost./v1", url_context::upstream_api) == "Hostname 'localhost' is not allowed");
  // Exact names only: a subdomain is left to the DNS check.
  CHECK_FALSE(panel::core::is_blocked_hostname("api.localhost.example.com"));
  CHECK(accepted("https://my-localhost.example.com/", url_context::image_url));
}

TEST_CASE("net_guard: per-context host allowlists", "[core][net_guard]") {
  net_policy policy;
  policy.upstream_hosts = {"api.openai.com", "gateway.example.com"};
  policy.webhook_hosts = {"hooks.example.com"};
  policy.optimizer_hosts = {"llm.example.com", "backup.example.com"};

  CHECK(accepted("https://API.OpenAI.com./v1", url_context::upstream_api, policy));
  CHECK(accepted("https://gateway.example.com/v1", url_context::upstream_probe, policy));
  CHECK(refusal("https://evil.example.com/v1", url_context::upstream_api, policy) ==
        "Hostname 'evil.example.com' is not in the allowlist. Allowed: api.openai.com, gateway.example.com");
  CHECK(refusal("https://evil.example.com/v1", url_context::upstream_probe, policy) ==
        "Hostname 'evil.example.com' is not in the allowlist. Allowed: api.openai.com, gateway.example.com");
  CHECK(refusal("https://api.openai.com/h", url_context::webhook, policy) ==
        "Webhook hostname 'api.openai.com' is not in the allowlist. Allowed: hooks.example.com");
  CHECK(accepted("https://hooks.example.com/h", url_context::webhook, policy));
  CHECK(refusal("https://api.openai.com/v1/chat/completions", url_context::optimizer, policy) ==
        "Hostname 'api.openai.com' is not in the allowlist. Allowed: llm.example.com, backup.example.com");
  CHECK(accepted("https://llm.example.com/v1/chat/completions", url_context::optimizer, policy));
  // Image URLs have no allowlist; the upstream list does not leak into them.
  CHECK(accepted("https://cdn.elsewhere.net/a.png", url_context::image_url, policy));
  // Subdomains are not implied.
  CHECK_FALSE(accepted("https://eu.api.openai.com/v1", url_context::upstream_api, policy));
  // The blocked list is checked before the allowlist, even for a listed name.
  policy.upstream_hosts.push_back("localhost");
  CHECK(refusal("https://localhost/v1", url_context::upstream_api, policy) == "Hostname 'localhost' is not allowed");
}

TEST_CASE("net_guard: DNS results are judged all together, with every address named", "[core][net_guard]") {
  auto const pub = ip("93.184.216.34");
  auto const priv = ip("10.0.0.7");
  CHECK(check_resolved("api.example.com", {pub, ip("2606:2800:220:1::1")}, url_context::upstream_api, {}));
  CHECK(check_resolved("api.example.com", {}, url_context::upstream_api, {}));
  CHECK(resolved_refusal("api.example.com", {pub, priv}, url_context::upstream_api) ==
        "Hostname 'api.example.com' resolves to private/internal IP(s): '93.184.216.34', '10.0.0.7'");
  CHECK(resolved_refusal("api.example.com", {priv}, url_context::upstream_probe) ==
        "Hostname 'api.example.com' resolves to private/internal IP(s): '10.0.0.7'");
  CHECK(resolved_refusal("llm.example.com", {priv}, url_context::optimizer) ==
        "Hostname 'llm.example.com' resolves to private/internal IP(s): '10.0.0.7'");
  CHECK(resolved_refusal("cdn.example.com", {ip("::1")}, url_context::image_url) ==
        "Image URL hostname 'cdn.example.com' resolves to private/internal IP(s): '::1'");
  CHECK(resolved_refusal("hooks.example.com", {ip("169.254.169.254"), ip("fe80::1")}, url_context::webhook) ==
        "Webhook hostname 'hooks.example.com' resolves to private/internal IP(s): '169.254.169.254', 'fe80::1'");
  CHECK(resolved_refusal("x.r2.cloudflarestorage.com", {ip("192.168.1.2")}, url_context::r2) ==
        "R2 endpoint hostname 'x.r2.cloudflarestorage.com' resolves to private/internal IP(s): '192.168.1.2'");
  for (char const* bad : {"127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.0.1", "169.254.1.1",
                          "0.0.0.0", "224.0.0.1", "239.255.255.250", "255.255.255.255", "::1", "fc00::1", "fd12::1",
                          "fe80::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1"}) {
    INFO(bad);
    CHECK_FALSE(check_resolved("h.example.com", {ip(bad)}, url_context::image_url, {}));
  }
  for (char const* good : {"8.8.8.8", "172.32.0.1", "192.169.0.1", "2001:4860:4860::8888"}) {
    INFO(good);
    CHECK(check_resolved("h.example.com", {ip(good)}, url_context::image_url, {}));
  }
}

TEST_CASE("net_guard: IPv4-mapped IPv6 literals are checked as IPv4 too", "[core][net_guard]") {
  auto const loop = resolve_and_check("::ffff:127.0.0.1", 443, url_context::image_url, {});
  REQUIRE_FALSE(loop.has_value());
  CHECK(loop.error().message == "Image URL hostname '::ffff:127.0.0.1' resolves to private/internal IP(s): "
                                "'::ffff:127.0.0.1'");
  auto const target = check_url("https://[::ffff:169.254.169.254]/latest/meta-data", url_context::upstream_api, {});
  REQUIRE_FALSE(target.has_value());
  CHECK(target.error().message == "Hostname '::ffff:169.254.169.254' resolves to private/internal IP(s): "
                                  "'::ffff:169.254.169.254'");
  // An IPv4 PRIVATE_NETWORK_ALLOWLIST entry covers the mapped form as well.
  net_policy policy;
  policy.private_networks = {net("127.0.0.1")};
  CHECK(check_url("https://[::ffff:127.0.0.1]:8443/", url_context::upstream_api, policy));
  CHECK(check_connected_peer("::ffff:127.0.0.1", url_context::upstream_api, policy));
  CHECK(peer_refusal("::ffff:127.0.0.2", url_context::upstream_api, policy) ==
        "Upstream API connected to private/internal IP: ::ffff:127.0.0.2");
}

TEST_CASE("net_guard: literal IPs are checked without DNS", "[core][net_guard]") {
  auto const pub = check_url("https://93.184.216.34:8443/v1", url_context::upstream_api, {});
  REQUIRE(pub.has_value());
  REQUIRE(pub->addresses.size() == 1);
  CHECK(pub->addresses[0] == ip("93.184.216.34"));
  CHECK(pub->target.effective_port() == 8443);
  auto const loop = check_url("https://127.0.0.1:8443/v1", url_context::upstream_api, {});
  REQUIRE_FALSE(loop.has_value());
  CHECK(loop.error().message == "Hostname '127.0.0.1' resolves to private/internal IP(s): '127.0.0.1'");
  auto const v6 = check_url("https://[::1]/x.png", url_context::image_url, {});
  REQUIRE_FALSE(v6.has_value());
  CHECK(v6.error().message == "Image URL hostname '::1' resolves to private/internal IP(s): '::1'");
}

TEST_CASE("net_guard: a DNS failure yields no addresses and no error", "[core][net_guard]") {
  auto const none = resolve_and_check("no-such-host.invalid", 443, url_context::webhook, {});
  REQUIRE(none.has_value());
  CHECK(none->empty());
  auto const target = check_url("https://no-such-host.invalid/hook", url_context::webhook, {});
  REQUIRE(target.has_value());
  CHECK(target->addresses.empty());
  CHECK(target->target.host == "no-such-host.invalid");
}

TEST_CASE("net_guard: PRIVATE_NETWORK_ALLOWLIST IP and CIDR entries", "[core][net_guard]") {
  net_policy cidr;
  cidr.private_networks = {net("127.0.0.0/8")};
  auto const target = check_url("https://127.0.0.1:8443/v1", url_context::upstream_api, cidr);
  REQUIRE(target.has_value());
  REQUIRE(target->addresses.size() == 1);
  CHECK(target->addresses[0] == ip("127.0.0.1"));
  CHECK(check_connected_peer(ip("127.0.0.1"), url_context::upstream_api, cidr));

  net_policy single;
  single.private_networks = {net("127.0.0.1")};
  CHECK(check_url("https://127.0.0.1:8443/v1", url_context::upstream_api, single));
  // Only the listed address: 127.0.0.2 stays refused, resolved or connected.
  auto const other = check_url("https://127.0.0.2:8443/v1", url_context::image_url, single);
  REQUIRE_FALSE(other.has_value());
  CHECK(other.error().message == "Image URL hostname '127.0.0.2' resolves to private/internal IP(s): '127.0.0.2'");
  CHECK(peer_refusal("127.0.0.2", url_context::image_url, single) ==
        "Image URL connected to private/internal IP: 127.0.0.2");
  // One exempt address does not excuse another one among the results.
  CHECK(resolved_refusal("lan.example", {ip("127.0.0.1"), ip("10.0.0.1")}, url_context::upstream_api, single) ==
        "Hostname 'lan.example' resolves to private/internal IP(s): '127.0.0.1', '10.0.0.1'");
  // Nothing else is loosened: https and the blocked names still apply.
  CHECK(refusal("http://127.0.0.1:8443/v1", url_context::upstream_api, cidr) ==
        "Only HTTPS URLs are allowed for upstream API");
  CHECK(refusal("https://localhost:8443/v1", url_context::upstream_api, cidr) ==
        "Hostname 'localhost' is not allowed");
}

TEST_CASE("net_guard: PRIVATE_NETWORK_ALLOWLIST hostname entries lift only the blocked list", "[core][net_guard]") {
  net_policy names;
  names.private_hosts = {"localhost"};
  REQUIRE(accepted("https://localhost:8443/v1", url_context::upstream_api, names));
  CHECK(refusal("https://metadata.google.internal/", url_context::upstream_api, names) ==
        "Hostname 'metadata.google.internal' is not allowed");
  // The name passes, but what it resolves to is still private.
  auto const still = check_url("https://localhost:8443/v1", url_context::upstream_api, names);
  REQUIRE_FALSE(still.has_value());
  CHECK(still.error().message.starts_with("Hostname 'localhost' resolves to private/internal IP(s): "));
  CHECK(still.error().message.find("'127.0.0.1'") != std::string::npos);
  CHECK(resolved_refusal("localhost", {ip("127.0.0.1")}, url_context::upstream_api, names) ==
        "Hostname 'localhost' resolves to private/internal IP(s): '127.0.0.1'");

  for (char const* entry : {"127.0.0.0/8", "127.0.0.1"}) {
    INFO(entry);
    auto both = names;
    both.private_networks = {net(entry)};
    CHECK(check_resolved("localhost", {ip("127.0.0.1")}, url_context::upstream_api, both));
    // Where localhost also resolves to ::1 that must be listed too (any private address refuses).
    CHECK_FALSE(check_resolved("localhost", {ip("127.0.0.1"), ip("::1")}, url_context::upstream_api, both));
    both.private_networks.push_back(net("::1"));
    auto const target = check_url("https://localhost:8443/v1", url_context::upstream_api, both);
    REQUIRE(target.has_value());
    CHECK(std::find(target->addresses.begin(), target->addresses.end(), ip("127.0.0.1")) !=
          target->addresses.end());
  }
  // The entry does not loosen other contexts' allowlists either.
  names.webhook_hosts = {"hooks.example.com"};
  CHECK(refusal("https://localhost/h", url_context::webhook, names) ==
        "Webhook hostname 'localhost' is not in the allowlist. Allowed: hooks.example.com");
}

TEST_CASE("net_guard: the after-connect check names each context", "[core][net_guard]") {
  CHECK(peer_refusal("127.0.0.1", url_context::upstream_api) ==
        "Upstream API connected to private/internal IP: 127.0.0.1");
  CHECK(peer_refusal("10.0.0.1", url_context::upstream_probe) ==
        "Upstream API probe connected to private/internal IP: 10.0.0.1");
  CHECK(peer_refusal("127.0.0.1", url_context::image_url) == "Image URL connected to private/internal IP: 127.0.0.1");
  CHECK(peer_refusal("::1", url_context::webhook) == "Webhook connected to private/internal IP: ::1");
  CHECK(peer_refusal("192.168.1.1", url_context::optimizer) ==
        "Prompt optimizer endpoint connected to private/internal IP: 192.168.1.1");
  CHECK(peer_refusal("172.20.0.1", url_context::r2) == "R2 endpoint connected to private/internal IP: 172.20.0.1");
  // Unparsable counts as private; empty means nothing was connected.
  CHECK(peer_refusal("not-an-ip", url_context::image_url) == "Image URL connected to private/internal IP: not-an-ip");
  CHECK(check_connected_peer(std::string_view{}, url_context::image_url, {}));
  CHECK(check_connected_peer("8.8.8.8", url_context::image_url, {}));
  CHECK(check_connected_peer(ip("2001:4860:4860::8888"), url_context::webhook, {}));
  for (auto const context : all_contexts) {
    CHECK_FALSE(panel::core::context_label(context).empty());
  }
}

TEST_CASE("net_guard: redirects are re-validated with the full rules", "[core][net_guard]") {
  auto const current = panel::core::parse_url("https://cdn.example.com/img/a.png?sig=1");
  REQUIRE(current.has_value());
  auto const relative = validate_redirect(*current, "../b.png", url_context::image_url, {});
  REQUIRE(relative.has_value());
  CHECK(relative->to_string() == "https://cdn.example.com/b.png");
  auto const other = validate_redirect(*current, "//mirror.example.net/c.png", url_context::image_url, {});
  REQUIRE(other.has_value());
  CHECK(other->host == "mirror.example.net");

  auto refused = [&](char const* location) {
    auto const r = validate_redirect(*current, location, url_context::image_url, {});
    INFO(location);
    REQUIRE_FALSE(r.has_value());
    return r.error().message;
  };
  CHECK(refused("http://127.0.0.1/secret") == "Only HTTPS URLs are allowed for image URLs");
  CHECK(refused("HTTP://example.com/") == "Only HTTPS URLs are allowed for image URLs");
  CHECK(refused("file:///etc/passwd") == "Only HTTPS URLs are allowed for image URLs");
  CHECK(refused("https://localhost/x") == "Hostname 'localhost' is not allowed");
  CHECK(refused("//metadata.google.internal/computeMetadata/v1/") ==
        "Hostname 'metadata.google.internal' is not allowed");
  CHECK(refused("https:///x") == "Invalid URL: no hostname");
  // A literal private address passes the static rules; the DNS step refuses it.
  auto const literal = validate_redirect(*current, "https://10.0.0.1/x", url_context::image_url, {});
  REQUIRE(literal.has_value());
  CHECK_FALSE(resolve_and_check(literal->host, literal->effective_port(), url_context::image_url, {}));
}

TEST_CASE("net_guard: R2 endpoint rules", "[core][net_guard]") {
  net_policy policy;
  auto const r2 = url_context::r2;
  CHECK(accepted("https://abc123.r2.cloudflarestorage.com", r2, policy));
  CHECK(accepted("https://ABC123.R2.cloudflarestorage.com./", r2, policy));
  CHECK(refusal("http://abc.r2.cloudflarestorage.com", r2) == "R2 endpoint URL must use https://");
  CHECK(refusal("https://", r2) == "R2 endpoint URL must include a hostname");
  CHECK(refusal("https://abc.r2.cloudflarestorage.com:99999", r2) == "R2 endpoint URL must include a valid port");
  CHECK(refusal("https://k:s@abc.r2.cloudflarestorage.com", r2) ==
        "R2 endpoint URL must not include username or password");
  CHECK(refusal("https://abc.r2.cloudflarestorage.com/?x=1", r2) ==
        "R2 endpoint URL must not include query strings or fragments");
  CHECK(refusal("https://localhost:9000", r2) == "R2 endpoint hostname 'localhost' is not allowed");
  CHECK(refusal("https://203.0.113.5:9000", r2) == "R2 endpoint URL must use a hostname, not an IP address");
  CHECK(refusal("https://[2001:db8::5]:9000", r2) == "R2 endpoint URL must use a hostname, not an IP address");
  CHECK(refusal("https://a.b.r2.cloudflarestorage.com", r2) ==
        "R2 endpoint hostname 'a.b.r2.cloudflarestorage.com' must be a Cloudflare R2 hostname "
        "(*.r2.cloudflarestorage.com) or be listed in R2_ENDPOINT_HOST_ALLOWLIST. Allowed: none");
  CHECK(refusal("https://r2.cloudflarestorage.com", r2) ==
        "R2 endpoint hostname 'r2.cloudflarestorage.com' must be a Cloudflare R2 hostname "
        "(*.r2.cloudflarestorage.com) or be listed in R2_ENDPOINT_HOST_ALLOWLIST. Allowed: none");
  CHECK(refusal("https://evil.r2.cloudflarestorage.com.example.com", r2).ends_with("Allowed: none"));

  policy.r2_hosts = {"minio.example.com", "s3.us-east-1.amazonaws.com"};
  CHECK(accepted("https://minio.example.com:9000", r2, policy));
  CHECK(refusal("https://b2.example.com", r2, policy).ends_with(
      "Allowed: minio.example.com, s3.us-east-1.amazonaws.com"));
  // PRIVATE_NETWORK_ALLOWLIST neither admits IP literals nor adds R2 hosts.
  policy.private_networks = {net("192.168.0.0/16")};
  policy.private_hosts = {"localhost"};
  CHECK(refusal("https://192.168.1.5:9000", r2, policy) == "R2 endpoint URL must use a hostname, not an IP address");
  CHECK(refusal("https://localhost:9000", r2, policy).starts_with("R2 endpoint hostname 'localhost' must be"));
  policy.r2_hosts.push_back("localhost");
  CHECK(accepted("https://localhost:9000", r2, policy));
}

TEST_CASE("net_guard: redact_url keeps secrets out of messages", "[core][net_guard]") {
  using panel::core::redact_path;
  using panel::core::redact_url;
  CHECK(redact_url("https://user:secret@cdn.example.com:8443/img/a.png?sig=SECRET#frag") ==
        "https://cdn.example.com:8443/img/a.png");
  CHECK(redact_url("https://[2001:db8::1]/x?k=v") == "https://[2001:db8::1]/x");
  CHECK(redact_url("https://hooks.slack.com/services/T0/B0/TOKEN", redact_path::mask) ==
        "https://hooks.slack.com/***");
  CHECK(redact_url("https://hooks.example.com/", redact_path::mask) == "https://hooks.example.com/");
  CHECK(redact_url("https://hooks.example.com", redact_path::mask) == "https://hooks.example.com");
  CHECK(redact_url("   ").empty());
  CHECK(redact_url("not a url ?key=secret") == "***");
  CHECK(redact_url("https://a@b@c/?k=secret") == "***");
}

TEST_CASE("net_guard: net_policy copies the configuration", "[core][net_guard]") {
  panel::core::config c;
  c.upstream_host_allowlist = {"api.openai.com"};
  c.webhook_host_allowlist = {"hooks.example.com"};
  c.prompt_optimizer_host_allowlist = {"llm.example.com"};
  c.r2_endpoint_host_allowlist = {"minio.example.com"};
  c.private_network_allowlist = {net("10.0.0.0/8")};
  c.private_network_host_allowlist = {"localhost"};
  auto const p = net_policy::from_config(c);
  CHECK(p.upstream_hosts == c.upstream_host_allowlist);
  CHECK(p.webhook_hosts == c.webhook_host_allowlist);
  CHECK(p.optimizer_hosts == c.prompt_optimizer_host_allowlist);
  CHECK(p.r2_hosts == c.r2_endpoint_host_allowlist);
  REQUIRE(p.private_networks.size() == 1);
  CHECK(p.private_networks[0].contains(ip("10.9.9.9")));
  CHECK(p.private_hosts == c.private_network_host_allowlist);
}
