#include <catch2/catch.hpp>

#include "core/url.hpp"

using panel::core::parse_url;
using panel::core::resolve_reference;
using panel::core::url;

namespace {

url parsed(char const* text) {
  auto u = parse_url(text);
  INFO(text);
  REQUIRE(u.has_value());
  return *u;
}

std::string parse_error(char const* text) {
  auto u = parse_url(text);
  INFO(text);
  REQUIRE_FALSE(u.has_value());
  CHECK(u.error().code == panel::errc::validation);
  return u.error().message;
}

std::string resolved(char const* base, char const* reference) {
  auto u = resolve_reference(parsed(base), reference);
  INFO(base << " + " << reference);
  REQUIRE(u.has_value());
  return u->to_string();
}

std::string resolve_error(char const* base, char const* reference) {
  auto u = resolve_reference(parsed(base), reference);
  INFO(base << " + " << reference);
  REQUIRE_FALSE(u.has_value());
  return u.error().message;
}

} // namespace

TEST_CASE("parse_url splits every part", "[core][url]") {
  auto const u = parsed("HTTPS://user:pw@API.Example.COM:8443/v1/images?x=1&y=2#frag");
  CHECK(u.scheme == "https");
  REQUIRE(u.userinfo.has_value());
  CHECK(*u.userinfo == "user:pw");
  CHECK(u.host == "api.example.com");
  CHECK_FALSE(u.host_is_ipv6);
  REQUIRE(u.port.has_value());
  CHECK(*u.port == 8443);
  CHECK(u.path == "/v1/images");
  REQUIRE(u.query.has_value());
  CHECK(*u.query == "x=1&y=2");
  REQUIRE(u.fragment.has_value());
  CHECK(*u.fragment == "frag");
  CHECK(u.effective_port() == 8443);
  CHECK(u.to_string() == "https://user:pw@api.example.com:8443/v1/images?x=1&y=2#frag");
  CHECK(u.request_url() == "https://user:pw@api.example.com:8443/v1/images?x=1&y=2");
}

TEST_CASE("parse_url keeps absent and empty parts apart", "[core][url]") {
  auto const bare = parsed("https://example.com");
  CHECK(bare.path.empty());
  CHECK_FALSE(bare.userinfo.has_value());
  CHECK_FALSE(bare.port.has_value());
  CHECK_FALSE(bare.query.has_value());
  CHECK_FALSE(bare.fragment.has_value());
  CHECK(bare.effective_port() == 443);
  CHECK(parsed("http://example.com/").effective_port() == 80);

  auto const empties = parsed("https://@example.com:/p?#");
  REQUIRE(empties.userinfo.has_value());
  CHECK(empties.userinfo->empty());
  CHECK_FALSE(empties.port.has_value());
  REQUIRE(empties.query.has_value());
  CHECK(empties.query->empty());
  REQUIRE(empties.fragment.has_value());
  CHECK(empties.fragment->empty());
}

TEST_CASE("parse_url normalises the host", "[core][url]") {
  CHECK(parsed("https://Example.COM./x").host == "example.com");
  CHECK(parsed("https://localhost../x").host == "localhost");
  CHECK(parsed("https://under_score.example.com").host == "under_score.example.com");
  // An IDN is kept as written (no punycode conversion here).
  CHECK(parsed("https://b\xc3\xbc" "cher.example/").host == "b\xc3\xbc" "cher.example");
  CHECK(parsed("  https://example.com/trimmed \n").path == "/trimmed");
}

TEST_CASE("parse_url reads bracketed IPv6 literals", "[core][url]") {
  auto const u = parsed("https://[2001:DB8::1]:8443/p");
  CHECK(u.host == "2001:db8::1");
  CHECK(u.host_is_ipv6);
  CHECK(*u.port == 8443);
  CHECK(u.host_for_url() == "[2001:db8::1]");
  CHECK(u.host_and_port() == "[2001:db8::1]:8443");
  CHECK(u.to_string() == "https://[2001:db8::1]:8443/p");
  CHECK(parsed("https://[::ffff:127.0.0.1]/").host == "::ffff:127.0.0.1");
}

TEST_CASE("parse_url accepts canonical IPv4 hosts only", "[core][url]") {
  CHECK(parsed("https://127.0.0.1:8443/").host == "127.0.0.1");
  CHECK(parsed("https://93.184.216.34").host == "93.184.216.34");
  // Forms that getaddrinfo, curl and browsers read differently are refused.
  for (char const* bad : {"https://2130706433/", "https://0x7f.1/", "https://0x7f000001/", "https://127.1/",
                          "https://010.0.0.1/", "https://1.2.3.256/", "https://example.123/", "https://a.0x1f/"}) {
    CHECK(parse_error(bad) == "Invalid URL: invalid IPv4 address");
  }
  // A hex-looking label that is not the last one is an ordinary name.
  CHECK(parsed("https://0x10.example.com/").host == "0x10.example.com");
}

TEST_CASE("parse_url reports a missing host as 'no hostname'", "[core][url]") {
  for (char const* bad : {"https://", "https:///path", "https://:443/", "https://user@/", "https:example.com",
                          "https://./", "https://?q"}) {
    CHECK(parse_error(bad) == "Invalid URL: no hostname");
  }
}

TEST_CASE("parse_url refuses ambiguous or malformed input", "[core][url]") {
  CHECK(parse_error("example.com/path") == "Invalid URL: missing scheme");
  CHECK(parse_error("//example.com/path") == "Invalid URL: missing scheme");
  CHECK(parse_error("1https://example.com") == "Invalid URL: missing scheme");
  for (char const* bad : {"https://exa mple.com/", "https://example.com/a b", "https://example.com\\@evil.com/",
                          "https://example.com/\x01", "https://example.com/\x7f"}) {
    CHECK(parse_error(bad) == "Invalid URL: invalid character");
  }
  CHECK(parse_error("https://a@b@example.com/") == "Invalid URL: invalid userinfo");
  for (char const* bad : {"https://example.com:0/", "https://example.com:65536/", "https://example.com:8o/",
                          "https://example.com:-1/", "https://example.com:1:2/", "https://example.com:000443/",
                          "https://[::1]x/"}) {
    CHECK(parse_error(bad) == "Invalid URL: invalid port");
  }
  for (char const* bad : {"https://ex%61mple.com/", "https://exa*mple.com/", "https://a..b/", "https://.a.b/"}) {
    CHECK(parse_error(bad) == "Invalid URL: invalid hostname");
  }
  for (char const* bad : {"https://[::1/", "https://[1.2.3.4]/", "https://[fe80::1%25eth0]/", "https://[zz::1]/"}) {
    INFO(bad);
    CHECK(parse_url(bad).has_value() == false);
  }
}

TEST_CASE("url_scheme_of reads the scheme the way urlsplit does", "[core][url]") {
  using panel::core::url_scheme_of;
  CHECK(url_scheme_of("HTTPS://x") == "https");
  CHECK(url_scheme_of("  http://x") == "http");
  CHECK(url_scheme_of("localhost:8080") == "localhost");
  CHECK(url_scheme_of("/relative").empty());
  CHECK(url_scheme_of("1abc:x").empty());
  CHECK(url_scheme_of("no-colon").empty());
}

TEST_CASE("resolve_reference follows RFC 3986 section 5.4", "[core][url]") {
  // The normal and abnormal examples of RFC 3986 §5.4, on an https base.
  char const* base = "https://a/b/c/d;p?q";
  CHECK(resolved(base, "g") == "https://a/b/c/g");
  CHECK(resolved(base, "./g") == "https://a/b/c/g");
  CHECK(resolved(base, "g/") == "https://a/b/c/g/");
  CHECK(resolved(base, "/g") == "https://a/g");
  CHECK(resolved(base, "//g") == "https://g");
  CHECK(resolved(base, "?y") == "https://a/b/c/d;p?y");
  CHECK(resolved(base, "g?y") == "https://a/b/c/g?y");
  CHECK(resolved(base, "#s") == "https://a/b/c/d;p?q#s");
  CHECK(resolved(base, "g#s") == "https://a/b/c/g#s");
  CHECK(resolved(base, ";x") == "https://a/b/c/;x");
  CHECK(resolved(base, "") == "https://a/b/c/d;p?q");
  CHECK(resolved(base, ".") == "https://a/b/c/");
  CHECK(resolved(base, "./") == "https://a/b/c/");
  CHECK(resolved(base, "..") == "https://a/b/");
  CHECK(resolved(base, "../g") == "https://a/b/g");
  CHECK(resolved(base, "../..") == "https://a/");
  CHECK(resolved(base, "../../g") == "https://a/g");
  CHECK(resolved(base, "../../../g") == "https://a/g");
  CHECK(resolved(base, "/./g") == "https://a/g");
  CHECK(resolved(base, "/../g") == "https://a/g");
  CHECK(resolved(base, "g.") == "https://a/b/c/g.");
  CHECK(resolved(base, "..g") == "https://a/b/c/..g");
  CHECK(resolved(base, "./g/.") == "https://a/b/c/g/");
  CHECK(resolved(base, "g/../h") == "https://a/b/c/h");
  CHECK(resolved(base, "g;x=1/../y") == "https://a/b/c/y");
}

TEST_CASE("resolve_reference handles redirect Locations", "[core][url]") {
  char const* base = "https://cdn.example.com:8443/img/a.png?sig=1";
  CHECK(resolved(base, "https://other.example.com/x.png") == "https://other.example.com/x.png");
  CHECK(resolved(base, "http://127.0.0.1/secret") == "http://127.0.0.1/secret");
  CHECK(resolved(base, "//mirror.example.com/b.png") == "https://mirror.example.com/b.png");
  CHECK(resolved(base, "/b.png") == "https://cdn.example.com:8443/b.png");
  CHECK(resolved(base, "b.png") == "https://cdn.example.com:8443/img/b.png");
  CHECK(resolved(base, "  b.png\r\n") == "https://cdn.example.com:8443/img/b.png");
  CHECK(resolved("https://example.com", "b.png") == "https://example.com/b.png");
  // The result obeys the same strict rules as any URL.
  CHECK(resolve_error(base, "//2130706433/") == "Invalid URL: invalid IPv4 address");
  CHECK(resolve_error(base, "/a b") == "Invalid URL: invalid character");
  CHECK(resolve_error(base, "\\\\evil.com/") == "Invalid URL: invalid character");
}
