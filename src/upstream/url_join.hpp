#pragma once
// Joining a preset's base URL with an API path (spec/API.md §6.1).

#include <string>
#include <string_view>

namespace panel::upstream {

/// `base` (trailing slashes removed) joined with `path`: unchanged when `base`
/// already ends with `path`; `base + path[3:]` when `base` ends with `/v1` and
/// `path` starts with `/v1/`; else `base + path`. Validation is the caller's (§6.8).
[[nodiscard]] std::string build_upstream_url(std::string_view base, std::string_view path);

} // namespace panel::upstream
