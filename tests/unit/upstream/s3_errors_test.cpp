#include <catch2/catch.hpp>

#include "upstream/s3_errors.hpp"

using namespace panel::upstream;

TEST_CASE("S3 XML errors become '<Code> (HTTP <status>): <Message> <hint>'") {
  auto const body = "<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does "
                    "not match the signature you provided. Check your key and signing method.</Message></Error>";
  REQUIRE(s3_error_message(403, body) ==
          "SignatureDoesNotMatch (HTTP 403): The request signature we calculated does not match the signature you "
          "provided. Check your key and signing method. Check the secret access key and the region.");
  REQUIRE(s3_error_message(403, "<Error><Code>InvalidAccessKeyId</Code><Message>The AWS Access Key Id you provided "
                                "does not exist in our records.</Message></Error>") ==
          "InvalidAccessKeyId (HTTP 403): The AWS Access Key Id you provided does not exist in our records. Check "
          "the access key ID.");
  REQUIRE(s3_error_message(404, "<Error><Code>NoSuchBucket</Code></Error>") ==
          "NoSuchBucket (HTTP 404): Check the bucket name.");
  REQUIRE(s3_error_message(500, "<Error><Code>Weird</Code><Message>odd</Message></Error>") ==
          "Weird (HTTP 500): odd");
}

TEST_CASE("S3 answers without a readable body get a sentence by status") {
  REQUIRE(s3_error_message(403, "") ==
          "Access denied (HTTP 403): check the access key ID, the secret access key and their permissions for this "
          "bucket");
  REQUIRE(s3_error_message(404, "") == "Not found (HTTP 404): check the bucket name");
  REQUIRE(s3_error_message(301, "") ==
          "Redirected (HTTP 301): the bucket is served by another endpoint or region");
  REQUIRE(s3_error_message(400, "") == "Bad request (HTTP 400): check the region and the bucket name");
  REQUIRE(s3_error_message(503, "") == "Server error (HTTP 503)");
  REQUIRE(s3_error_message(502, "  upstream connect error \n") == "Server error (HTTP 502): upstream connect error");
  REQUIRE(s3_error_message(502, "<html>bad gateway</html>") == "Server error (HTTP 502)");
  REQUIRE(s3_error_message(418, "") == "Unexpected answer (HTTP 418)");
}

TEST_CASE("S3 error messages never repeat a credential and stay short") {
  auto const body = "<Error><Code>AccessDenied</Code><Message>key AKIAEXAMPLE1234 secret s3cr3t-value "
                    "denied</Message></Error>";
  auto const msg = s3_error_message(403, body, {"AKIAEXAMPLE1234", "s3cr3t-value"});
  REQUIRE(msg.find("AKIAEXAMPLE1234") == std::string::npos);
  REQUIRE(msg.find("s3cr3t-value") == std::string::npos);
  REQUIRE(msg == "AccessDenied (HTTP 403): key *** secret *** denied Check that the credentials may use this bucket "
                 "and key prefix.");
  auto const long_body = "<Error><Code>X</Code><Message>" + std::string(1000, 'm') + "</Message></Error>";
  REQUIRE(s3_error_message(500, long_body) == "X (HTTP 500): " + std::string(300, 'm'));
  REQUIRE(s3_error_hint("RequestTimeTooSkewed") == "Check this machine's clock.");
  REQUIRE(s3_error_hint("Unknown").empty());
}
