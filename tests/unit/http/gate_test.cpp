#include <catch2/catch.hpp>

#include "core/config.hpp"
#include "http/access_token.hpp"
#include "http/gate.hpp"

using namespace panel;
using namespace panel::http;

namespace {

core::config make_config(std::map<std::string, std::string> env) {
  core::config_sources s;
  s.environment = std::move(env);
  auto c = core::load_config(s);
  REQUIRE(c.has_value());
  return *c;
}

gate_rules rules_for(std::map<std::string, std::string> env) {
  auto r = gate_rules::compile(make_config(std::move(env)));
  REQUIRE(r.has_value());
  return *r;
}

request make_request(std::string method, std::string path, std::string host = "testserver") {
  request r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.peer_ip = "127.0.0.1";
  r.headers.set("Host", std::move(host));
  return r;
}

int status_of(gate_result const& g) {
  return g.reject ? g.reject->status : 0;
}

constexpr std::int64_t now = 1'800'000'000;

} // namespace

TEST_CASE("host allowlist rejects foreign hosts, even same-origin fetches") {
  auto rules = rules_for({{"ALLOWED_HOSTS", "panel.example.com"}});
  auto req = make_request("GET", "/health", "evil.example");
  req.headers.set("Sec-Fetch-Site", "same-origin");
  auto g = run_gate(rules, req, now);
  REQUIRE(status_of(g) == 400);
  REQUIRE(g.reject->body.find("Host is not allowed") != std::string::npos);
  REQUIRE(status_of(run_gate(rules, make_request("GET", "/health", "panel.example.com:9090"), now)) == 0);
}

TEST_CASE("origin entries allow the default port only") {
  auto rules = rules_for({{"ALLOWED_HOSTS", "https://panel.example.com"}});
  REQUIRE(status_of(run_gate(rules, make_request("GET", "/health", "panel.example.com"), now)) == 0);
  REQUIRE(status_of(run_gate(rules, make_request("GET", "/health", "panel.example.com:443"), now)) == 0);
  REQUIRE(status_of(run_gate(rules, make_request("GET", "/health", "panel.example.com:8443"), now)) == 400);
}

TEST_CASE("a trusted proxy's forwarded host must be allowed too") {
  auto rules = rules_for({{"PUBLIC_ORIGIN", "https://panel.example.com"},
                          {"TRUST_PROXY_HEADERS", "true"},
                          {"TRUSTED_PROXY_IPS", "127.0.0.1"}});
  auto req = make_request("GET", "/health", "panel.example.com");
  req.headers.set("X-Forwarded-Host", "evil.example");
  auto g = run_gate(rules, req, now);
  REQUIRE(status_of(g) == 400);
  REQUIRE(g.reject->body.find("Forwarded host is not allowed") != std::string::npos);
}

TEST_CASE("IP allowlist exempts /health only") {
  auto rules = rules_for({{"IP_ALLOWLIST", "10.0.0.1"}});
  REQUIRE(status_of(run_gate(rules, make_request("GET", "/health"), now)) == 0);
  auto g = run_gate(rules, make_request("GET", "/api/version"), now);
  REQUIRE(status_of(g) == 403);
  REQUIRE(g.reject->body.find("IP address is not allowed") != std::string::npos);
}

TEST_CASE("client IP walks X-Forwarded-For right to left past trusted proxies") {
  auto rules = rules_for({{"TRUST_PROXY_HEADERS", "true"}, {"TRUSTED_PROXY_IPS", "127.0.0.1, 10.0.0.0/8"}});
  auto req = make_request("GET", "/");
  req.headers.set("X-Forwarded-For", "203.0.113.9, 198.51.100.7, 10.1.2.3");
  REQUIRE(resolve_client_ip(rules, req) == "198.51.100.7");
  req.headers.set("X-Forwarded-For", "10.0.0.5, 10.1.2.3");
  REQUIRE(resolve_client_ip(rules, req) == "10.0.0.5");
  auto untrusted = make_request("GET", "/");
  untrusted.peer_ip = "192.0.2.1";
  untrusted.headers.set("X-Forwarded-For", "203.0.113.9");
  REQUIRE(resolve_client_ip(rules, untrusted) == "192.0.2.1");
}

TEST_CASE("CSRF: no source headers is rejected, matching Origin passes") {
  auto rules = rules_for({{"ALLOW_UNAUTHENTICATED", "true"}});
  auto req = make_request("POST", "/api/access");
  auto g = run_gate(rules, req, now);
  REQUIRE(status_of(g) == 403);
  REQUIRE(g.reject->body.find("CSRF origin check failed") != std::string::npos);
  req.headers.set("Origin", "http://testserver");
  REQUIRE(status_of(run_gate(rules, req, now)) == 0);
  req.headers.set("Origin", "http://evil.example");
  REQUIRE(status_of(run_gate(rules, req, now)) == 403);
}

TEST_CASE("CSRF: fetch metadata, Referer, GET") {
  auto rules = rules_for({});
  auto req = make_request("POST", "/api/access", "127.0.0.1:9090");
  req.headers.set("Origin", "http://localhost:5173");
  req.headers.set("Sec-Fetch-Site", "same-origin");
  REQUIRE(status_of(run_gate(rules, req, now)) == 0);
  req.headers.set("Sec-Fetch-Site", "cross-site");
  REQUIRE(status_of(run_gate(rules, req, now)) == 403);
  auto ref = make_request("DELETE", "/api/gallery/x");
  ref.headers.set("Referer", "http://evil.example/page");
  REQUIRE(status_of(run_gate(rules, ref, now)) == 403);
  ref.headers.set("Referer", "http://testserver/some/page?x=1");
  REQUIRE(status_of(run_gate(rules, ref, now)) != 403);
  auto get = make_request("GET", "/api/access/status");
  get.headers.set("Origin", "http://evil.example");
  REQUIRE(status_of(run_gate(rules, get, now)) == 0);
}

TEST_CASE("CSRF uses trusted forwarded proto and host") {
  auto rules = rules_for({{"TRUST_PROXY_HEADERS", "true"}, {"TRUSTED_PROXY_IPS", "127.0.0.1"}});
  auto req = make_request("POST", "/api/access", "internal:9090");
  req.headers.set("X-Forwarded-Proto", "https");
  req.headers.set("X-Forwarded-Host", "panel.example.com");
  req.headers.set("Origin", "https://panel.example.com");
  REQUIRE(status_of(run_gate(rules, req, now)) == 0);
}

TEST_CASE("access cookie gate and exempt paths") {
  auto rules = rules_for({{"ACCESS_KEY", "secret"}});
  REQUIRE(status_of(run_gate(rules, make_request("GET", "/api/version"), now)) == 401);
  REQUIRE(status_of(run_gate(rules, make_request("GET", "/_app/immutable/x.js"), now)) == 0);
  REQUIRE(status_of(run_gate(rules, make_request("GET", "/"), now)) == 0);
  auto token = mint_access_token("secret", now + 100);
  REQUIRE(token.has_value());
  auto req = make_request("GET", "/api/version");
  req.headers.set("Cookie", "other=1; gpt_image_access=" + *token);
  auto g = run_gate(rules, req, now);
  REQUIRE(status_of(g) == 0);
  REQUIRE(g.session_expires == now + 100);
  REQUIRE(status_of(run_gate(rules, req, now + 200)) == 401); // expired
}

TEST_CASE("tokens: tampering, wrong key and empty key fail") {
  auto token = mint_access_token("k1", now + 10);
  REQUIRE(token.has_value());
  REQUIRE(verify_access_token("k1", *token, now).has_value());
  REQUIRE_FALSE(verify_access_token("k2", *token, now).has_value());
  auto tampered = *token;
  tampered[2] = tampered[2] == 'A' ? 'B' : 'A';
  REQUIRE_FALSE(verify_access_token("k1", tampered, now).has_value());
  REQUIRE_FALSE(mint_access_token("", now).has_value());
  REQUIRE_FALSE(verify_access_token("", *token, now).has_value());
}

TEST_CASE("gate order: host before IP before CSRF before access") {
  auto rules = rules_for({{"ALLOWED_HOSTS", "ok.example"}, {"IP_ALLOWLIST", "10.0.0.1"}, {"ACCESS_KEY", "k"}});
  auto req = make_request("POST", "/api/x", "bad.example");
  REQUIRE(status_of(run_gate(rules, req, now)) == 400);
  req.headers.set("Host", "ok.example");
  REQUIRE(status_of(run_gate(rules, req, now)) == 403);
}

TEST_CASE("bad ALLOWED_HOSTS and PUBLIC_ORIGIN are startup errors") {
  REQUIRE_FALSE(gate_rules::compile(make_config({{"PUBLIC_ORIGIN", "ftp://x"}})).has_value());
  REQUIRE_FALSE(gate_rules::compile(make_config({{"ALLOWED_HOSTS", "user@host"}})).has_value());
  REQUIRE_FALSE(gate_rules::compile(make_config({{"PUBLIC_ORIGIN", "https://x.example/path"}})).has_value());
}

TEST_CASE("host values are validated") {
  REQUIRE(normalise_host("Example.COM") == "example.com");
  REQUIRE(normalise_host("[::1]:9090") == "[::1]:9090");
  REQUIRE_FALSE(normalise_host("").has_value());
  REQUIRE_FALSE(normalise_host("user@host").has_value());
  REQUIRE_FALSE(normalise_host("host/path").has_value());
  REQUIRE_FALSE(normalise_host("host?q").has_value());
  REQUIRE_FALSE(normalise_host("host:99999").has_value());
}
