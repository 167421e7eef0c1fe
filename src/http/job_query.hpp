#pragma once
// Query parsing of GET /api/generate/jobs (spec §3.7): FastAPI's rules for bool
// and int query parameters, each failure a 422 with a flattened
// "query.<name> - <message>" detail. Pure.

#include <optional>
#include <string>
#include <string_view>

#include "actors/job_messages.hpp"
#include "core/expected.hpp"

namespace panel::http {

struct request;

/// A query bool as pydantic reads one: true/false, 1/0, yes/no, on/off, t/f, y/n
/// (case-insensitive); absent = `fallback`.
[[nodiscard]] expected<bool> query_bool(std::optional<std::string> const& raw, std::string_view name, bool fallback);

/// A query int within [lo, hi]; absent = `fallback`.
[[nodiscard]] expected<std::int64_t> query_int(std::optional<std::string> const& raw, std::string_view name,
                                               std::int64_t fallback, std::int64_t lo, std::int64_t hi);

/// include_finished (false), failed_only (false), limit 1..500 (100), offset >= 0 (0).
[[nodiscard]] expected<actors::job_list_query> parse_job_list_query(request const& req);

} // namespace panel::http
