#include <catch2/catch.hpp>

#include "http/static_site.hpp"

using namespace panel::http;

TEST_CASE("nonce goes first into every script tag without one") {
  auto const html = std::string{R"(<html><SCRIPT type="module">a</SCRIPT><script nonce="x">b</script><scripts></scripts>)"};
  auto const out = inject_nonce(html, "N");
  REQUIRE(out == R"(<html><SCRIPT nonce="N" type="module">a</SCRIPT><script nonce="x">b</script><scripts></scripts>)");
  REQUIRE(inject_nonce("<script>x</script>", "Q") == R"(<script nonce="Q">x</script>)");
}

TEST_CASE("CSP with nonce keeps unsafe-inline out of script-src-elem") {
  auto const csp = csp_with_nonce("abc");
  REQUIRE(csp.find("script-src 'self' 'nonce-abc'") != std::string::npos);
  REQUIRE(csp.find("script-src-elem 'self' 'nonce-abc'") != std::string::npos);
  REQUIRE(csp.find("script-src-attr 'none'") != std::string::npos);
  REQUIRE(csp.find("style-src-attr 'unsafe-inline'") != std::string::npos);
  auto const elem = csp.substr(csp.find("script-src-elem"));
  REQUIRE(elem.substr(0, elem.find(';')).find("unsafe-inline") == std::string::npos);
  REQUIRE(default_csp().find("nonce") == std::string::npos);
}

TEST_CASE("content types by extension") {
  REQUIRE(content_type_for("a.JS") == "text/javascript; charset=utf-8");
  REQUIRE(content_type_for("x.webp") == "image/webp");
  REQUIRE(content_type_for("noext") == "application/octet-stream");
}

TEST_CASE("missing build: index is 500, assets 404") {
  static_site site{"/nonexistent/build/dir"};
  auto r = site.index();
  REQUIRE(r.status == 500);
  REQUIRE(r.body.find("Frontend build not found") != std::string::npos);
  REQUIRE(site.serve("/_app/immutable/x.js").status == 404);
  REQUIRE(site.serve("/api/x").status == 404);
}
