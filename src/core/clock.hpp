#pragma once
// Timestamps in the formats of spec §1.4.

#include <chrono>
#include <cstdint>
#include <string>

namespace panel::core {

using sys_time = std::chrono::system_clock::time_point;

/// Python `datetime.isoformat()` of `t` in UTC: `2026-05-18T12:00:01.123456+00:00`
/// (fraction only when non-zero microseconds).
[[nodiscard]] std::string iso_utc(sys_time t);

/// Same instant shown in Beijing time (`+08:00`): completed_at of successful jobs.
[[nodiscard]] std::string iso_beijing(sys_time t);

/// `iso_utc(now)`.
[[nodiscard]] std::string now_iso_utc();

/// Unix seconds of `t`.
[[nodiscard]] std::int64_t unix_seconds(sys_time t);

/// Parses an ISO-8601 timestamp with offset (or `Z`) back to a time point; false on bad input.
[[nodiscard]] bool parse_iso(std::string const& text, sys_time& out);

} // namespace panel::core
