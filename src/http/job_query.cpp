#include "http/job_query.hpp"

#include <charconv>
#include <limits>

#include "core/strings.hpp"
#include "http/json_body.hpp"
#include "http/message.hpp"

namespace panel::http {

namespace {

std::string location(std::string_view name) {
  return "query." + std::string(name);
}

} // namespace

expected<bool> query_bool(std::optional<std::string> const& raw, std::string_view name, bool fallback) {
  if (!raw) {
    return fallback;
  }
  auto const v = core::to_lower(core::trim(*raw));
  for (auto t : {"true", "1", "yes", "on", "t", "y"}) {
    if (v == t) {
      return true;
    }
  }
  for (auto f : {"false", "0", "no", "off", "f", "n"}) {
    if (v == f) {
      return false;
    }
  }
  return tl::unexpected(validation_error(location(name), "Input should be a valid boolean, unable to interpret input"));
}

expected<std::int64_t> query_int(std::optional<std::string> const& raw, std::string_view name, std::int64_t fallback,
                                 std::int64_t lo, std::int64_t hi) {
  if (!raw) {
    return fallback;
  }
  auto s = core::trim(*raw);
  if (s.starts_with('+')) {
    s.remove_prefix(1);
  }
  std::int64_t v = 0;
  auto const [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc{} || ptr != s.data() + s.size()) {
    return tl::unexpected(
        validation_error(location(name), "Input should be a valid integer, unable to parse string as an integer"));
  }
  if (v < lo) {
    return tl::unexpected(
        validation_error(location(name), "Input should be greater than or equal to " + std::to_string(lo)));
  }
  if (v > hi) {
    return tl::unexpected(
        validation_error(location(name), "Input should be less than or equal to " + std::to_string(hi)));
  }
  return v;
}

expected<actors::job_list_query> parse_job_list_query(request const& req) {
  actors::job_list_query q;
  auto include = query_bool(req.query_param("include_finished"), "include_finished", false);
  if (!include) {
    return tl::unexpected(include.error());
  }
  auto failed = query_bool(req.query_param("failed_only"), "failed_only", false);
  if (!failed) {
    return tl::unexpected(failed.error());
  }
  auto limit = query_int(req.query_param("limit"), "limit", 100, 1, 500);
  if (!limit) {
    return tl::unexpected(limit.error());
  }
  auto offset =
      query_int(req.query_param("offset"), "offset", 0, 0, std::numeric_limits<std::int64_t>::max());
  if (!offset) {
    return tl::unexpected(offset.error());
  }
  q.include_finished = *include;
  q.failed_only = *failed;
  q.limit = *limit;
  q.offset = *offset;
  return q;
}

} // namespace panel::http
