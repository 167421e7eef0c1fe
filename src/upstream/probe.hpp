#pragma once
// The preset health probe's verdicts (spec/API.md §6.9): how an OPTIONS or
// HEAD answer, or a failed attempt, becomes the `upstream_probe` check.
// Sending the requests is the caller's; this is the pure part.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace panel::upstream {

/// Severity of one health check, ordered ok < warning < error.
enum class check_status { ok, warning, error };

/// "ok", "warning" or "error", as the JSON carries it.
[[nodiscard]] std::string_view to_string(check_status s);

/// One entry of a health response's `checks` array.
struct health_check {
  std::string name;
  check_status status = check_status::ok;
  std::string message;

  friend bool operator==(const health_check&, const health_check&) = default;
};

/// How one probe answer reads.
struct probe_verdict {
  check_status status = check_status::ok;
  std::string message;
  bool try_next = false; ///< inconclusive: ask with the next method, keep this if nothing better
};

/// Classifies the answer `http_status` to `method` ("OPTIONS", "HEAD") per the
/// §6.9 table, with the recommended rule that OPTIONS 404/410 is a warning
/// ("upstream may only support POST") and, like 405/501, moves on to the next method.
[[nodiscard]] probe_verdict classify_probe_response(std::string_view method, int http_status);

/// One probe request as it went: an HTTP status, or a transport failure text.
struct probe_attempt {
  std::string method;
  std::optional<int> http_status; ///< set when an answer came back
  std::string failure;            ///< otherwise what went wrong (never with a secret)
};

/// The `upstream_probe` check for attempts made in order (OPTIONS, then HEAD):
/// the first conclusive verdict wins; after an inconclusive one, a 404/410
/// from the next method adds nothing and the earlier verdict stands; with no
/// conclusive verdict the first inconclusive one is kept; with no answer at all,
/// error "Upstream probe failed: OPTIONS: <e>; HEAD: <e>".
[[nodiscard]] health_check summarize_probe(const std::vector<probe_attempt>& attempts);

/// Name of the probe's check in the health response.
inline constexpr std::string_view probe_check_name = "upstream_probe";

} // namespace panel::upstream
