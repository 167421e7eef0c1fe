#pragma once
// The running version: APP_VERSION, else the VERSION file (trimmed), else v0.0.0.

#include <string>

#include "core/config.hpp"

namespace panel::core {

/// Re-reads the VERSION file on every call (spec §3.1: no caching). A few bytes
/// from the page cache; cheap enough for an io thread, like a static file.
[[nodiscard]] std::string current_version(config const& cfg);

} // namespace panel::core
