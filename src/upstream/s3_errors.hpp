#pragma once
// S3 answers that are not successes, turned into messages a user can act on
// (spec/API.md §11.2: "HeadBucket failed: <e>", "ListObjectsV2 failed: <e>", ...;
// §3.11: "R2 sync failed for <n> image(s): <file>: <e>"). Pure functions.

#include <string>
#include <string_view>
#include <vector>

namespace panel::upstream {

/// The `<e>` for an S3 answer with HTTP `status` and `body` (possibly empty, as
/// for every HEAD): "<Code> (HTTP <status>): <Message> <hint>" for an XML error
/// body, a status-based sentence otherwise ("Access denied (HTTP 403): ...").
/// Hints name the setting to check (secret access key, access key ID, region,
/// bucket name, clock). Every string in `secrets` (at least 4 characters) is
/// replaced by "***"; the server's own text is cut to 300 characters.
[[nodiscard]] std::string s3_error_message(int status, std::string_view body,
                                           std::vector<std::string> const& secrets = {});

/// The hint for an S3 error code ("" when there is none), e.g.
/// SignatureDoesNotMatch -> "Check the secret access key and the region.".
[[nodiscard]] std::string_view s3_error_hint(std::string_view code);

} // namespace panel::upstream
