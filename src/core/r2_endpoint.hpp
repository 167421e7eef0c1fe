#pragma once
// R2 / S3-compatible endpoint URL and key prefix rules (spec/API.md §11.1).
// Contract shared by the settings handlers (issue 6) and the R2 backup
// (issue 7); implemented in r2_endpoint.cpp.

#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"

namespace panel::core {

/// §11.1 endpoint normaliser. Blank -> "" (not configured). Otherwise: https
/// only, hostname required, no userinfo/query/fragment/path other than "/",
/// not an IP literal, not a blocked hostname (§6.8; `unblocked_hosts`, the
/// PRIVATE_NETWORK_ALLOWLIST hostname entries, lift that one rule), and the host
/// must pass r2_host_allowed. Output `https://<lower-case host>[:port]`. Errors
/// are errc::validation with messages starting "R2 endpoint URL must ..." or
/// "R2 endpoint hostname '<h>' ...". No DNS here: resolution and the
/// private-address check happen at use time. Pure; any thread.
[[nodiscard]] expected<std::string> normalise_r2_endpoint(std::string_view text,
                                                          std::vector<std::string> const& host_allowlist,
                                                          std::vector<std::string> const& unblocked_hosts = {});

/// True when `host` (lower case) is `<single-label>.r2.cloudflarestorage.com` or
/// matches an entry of `host_allowlist` (R2_ENDPOINT_HOST_ALLOWLIST as
/// config.hpp holds it: an exact host, or "*.example.com" for every name below
/// example.com but not example.com itself).
[[nodiscard]] bool r2_host_allowed(std::string_view host, std::vector<std::string> const& host_allowlist);

/// §3.3/§11.1 key prefix: trim, strip '/' at both ends, drop empty (or blank)
/// segments, re-join with '/', append '/'; blank stays "" (bucket root).
/// "gallery-test" -> "gallery-test/", "//a//b/" -> "a/b/".
[[nodiscard]] std::string normalise_r2_key_prefix(std::string_view text);

} // namespace panel::core
