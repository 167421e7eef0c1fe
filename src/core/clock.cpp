#include "core/clock.hpp"

#include <cstdio>
#include <string_view>

namespace panel::core {

namespace {

using std::chrono::days;
using std::chrono::microseconds;
using std::chrono::minutes;
using std::chrono::seconds;

/// `t` shifted by `offset` and written as a Python isoformat() string with that offset.
std::string format_iso(sys_time t, minutes offset, char const* suffix) {
  // Python datetimes carry microseconds; floor so that times before 1970 stay on the right second.
  auto const local = std::chrono::floor<microseconds>(t) + offset;
  auto const day = std::chrono::floor<days>(local);
  std::chrono::year_month_day const ymd{day};
  std::chrono::hh_mm_ss<microseconds> const tod{local - day};
  auto const micros = tod.subseconds().count();
  char buf[64];
  int n = 0;
  if (micros != 0) {
    n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%06lld%s", static_cast<int>(ymd.year()),
                      static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                      static_cast<int>(tod.hours().count()), static_cast<int>(tod.minutes().count()),
                      static_cast<int>(tod.seconds().count()), static_cast<long long>(micros), suffix);
  } else {
    n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d%s", static_cast<int>(ymd.year()),
                      static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                      static_cast<int>(tod.hours().count()), static_cast<int>(tod.minutes().count()),
                      static_cast<int>(tod.seconds().count()), suffix);
  }
  if (n < 0) {
    return {};
  }
  return std::string(buf, static_cast<std::size_t>(n));
}

/// A cursor over the text being parsed; every reader fails without moving on bad input.
struct cursor {
  std::string_view s;

  bool eat(char c) {
    if (!s.empty() && s.front() == c) {
      s.remove_prefix(1);
      return true;
    }
    return false;
  }

  /// Exactly `n` decimal digits.
  bool digits(std::size_t n, int& out) {
    if (s.size() < n) {
      return false;
    }
    int v = 0;
    for (std::size_t i = 0; i < n; ++i) {
      char const c = s[i];
      if (c < '0' || c > '9') {
        return false;
      }
      v = v * 10 + (c - '0');
    }
    s.remove_prefix(n);
    out = v;
    return true;
  }

  bool at_digit() const {
    return !s.empty() && s.front() >= '0' && s.front() <= '9';
  }
};

/// `.ffffff` (any number of digits, truncated to microseconds); `,` is ISO's other decimal mark.
bool parse_fraction(cursor& c, microseconds& out) {
  if (!c.eat('.') && !c.eat(',')) {
    return true;
  }
  if (!c.at_digit()) {
    return false;
  }
  long long micros = 0;
  int used = 0;
  while (c.at_digit()) {
    if (used < 6) {
      micros = micros * 10 + (c.s.front() - '0');
      ++used;
    }
    c.s.remove_prefix(1);
  }
  for (; used < 6; ++used) {
    micros *= 10;
  }
  out = microseconds{micros};
  return true;
}

/// `Z`, `+HH:MM` or `+HHMM` (either sign): the offset east of UTC.
bool parse_offset(cursor& c, minutes& out) {
  if (c.eat('Z') || c.eat('z')) {
    out = minutes{0};
    return true;
  }
  int sign = 0;
  if (c.eat('+')) {
    sign = 1;
  } else if (c.eat('-')) {
    sign = -1;
  } else {
    // Naive timestamps are refused: spec §1.4 always writes an offset, and guessing one would shift instants.
    return false;
  }
  int hh = 0;
  int mm = 0;
  if (!c.digits(2, hh)) {
    return false;
  }
  c.eat(':');
  if (!c.digits(2, mm) || hh > 23 || mm > 59) {
    return false;
  }
  out = minutes{sign * (hh * 60 + mm)};
  return true;
}

} // namespace

std::string iso_utc(sys_time t) {
  return format_iso(t, minutes{0}, "+00:00");
}

std::string iso_beijing(sys_time t) {
  return format_iso(t, minutes{8 * 60}, "+08:00");
}

std::string now_iso_utc() {
  return iso_utc(std::chrono::system_clock::now());
}

std::int64_t unix_seconds(sys_time t) {
  return std::chrono::floor<seconds>(t).time_since_epoch().count();
}

bool parse_iso(std::string const& text, sys_time& out) {
  cursor c{text};
  int year = 0;
  int month = 0;
  int day = 0;
  if (!c.digits(4, year) || !c.eat('-') || !c.digits(2, month) || !c.eat('-') || !c.digits(2, day)) {
    return false;
  }
  if (!c.eat('T') && !c.eat('t') && !c.eat(' ')) {
    return false;
  }
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (!c.digits(2, hour) || !c.eat(':') || !c.digits(2, minute)) {
    return false;
  }
  // Seconds are optional, as in Python's fromisoformat ("12:00+00:00").
  microseconds fraction{0};
  if (c.eat(':')) {
    if (!c.digits(2, second) || !parse_fraction(c, fraction)) {
      return false;
    }
  }
  minutes offset{0};
  if (!parse_offset(c, offset) || !c.s.empty()) {
    return false;
  }
  // Leap seconds (":60") are refused like Python does; hour 24 is not accepted either.
  if (hour > 23 || minute > 59 || second > 59) {
    return false;
  }
  std::chrono::year_month_day const ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                        std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) {
    return false;
  }
  auto const local =
      std::chrono::sys_days{ymd} + std::chrono::hours{hour} + minutes{minute} + seconds{second} + fraction;
  out = std::chrono::time_point_cast<sys_time::duration>(local - offset);
  return true;
}

} // namespace panel::core
