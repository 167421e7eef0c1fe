#pragma once
// Webhook deliveries as pure functions (spec/API.md §10.2): the restricted body,
// the signature and the headers. The sending (retries, backoff) is
// actors/webhook_sender.

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"

namespace panel::upstream {

/// The only event a delivery carries.
inline constexpr std::string_view webhook_event = "image.job.finished";
/// User-Agent of every delivery.
inline constexpr std::string_view webhook_user_agent = "gpt-image-panel-webhook";
/// Most of a receiver's answer that is read (the rest is dropped).
inline constexpr std::uint64_t webhook_max_response_bytes = 64 * 1024;

/// The job keys a body may carry, in the order they are written (§10.2).
[[nodiscard]] std::span<std::string_view const> webhook_job_keys();

/// The body: `job_json` (a GenerateJobStatus object) restricted to
/// webhook_job_keys() in that order, keys whose value is null or absent left out,
/// then "event" and "delivered_at" (`delivered_at_iso`). Compact JSON with UTF-8
/// unescaped. errc::internal when `job_json` is not a JSON object.
[[nodiscard]] expected<std::string> build_webhook_body(std::string_view job_json, std::string_view delivered_at_iso);

/// `sha256=<lower-case hex of HMAC_SHA256(secret, "<timestamp>.<body>")>`.
[[nodiscard]] std::string webhook_signature(std::string_view secret, std::int64_t timestamp, std::string_view body);

/// Content-Type of every delivery body.
inline constexpr std::string_view webhook_content_type = "application/json";

/// The delivery headers besides Content-Type (which travels as the request's
/// content type) as "Name: value" lines: User-Agent, X-Webhook-Event,
/// X-Webhook-Job-Id, X-Webhook-Timestamp, X-Webhook-Signature. Control
/// characters in `job_id` are dropped.
[[nodiscard]] std::vector<std::string> webhook_headers(std::string_view job_id, std::int64_t timestamp,
                                                       std::string_view signature);

/// The pause after failed attempt `attempt` (1-based): min(2^(attempt-1), 4) s.
[[nodiscard]] std::chrono::seconds webhook_retry_delay(int attempt);

/// True for any 2xx status.
[[nodiscard]] constexpr bool webhook_succeeded(std::int32_t status) {
  return status >= 200 && status < 300;
}

} // namespace panel::upstream
