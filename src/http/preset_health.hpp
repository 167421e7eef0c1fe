#pragma once
// The preset health check of spec/API.md §3.3 and §6.9, pure parts: the local
// checks (api_path, api_url, api_key), the target URL and key for the probe,
// the overall status and the response JSON. DNS (the `ssrf` check) and the
// OPTIONS/HEAD probe are the handler's (blocking / through upstream_pool).

#include <optional>
#include <string>
#include <vector>

#include "store/presets_repo.hpp"
#include "upstream/probe.hpp"

namespace panel::http {

/// What the local checks found for one saved preset.
struct preset_health_plan {
  upstream::health_check api_path;                   ///< ok or error, always present
  std::optional<upstream::health_check> api_url;     ///< only on failure
  upstream::health_check api_key;                    ///< ok or error
  std::string target_url; ///< the joined URL to check and probe; "" when path or URL failed
  std::string bearer;     ///< the resolved key for `Authorization: Bearer`; "" = send none
};

/// Runs the local checks on `p`. The key is resolved from the environment now;
/// with `use_credentials` false it is checked but not sent.
[[nodiscard]] preset_health_plan plan_preset_health(store::preset const& p, bool use_credentials);

/// The `ssrf` check for a validation outcome: ok with the §3.3 text, or the
/// validator's message as an error.
[[nodiscard]] upstream::health_check ssrf_check(std::optional<std::string> const& failure);

/// The warning `upstream_probe` check used when the probe is not sent.
[[nodiscard]] upstream::health_check skipped_probe_check();

/// The checks in response order: api_path, api_url (if any), ssrf (if any),
/// api_key, then `probe`.
[[nodiscard]] std::vector<upstream::health_check> ordered_checks(preset_health_plan const& plan,
                                                                 std::optional<upstream::health_check> const& ssrf,
                                                                 upstream::health_check const& probe);

/// The most severe status among every check except upstream_probe; ok when none.
[[nodiscard]] upstream::check_status overall_status(std::vector<upstream::health_check> const& checks);

/// `{"status": ..., "checks": [{"name","status","message"}, ...]}`.
[[nodiscard]] std::string health_response_json(std::vector<upstream::health_check> const& checks);

} // namespace panel::http
