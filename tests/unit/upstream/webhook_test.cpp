#include "upstream/webhook.hpp"

#include <string>

#include <catch2/catch.hpp>

using panel::upstream::build_webhook_body;
using panel::upstream::webhook_headers;
using panel::upstream::webhook_job_keys;
using panel::upstream::webhook_retry_delay;
using panel::upstream::webhook_signature;
using panel::upstream::webhook_succeeded;

TEST_CASE("webhook body keeps the listed keys, drops nulls and unknown keys", "[upstream][webhook]") {
  std::string const job = R"({
    "job_id": "j1", "status": "success", "stage": "success", "message": null,
    "operation": "generate", "prompt": "一只猫 \"quoted\"", "size": "1024x1024",
    "created_at": "2026-05-18T12:00:00+00:00", "started_at": null,
    "image_width": 1024, "image_height": 1024, "n": 1, "output_compression": null,
    "duration": "3.2s", "error": null, "webhook_url": "https://secret.example/hook",
    "stage_timings": {"queued": 0.5}, "images": [{"image_id": "i1"}],
    "image_id": "i1", "image_url": "/api/image/i1.png", "ratio": 0.25
  })";
  auto body = build_webhook_body(job, "2026-05-18T12:00:05+00:00");
  REQUIRE(body.has_value());
  CHECK(*body ==
        "{\"job_id\":\"j1\",\"status\":\"success\",\"stage\":\"success\",\"operation\":\"generate\","
        "\"image_id\":\"i1\",\"image_url\":\"/api/image/i1.png\",\"prompt\":\"一只猫 \\\"quoted\\\"\","
        "\"size\":\"1024x1024\",\"created_at\":\"2026-05-18T12:00:00+00:00\",\"image_width\":1024,"
        "\"image_height\":1024,\"n\":1,\"duration\":\"3.2s\",\"event\":\"image.job.finished\","
        "\"delivered_at\":\"2026-05-18T12:00:05+00:00\"}");
  CHECK(body->find("webhook_url") == std::string::npos);
  CHECK(body->find("stage_timings") == std::string::npos);
  CHECK(body->find("null") == std::string::npos);
}

TEST_CASE("webhook body carries nested error values and every listed key", "[upstream][webhook]") {
  std::string job{"{"};
  bool first = true;
  for (auto const key : webhook_job_keys()) {
    if (!first) {
      job += ',';
    }
    first = false;
    job += '"';
    job += key;
    job += "\":\"v\"";
  }
  job += '}';
  auto body = build_webhook_body(job, "t");
  REQUIRE(body.has_value());
  for (auto const key : webhook_job_keys()) {
    INFO(key);
    CHECK(body->find("\"" + std::string{key} + "\":\"v\"") != std::string::npos);
  }
  CHECK(webhook_job_keys().size() == 26);

  auto nested = build_webhook_body(R"({"error":{"code":"x","list":[1,-2,1.5,true,null]}})", "t");
  REQUIRE(nested.has_value());
  CHECK(*nested ==
        R"({"error":{"code":"x","list":[1,-2,1.5,true,null]},"event":"image.job.finished","delivered_at":"t"})");
}

TEST_CASE("webhook body refuses a non-object", "[upstream][webhook]") {
  CHECK_FALSE(build_webhook_body("[1]", "t").has_value());
  CHECK_FALSE(build_webhook_body("{broken", "t").has_value());
  CHECK(build_webhook_body("{broken", "t").error().code == panel::errc::internal);
}

TEST_CASE("webhook signature matches an independent HMAC", "[upstream][webhook]") {
  // python3: hmac.new(b'whsec-test', b'1700000000.{"job_id":"j1","event":"image.job.finished"}',
  //                   hashlib.sha256).hexdigest()
  CHECK(webhook_signature("whsec-test", 1700000000, R"({"job_id":"j1","event":"image.job.finished"})") ==
        "sha256=f363987b612d0f61940917b1c47c15a1c90af895ccf236416f0db6431c32edd7");
  // UTF-8 key and body bytes.
  CHECK(webhook_signature("秘密", 1747569601, R"({"prompt":"猫"})") ==
        "sha256=af6bbee504e9f92416e4a4f11964560dc8f60497003f087baf1334e84e5c5e06");
}

TEST_CASE("webhook headers, backoff and success", "[upstream][webhook]") {
  auto headers = webhook_headers("job\r\n-1", 1700000000, "sha256=ab");
  REQUIRE(headers.size() == 5);
  CHECK(headers[0] == "User-Agent: gpt-image-panel-webhook");
  CHECK(headers[1] == "X-Webhook-Event: image.job.finished");
  CHECK(headers[2] == "X-Webhook-Job-Id: job-1");
  CHECK(headers[3] == "X-Webhook-Timestamp: 1700000000");
  CHECK(headers[4] == "X-Webhook-Signature: sha256=ab");

  CHECK(webhook_retry_delay(1).count() == 1);
  CHECK(webhook_retry_delay(2).count() == 2);
  CHECK(webhook_retry_delay(3).count() == 4);
  CHECK(webhook_retry_delay(4).count() == 4);
  CHECK(webhook_retry_delay(10).count() == 4);

  CHECK(webhook_succeeded(200));
  CHECK(webhook_succeeded(204));
  CHECK(webhook_succeeded(299));
  CHECK_FALSE(webhook_succeeded(199));
  CHECK_FALSE(webhook_succeeded(301));
  CHECK_FALSE(webhook_succeeded(500));
}
