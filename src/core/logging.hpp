#pragma once
// Line-oriented logging to stderr: `<UTC time> <LEVEL> <message>`. Thread-safe.
// Callers never pass secrets (keys, tokens, proxy passwords, URL query strings).

#include <string_view>

namespace panel::core {

enum class log_level { debug, info, warning, error };

/// Lines below `level` are dropped (default info).
void set_log_level(log_level level);

void log(log_level level, std::string_view message);
inline void log_info(std::string_view m) { log(log_level::info, m); }
inline void log_warning(std::string_view m) { log(log_level::warning, m); }
inline void log_error(std::string_view m) { log(log_level::error, m); }

} // namespace panel::core
