#pragma once
// Per-request policies that need no I/O: the pre-parse body limits of §1.5 and the
// global response headers of §1.6.

#include <cstdint>
#include <string_view>

#include "core/config.hpp"
#include "http/message.hpp"

namespace panel::http {

/// The largest body accepted for a request to `path` with `content_type` (bytes).
[[nodiscard]] std::uint64_t body_limit(core::config const& cfg, std::string_view path, std::string_view content_type);

/// Applies the global headers of §1.6 to a response about to be sent for `path`.
void apply_global_headers(response& r, std::string_view path);

} // namespace panel::http
