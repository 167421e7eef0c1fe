#include <catch2/catch.hpp>

#include <cstdlib>

#include "actors/r2_config.hpp"

using namespace panel::actors;

namespace {

panel::store::r2_settings complete() {
  panel::store::r2_settings s;
  s.enabled = true;
  s.endpoint_url = "https://acct.r2.cloudflarestorage.com";
  s.bucket_name = "photos";
  s.key_prefix = "gallery/";
  s.access_key_id = "${H7_TEST_R2_KEY}";
  s.secret_access_key = "${H7_TEST_R2_SECRET}";
  return s;
}

std::string config_error(panel::store::r2_settings const& s) {
  auto r = check_r2_configuration(s);
  REQUIRE_FALSE(r);
  REQUIRE(r.error().code == panel::errc::bad_request);
  return r.error().message;
}

} // namespace

TEST_CASE("R2 configuration check: the first problem wins, in the spec's order and words") {
  ::setenv("H7_TEST_R2_KEY", "key-id", 1);
  ::setenv("H7_TEST_R2_SECRET", "secret-value", 1);
  ::unsetenv("H7_TEST_R2_UNSET");
  auto s = complete();
  REQUIRE(check_r2_configuration(s));
  s.enabled = false;
  s.endpoint_url = "";
  REQUIRE(config_error(s) == "R2 backup is disabled.");
  s.enabled = true;
  REQUIRE(config_error(s) == "R2 endpoint URL is not configured.");
  s = complete();
  s.bucket_name = "  ";
  REQUIRE(config_error(s) == "R2 bucket name is not configured.");
  s = complete();
  s.access_key_id = "";
  REQUIRE(config_error(s) == "R2 access key ID is not configured.");
  s.access_key_id = "${H7_TEST_R2_UNSET}";
  REQUIRE(config_error(s) == "R2 access key ID environment variable H7_TEST_R2_UNSET is not set or empty.");
  s = complete();
  s.secret_access_key = "";
  REQUIRE(config_error(s) == "R2 secret access key is not configured.");
  s.secret_access_key = "${H7_TEST_R2_UNSET}";
  REQUIRE(config_error(s) == "R2 secret access key environment variable H7_TEST_R2_UNSET is not set or empty.");
}

TEST_CASE("R2 target: resolved credentials, addressing, and client errors") {
  ::setenv("H7_TEST_R2_KEY", "key-id", 1);
  ::setenv("H7_TEST_R2_SECRET", "secret-value", 1);
  panel::core::net_policy policy;
  policy.r2_hosts = {"minio.example.com"};
  auto t = make_r2_target(complete(), policy);
  REQUIRE(t);
  REQUIRE(t->bucket.endpoint == "https://acct.r2.cloudflarestorage.com");
  REQUIRE(t->bucket.addressing == panel::upstream::s3_addressing::path);
  REQUIRE(t->region == "auto");
  REQUIRE(t->access_key_id == "key-id");
  REQUIRE(t->secret_access_key == "secret-value");
  auto const req = t->request(panel::upstream::head_bucket(t->bucket), 1234);
  REQUIRE(req.method == "HEAD");
  REQUIRE(req.url == "https://acct.r2.cloudflarestorage.com/photos");
  REQUIRE(req.region == "auto");
  REQUIRE(req.timeout_ms == 1234);

  auto s = complete();
  s.endpoint_url = "https://evil.example.com";
  auto bad = make_r2_target(s, policy);
  REQUIRE(bad.error().code == panel::errc::bad_request);
  REQUIRE(bad.error().message.starts_with("Failed to create S3 client: R2 endpoint hostname 'evil.example.com'"));
  s.endpoint_url = "https://minio.example.com:9000";
  s.region = "us-east-1";
  s.key_prefix = "//a//b";
  auto minio = make_r2_target(s, policy);
  REQUIRE(minio);
  REQUIRE(minio->bucket.endpoint == "https://minio.example.com:9000");
  REQUIRE(minio->region == "us-east-1");
  REQUIRE(minio->key_prefix == "a/b/");
  s.region = "us east";
  REQUIRE(make_r2_target(s, policy).error().message ==
          "Failed to create S3 client: Invalid region: use only letters, digits, '_' and '-'");
  s.region = "";
  s.bucket_name = "a/b";
  REQUIRE(make_r2_target(s, policy).error().message ==
          "Failed to create S3 client: Invalid bucket name: use only letters, digits, '.', '_' and '-'");
}
