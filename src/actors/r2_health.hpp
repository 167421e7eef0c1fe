#pragma once
// r2_health: the "Test R2" probe of spec/API.md §11.2 (POST /api/settings/r2/health).
// One short-lived actor per request: it runs the checks in order through
// upstream_pool (configuration, client, head_bucket, list_prefix, write_probe,
// delete_probe), stops at the first error, answers the report once and quits.
// The probe object it writes is removed again; a failed removal is a warning.

#include <string>
#include <vector>

#include "actors/upstream_pool.hpp"
#include "core/net_guard.hpp"
#include "store/global_settings.hpp"

namespace panel::actors {

/// One line of the report.
struct r2_check {
  std::string name;    ///< configuration, client, head_bucket, list_prefix, write_probe, delete_probe
  std::string status;  ///< ok, warning or error
  std::string message;
};

/// `{"status": <most severe>, "checks": [{"name","status","message"}, ...]}`
/// ("ok" when there are no checks).
[[nodiscard]] std::string r2_health_json(std::vector<r2_check> const& checks);

/// (r2_probe_atom) -> the report JSON. Answers once, then quits.
using r2_health_actor = caf::typed_actor<caf::replies_to<r2_probe_atom>::with<std::string>>;

/// How long one S3 request of the probe may take.
inline constexpr std::int64_t r2_health_request_timeout_ms = 20'000;

/// Spawns the probe for `settings` (the draft already merged over the saved
/// settings). Ask it once with a timeout above 4 x r2_health_request_timeout_ms.
[[nodiscard]] r2_health_actor spawn_r2_health(caf::actor_system& sys, upstream_pool_actor pool,
                                              store::r2_settings settings, core::net_policy policy);

} // namespace panel::actors
