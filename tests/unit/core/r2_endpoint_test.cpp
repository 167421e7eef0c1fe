#include "core/r2_endpoint.hpp"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

using panel::errc;
using panel::core::normalise_r2_endpoint;
using panel::core::normalise_r2_key_prefix;
using panel::core::r2_host_allowed;

namespace {

std::vector<std::string> const none;

std::string refusal(std::string_view text, std::vector<std::string> const& allow = none,
                    std::vector<std::string> const& unblocked = none) {
  auto r = normalise_r2_endpoint(text, allow, unblocked);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == errc::validation);
  return r.error().message;
}

} // namespace

TEST_CASE("R2 endpoint: blank means not configured", "[core][r2_endpoint]") {
  CHECK(normalise_r2_endpoint("", none) == std::string{});
  CHECK(normalise_r2_endpoint("   ", none) == std::string{});
}

TEST_CASE("R2 endpoint: Cloudflare hosts are normalised", "[core][r2_endpoint]") {
  CHECK(normalise_r2_endpoint(" https://ACCOUNT.r2.cloudflarestorage.com/ ", none) ==
        std::string{"https://account.r2.cloudflarestorage.com"});
  CHECK(normalise_r2_endpoint("https://abc123.r2.cloudflarestorage.com", none) ==
        std::string{"https://abc123.r2.cloudflarestorage.com"});
  CHECK(normalise_r2_endpoint("https://abc.r2.cloudflarestorage.com:8443", none) ==
        std::string{"https://abc.r2.cloudflarestorage.com:8443"});
  CHECK(normalise_r2_endpoint("https://abc.r2.cloudflarestorage.com.", none) ==
        std::string{"https://abc.r2.cloudflarestorage.com"});
}

TEST_CASE("R2 endpoint: the rules of §11.1, in order", "[core][r2_endpoint]") {
  CHECK(refusal("http://abc.r2.cloudflarestorage.com") == "R2 endpoint URL must use https://");
  CHECK(refusal("abc.r2.cloudflarestorage.com") == "R2 endpoint URL must use https://");
  CHECK(refusal("https://") == "R2 endpoint URL must include a hostname");
  CHECK(refusal("https://abc.r2.cloudflarestorage.com:99999") == "R2 endpoint URL must include a valid port");
  CHECK(refusal("https://u:p@abc.r2.cloudflarestorage.com") ==
        "R2 endpoint URL must not include username or password");
  CHECK(refusal("https://abc.r2.cloudflarestorage.com?x=1") ==
        "R2 endpoint URL must not include query strings or fragments");
  CHECK(refusal("https://abc.r2.cloudflarestorage.com#f") ==
        "R2 endpoint URL must not include query strings or fragments");
  CHECK(refusal("https://abc.r2.cloudflarestorage.com/bucket") == "R2 endpoint URL must not include a path");
  CHECK(refusal("https://localhost", {"localhost"}) == "R2 endpoint hostname 'localhost' is not allowed");
  CHECK(refusal("https://metadata.google.internal") ==
        "R2 endpoint hostname 'metadata.google.internal' is not allowed");
  CHECK(refusal("https://127.0.0.1", {"127.0.0.1"}) == "R2 endpoint URL must use a hostname, not an IP address");
  CHECK(refusal("https://[::1]:9000") == "R2 endpoint URL must use a hostname, not an IP address");
  CHECK(refusal("https://s3.example.com") ==
        "R2 endpoint hostname 's3.example.com' must be a Cloudflare R2 hostname (*.r2.cloudflarestorage.com) "
        "or be listed in R2_ENDPOINT_HOST_ALLOWLIST. Allowed: none");
  CHECK(refusal("https://s3.example.com", {"minio.local", "b2.example"}).ends_with("Allowed: minio.local, b2.example"));
  // Exactly one label in front of the Cloudflare suffix.
  CHECK(refusal("https://a.b.r2.cloudflarestorage.com").starts_with("R2 endpoint hostname 'a.b.r2"));
  CHECK(refusal("https://r2.cloudflarestorage.com").starts_with("R2 endpoint hostname"));
}

TEST_CASE("R2 endpoint: the host allowlist, exact and wildcard", "[core][r2_endpoint]") {
  CHECK(normalise_r2_endpoint("https://minio.example.com:9000/", {"minio.example.com"}) ==
        std::string{"https://minio.example.com:9000"});
  CHECK(normalise_r2_endpoint("https://eu.s3.example.com", {"*.s3.example.com"}) ==
        std::string{"https://eu.s3.example.com"});
  CHECK(refusal("https://s3.example.com", {"*.s3.example.com"}).starts_with("R2 endpoint hostname 's3.example.com'"));
  CHECK(refusal("https://evils3.example.com", {"*.s3.example.com"}).starts_with("R2 endpoint hostname"));
  CHECK(r2_host_allowed("x.r2.cloudflarestorage.com", none));
  CHECK_FALSE(r2_host_allowed("x.example.com", {"example.com"}));
  CHECK(r2_host_allowed("a.b.example.com", {"*.example.com"}));
}

TEST_CASE("R2 endpoint: PRIVATE_NETWORK_ALLOWLIST hostnames lift only the blocked-name rule",
          "[core][r2_endpoint]") {
  CHECK(normalise_r2_endpoint("https://localhost:9000", {"localhost"}, {"localhost"}) ==
        std::string{"https://localhost:9000"});
  // Unblocked but not in the R2 allowlist: still refused.
  CHECK(refusal("https://localhost:9000", none, {"localhost"}).starts_with("R2 endpoint hostname 'localhost' must be"));
}

TEST_CASE("R2 key prefix normalisation", "[core][r2_endpoint]") {
  CHECK(normalise_r2_key_prefix("gallery-test") == "gallery-test/");
  CHECK(normalise_r2_key_prefix("gallery/") == "gallery/");
  CHECK(normalise_r2_key_prefix("/a//b/") == "a/b/");
  CHECK(normalise_r2_key_prefix("  a/b  ") == "a/b/");
  CHECK(normalise_r2_key_prefix("a/ /b") == "a/b/");
  CHECK(normalise_r2_key_prefix("") == "");
  CHECK(normalise_r2_key_prefix("   ") == "");
  CHECK(normalise_r2_key_prefix("///") == "");
}
