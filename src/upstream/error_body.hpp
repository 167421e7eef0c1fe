#pragma once
// Upstream HTTP failures (status >= 400) turned into safe, readable errors
// (spec/API.md §6.6 for the edits-specific mapping).

#include <string>
#include <string_view>

#include "core/expected.hpp"
#include "upstream/api_path.hpp"

namespace panel::upstream {

/// The message an upstream error body carries: `error.message` (or a string
/// `error`), else `detail` (non-strings as compact JSON), else `message`, else
/// the trimmed raw text cut to 500 characters; "HTTP <status>" for an empty
/// body. JSON is recognised by the §6.2 rule. `secret` (the API key in use) and
/// bearer tokens are replaced by "***"; the result is at most 2000 characters.
[[nodiscard]] std::string upstream_error_message(int status, std::string_view content_type, std::string_view body,
                                                 std::string_view secret = {});

/// True when an edits failure means the upstream has no /v1/images/edits:
/// HTTP 404, 405 or 501, or `message` containing (any case) "not support",
/// "not_supported", "unsupported", "not found", "unknown endpoint" or "no route".
[[nodiscard]] bool is_edits_unsupported(int status, std::string_view message);

/// The errc::upstream error for an HTTP failure on `path`:
/// "Upstream API does not support /v1/images/edits (<status>): <msg>" when
/// `is_edits_unsupported` holds on the edits path, else
/// "Upstream API error (<status>): <msg>".
[[nodiscard]] error upstream_http_error(api_path path, int status, std::string_view content_type,
                                        std::string_view body, std::string_view secret = {});

/// `text` with every occurrence of `secret` (when at least 4 characters) and
/// every "Bearer <token>" credential replaced by "***".
[[nodiscard]] std::string redact_secrets(std::string_view text, std::string_view secret);

} // namespace panel::upstream
