#pragma once
// R2 settings made usable (spec/API.md §3.11, §11.2): the configuration check
// with the original's messages, then the "client": endpoint rules, bucket name
// and region checked, credentials resolved from their env references. The
// result builds the s3_requests the pool signs and sends. Pure apart from
// reading the process environment (core::resolve_secret); any thread.

#include <string>

#include "actors/r2_messages.hpp"
#include "core/expected.hpp"
#include "core/net_guard.hpp"
#include "store/global_settings.hpp"
#include "upstream/s3_calls.hpp"

namespace panel::actors {

/// A usable bucket with resolved credentials. Holds secrets: never log it.
struct r2_target {
  upstream::s3_bucket bucket;
  std::string key_prefix;        ///< normalised: "" or "a/b/"
  std::string region;            ///< signing region
  std::string access_key_id;     ///< resolved secret
  std::string secret_access_key; ///< resolved secret

  /// `call` as a pool request with this target's region and credentials.
  [[nodiscard]] s3_request request(upstream::s3_call const& call, std::int64_t timeout_ms = 0) const;
};

/// The §3.11 configuration check, first failure wins (errc::bad_request):
/// "R2 backup is disabled.", "R2 endpoint URL is not configured.",
/// "R2 bucket name is not configured.", "R2 access key ID is not configured.",
/// "R2 access key ID environment variable <VAR> is not set or empty.",
/// "R2 secret access key is not configured.",
/// "R2 secret access key environment variable <VAR> is not set or empty.".
[[nodiscard]] expected<void> check_r2_configuration(store::r2_settings const& s);

/// The configuration check, then the client: the endpoint through the R2 rules of
/// net_guard (no DNS), the bucket name and the region. A client failure is
/// errc::bad_request "Failed to create S3 client: <why>".
[[nodiscard]] expected<r2_target> make_r2_target(store::r2_settings const& s, core::net_policy const& policy);

/// How every client failure of make_r2_target begins.
inline constexpr std::string_view client_error_prefix = "Failed to create S3 client: ";

} // namespace panel::actors
