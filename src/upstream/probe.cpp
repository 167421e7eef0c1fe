#include "upstream/probe.hpp"

namespace panel::upstream {

std::string_view to_string(check_status s) {
  switch (s) {
  case check_status::ok: return "ok";
  case check_status::warning: return "warning";
  case check_status::error: return "error";
  }
  return "error";
}

probe_verdict classify_probe_response(std::string_view method, int http_status) {
  const std::string m(method);
  const std::string s = std::to_string(http_status);
  if (http_status == 200 || http_status == 204) {
    return {check_status::ok, m + " probe succeeded with HTTP " + s, false};
  }
  if (http_status == 401 || http_status == 403) {
    return {check_status::ok, m + " probe reached the endpoint and got HTTP " + s, false};
  }
  if (method == "OPTIONS" && (http_status == 404 || http_status == 410)) {
    // Many POST-only APIs answer OPTIONS with 404; the path may still be right.
    return {check_status::warning, m + " probe returned HTTP " + s + "; upstream may only support POST", true};
  }
  if (http_status == 404 || http_status == 410) {
    return {check_status::error, m + " probe returned HTTP " + s + "; check API URL/path", false};
  }
  if (http_status == 405 || http_status == 501) {
    return {check_status::warning, m + " probe is not supported by upstream (HTTP " + s + ")", true};
  }
  if (http_status >= 300 && http_status < 400) {
    return {check_status::error, m + " probe returned redirect HTTP " + s + "; redirects are not followed", false};
  }
  if (http_status >= 500) {
    return {check_status::warning, m + " probe reached upstream but got HTTP " + s, false};
  }
  return {check_status::ok, m + " probe reached upstream with HTTP " + s, false};
}

health_check summarize_probe(const std::vector<probe_attempt>& attempts) {
  std::optional<probe_verdict> fallback;
  std::string failures;
  for (const auto& a : attempts) {
    if (!a.http_status) {
      failures += (failures.empty() ? "" : "; ") + a.method + ": " + a.failure;
      continue;
    }
    auto verdict = classify_probe_response(a.method, *a.http_status);
    if (verdict.try_next) {
      if (!fallback) {
        fallback = std::move(verdict);
      }
      continue;
    }
    const bool not_found = *a.http_status == 404 || *a.http_status == 410;
    if (fallback && not_found) {
      // A POST-only endpoint often refuses HEAD the same way it refused OPTIONS.
      continue;
    }
    return {std::string(probe_check_name), verdict.status, std::move(verdict.message)};
  }
  if (fallback) {
    return {std::string(probe_check_name), fallback->status, std::move(fallback->message)};
  }
  return {std::string(probe_check_name), check_status::error, "Upstream probe failed: " + failures};
}

} // namespace panel::upstream
