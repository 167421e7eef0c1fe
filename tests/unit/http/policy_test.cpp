#include <catch2/catch.hpp>

#include "core/config.hpp"
#include "http/errors.hpp"
#include "http/policy.hpp"

using namespace panel;
using namespace panel::http;

namespace {
core::config defaults() {
  auto c = core::load_config({});
  REQUIRE(c.has_value());
  return *c;
}
} // namespace

TEST_CASE("body limits per route and content type (§1.5)") {
  auto cfg = defaults();
  constexpr std::uint64_t mib = 1024 * 1024;
  REQUIRE(body_limit(cfg, "/api/generate", "application/json") == mib);
  REQUIRE(body_limit(cfg, "/api/x", "application/merge-patch+json; charset=utf-8") == mib);
  REQUIRE(body_limit(cfg, "/api/import", "multipart/form-data; boundary=x") == 1000 * mib + 64 * 1024);
  REQUIRE(body_limit(cfg, "/api/edits", "multipart/form-data; boundary=x") == (16 * 50 + 1) * mib);
  REQUIRE(body_limit(cfg, "/api/edits/from-gallery/x", "application/json") == mib);
  REQUIRE(body_limit(cfg, "/api/other", "text/plain") == 50 * mib);
  cfg.import_archive_max_mb = 0;
  REQUIRE(body_limit(cfg, "/api/import", "multipart/form-data") == 0);
}

TEST_CASE("global headers (§1.6)") {
  response ok = response::json(200, "{}");
  apply_global_headers(ok, "/api/version");
  REQUIRE(ok.headers.get("Cache-Control") == "private, no-store");
  REQUIRE(ok.headers.get("Vary") == "Cookie");
  REQUIRE(ok.headers.get("X-Content-Type-Options") == "nosniff");
  REQUIRE(ok.headers.get("Referrer-Policy") == "same-origin");
  REQUIRE(ok.headers.has("Content-Security-Policy"));

  response image;
  image.headers.set("Cache-Control", "public, max-age=31536000");
  apply_global_headers(image, "/api/image/x.png");
  REQUIRE(image.headers.get("Cache-Control") == "public, max-age=31536000");

  response failed = error_response(404, "Not found");
  failed.headers.set("Cache-Control", "public");
  apply_global_headers(failed, "/_app/x.js");
  REQUIRE(failed.headers.get("Cache-Control") == "private, no-store");

  response index;
  index.headers.set("Content-Security-Policy", "custom");
  apply_global_headers(index, "/");
  REQUIRE(index.headers.get("Cache-Control") == "no-cache");
  REQUIRE(index.headers.get("Content-Security-Policy") == "custom");
}

TEST_CASE("error mapping: one status per category, detail always a string") {
  REQUIRE(status_of(errc::validation) == 422);
  REQUIRE(status_of(errc::rate_limited) == 429);
  REQUIRE(status_of(errc::upstream_timeout) == 504);
  auto r = error_response(error{errc::validation, "size - bad"});
  REQUIRE(r.status == 422);
  REQUIRE(r.body.find(R"("detail":"size - bad")") != std::string::npos);
  REQUIRE(r.body.find(R"("error_code":"validation_error")") != std::string::npos);
  REQUIRE(r.headers.get("X-Correlation-ID").value().size() == 32);
  auto internal = error_response(error{errc::internal, "sqlite said something secret"});
  REQUIRE(internal.status == 500);
  REQUIRE(internal.body.find("secret") == std::string::npos);
  REQUIRE(internal.body.find("Internal Server Error") != std::string::npos);
}
