#include "http/conditional.hpp"

#include <array>
#include <chrono>
#include <charconv>
#include <cstdio>
#include <limits>

#include "core/strings.hpp"
#include "http/message.hpp"

namespace panel::http {

namespace {

constexpr std::array<std::string_view, 7> weekdays{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

bool all_digits(std::string_view s) noexcept {
  if (s.empty()) {
    return false;
  }
  for (char const c : s) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

template <class Int>
std::optional<Int> number(std::string_view s) noexcept {
  Int v{};
  if (!all_digits(s)) {
    return std::nullopt;
  }
  auto const [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || ptr != s.data() + s.size()) {
    return std::nullopt;
  }
  return v;
}

// The opaque part of an entity tag: `W/"x"` and `"x"` both give `"x"`.
std::string_view opaque(std::string_view tag) noexcept {
  tag = core::trim(tag);
  if (tag.starts_with("W/")) {
    tag.remove_prefix(2);
  }
  return tag;
}

bool if_range_allows(std::optional<std::string> const& if_range, file_validators const& v) {
  if (!if_range) {
    return true;
  }
  auto const value = core::trim(*if_range);
  if (value.starts_with('"') || value.starts_with("W/")) {
    // If-Range needs the strong comparison: a weak tag never matches.
    return value == make_etag(v);
  }
  auto const date = parse_http_date(value);
  return date && *date == last_modified_seconds(v);
}

} // namespace

std::int64_t last_modified_seconds(file_validators const& v) noexcept {
  // Floor, so a file changed within its Last-Modified second never looks older.
  auto const s = v.mtime_ns / 1'000'000'000;
  return (v.mtime_ns < 0 && s * 1'000'000'000 != v.mtime_ns) ? s - 1 : s;
}

std::string make_etag(file_validators const& v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "\"%llx-%llx\"", static_cast<unsigned long long>(v.size),
                static_cast<unsigned long long>(v.mtime_ns));
  return buf;
}

std::string http_date(std::int64_t unix_seconds) {
  using namespace std::chrono;
  auto const tp = sys_seconds{seconds{unix_seconds}};
  auto const day = floor<days>(tp);
  year_month_day const ymd{day};
  hh_mm_ss const time{tp - day};
  auto const weekday_index = weekday{day}.c_encoding();
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02d:%02d:%02d GMT", weekdays[weekday_index].data(),
                static_cast<unsigned>(ymd.day()), months[static_cast<unsigned>(ymd.month()) - 1].data(),
                static_cast<int>(ymd.year()), static_cast<int>(time.hours().count()),
                static_cast<int>(time.minutes().count()), static_cast<int>(time.seconds().count()));
  return buf;
}

std::optional<std::int64_t> parse_http_date(std::string_view text) {
  using namespace std::chrono;
  // "Sun, 06 Nov 1994 08:49:37 GMT"
  text = core::trim(text);
  if (text.size() != 29 || text.substr(3, 2) != ", " || text[7] != ' ' || text[11] != ' ' || text[16] != ' ' ||
      text[19] != ':' || text[22] != ':' || text.substr(25) != " GMT") {
    return std::nullopt;
  }
  auto const day = number<unsigned>(text.substr(5, 2));
  auto const year = number<int>(text.substr(12, 4));
  auto const hour = number<int>(text.substr(17, 2));
  auto const minute = number<int>(text.substr(20, 2));
  auto const second = number<int>(text.substr(23, 2));
  std::optional<unsigned> month;
  for (unsigned i = 0; i < months.size(); ++i) {
    if (months[i] == text.substr(8, 3)) {
      month = i + 1;
    }
  }
  if (!day || !year || !hour || !minute || !second || !month || *hour > 23 || *minute > 59 || *second > 59) {
    return std::nullopt;
  }
  year_month_day const ymd{std::chrono::year{*year}, std::chrono::month{*month}, std::chrono::day{*day}};
  if (!ymd.ok()) {
    return std::nullopt;
  }
  auto const tp = sys_days{ymd} + hours{*hour} + minutes{*minute} + seconds{*second};
  return static_cast<std::int64_t>(tp.time_since_epoch().count());
}

bool if_none_match_matches(std::string_view field, std::string_view etag) {
  if (core::trim(field) == "*") {
    return true;
  }
  auto const mine = opaque(etag);
  for (auto const& item : core::split_list(field, ",")) {
    if (opaque(item) == mine) {
      return true;
    }
  }
  return false;
}

range_plan parse_range(std::string_view field, std::uint64_t size) {
  range_plan plan;
  field = core::trim(field);
  if (field.size() < 6 || !core::iequals(field.substr(0, 6), "bytes=")) {
    return plan;
  }
  auto spec = core::trim(field.substr(6));
  if (spec.find(',') != std::string_view::npos) {
    return plan; // several ranges: the whole file is a valid answer
  }
  auto const dash = spec.find('-');
  if (dash == std::string_view::npos) {
    return plan;
  }
  auto const first_text = core::trim(spec.substr(0, dash));
  auto const last_text = core::trim(spec.substr(dash + 1));
  if (first_text.empty()) {
    auto const suffix = number<std::uint64_t>(last_text);
    if (!suffix) {
      return plan;
    }
    if (*suffix == 0 || size == 0) {
      plan.kind = range_kind::unsatisfiable;
      return plan;
    }
    auto const n = std::min(*suffix, size);
    plan.kind = range_kind::partial;
    plan.range = byte_range{size - n, n};
    return plan;
  }
  auto const first = number<std::uint64_t>(first_text);
  if (!first) {
    return plan;
  }
  std::uint64_t last = std::numeric_limits<std::uint64_t>::max();
  if (!last_text.empty()) {
    auto const parsed = number<std::uint64_t>(last_text);
    if (!parsed || *parsed < *first) {
      return plan; // an invalid range-spec: ignore the field
    }
    last = *parsed;
  }
  if (*first >= size) {
    plan.kind = range_kind::unsatisfiable;
    return plan;
  }
  last = std::min(last, size - 1);
  plan.kind = range_kind::partial;
  plan.range = byte_range{*first, last - *first + 1};
  return plan;
}

conditional_request conditional_fields(std::string_view method, header_list const& headers) {
  conditional_request req;
  req.head = method == "HEAD";
  auto copy = [&](std::string_view name) -> std::optional<std::string> {
    if (auto v = headers.get(name)) {
      return std::string{*v};
    }
    return std::nullopt;
  };
  req.if_none_match = copy("If-None-Match");
  req.if_modified_since = copy("If-Modified-Since");
  req.range = copy("Range");
  req.if_range = copy("If-Range");
  return req;
}

conditional_decision evaluate_conditional(conditional_request const& req, file_validators const& v) {
  conditional_decision out;
  if (req.if_none_match) {
    if (if_none_match_matches(*req.if_none_match, make_etag(v))) {
      out.outcome = conditional_outcome::not_modified;
      return out;
    }
  } else if (req.if_modified_since) {
    auto const since = parse_http_date(*req.if_modified_since);
    if (since && last_modified_seconds(v) <= *since) {
      out.outcome = conditional_outcome::not_modified;
      return out;
    }
  }
  // Range is defined for GET only; HEAD describes the whole file.
  if (req.head || !req.range || !if_range_allows(req.if_range, v)) {
    return out;
  }
  auto const plan = parse_range(*req.range, v.size);
  switch (plan.kind) {
  case range_kind::whole:
    break;
  case range_kind::partial:
    out.outcome = conditional_outcome::partial;
    out.range = plan.range;
    break;
  case range_kind::unsatisfiable:
    out.outcome = conditional_outcome::unsatisfiable;
    break;
  }
  return out;
}

} // namespace panel::http
