#include <catch2/catch.hpp>

#include <string>

#include "core/clock.hpp"

namespace core = panel::core;
using namespace std::chrono;

namespace {

core::sys_time at(std::int64_t unix_secs, std::int64_t micros = 0) {
  return core::sys_time{duration_cast<core::sys_time::duration>(seconds{unix_secs} + microseconds{micros})};
}

} // namespace

TEST_CASE("iso_utc formats like Python isoformat", "[core][clock]") {
  // 2026-05-18T12:00:01Z, checked against Python's datetime.
  CHECK(core::iso_utc(at(1779105601, 123456)) == "2026-05-18T12:00:01.123456+00:00");
  CHECK(core::iso_utc(at(1779105601)) == "2026-05-18T12:00:01+00:00");
  CHECK(core::iso_utc(at(0)) == "1970-01-01T00:00:00+00:00");
  CHECK(core::iso_utc(at(1709164800, 10)) == "2024-02-29T00:00:00.000010+00:00");
}

TEST_CASE("iso_utc drops sub-microsecond digits", "[core][clock]") {
  auto const t = at(1779105601) + duration_cast<core::sys_time::duration>(nanoseconds{999});
  CHECK(core::iso_utc(t) == "2026-05-18T12:00:01+00:00");
}

TEST_CASE("iso_utc floors times before 1970", "[core][clock]") {
  CHECK(core::iso_utc(at(0, -500000)) == "1969-12-31T23:59:59.500000+00:00");
  CHECK(core::unix_seconds(at(0, -500000)) == -1);
}

TEST_CASE("iso_beijing shows the same instant at +08:00", "[core][clock]") {
  CHECK(core::iso_beijing(at(1779105601, 123456)) == "2026-05-18T20:00:01.123456+08:00");
  // 20:00 UTC is already the next day in Beijing.
  CHECK(core::iso_beijing(at(1779134400)) == "2026-05-19T04:00:00+08:00");
  core::sys_time back;
  REQUIRE(core::parse_iso(core::iso_beijing(at(1779134400)), back));
  CHECK(back == at(1779134400));
}

TEST_CASE("now_iso_utc ends with +00:00 and round trips", "[core][clock]") {
  auto const before = floor<microseconds>(system_clock::now());
  auto const text = core::now_iso_utc();
  REQUIRE(text.size() >= 25);
  CHECK(text.substr(text.size() - 6) == "+00:00");
  core::sys_time parsed;
  REQUIRE(core::parse_iso(text, parsed));
  CHECK(parsed >= before);
}

TEST_CASE("unix_seconds counts whole seconds", "[core][clock]") {
  CHECK(core::unix_seconds(at(1779105601, 999999)) == 1779105601);
  CHECK(core::unix_seconds(at(0)) == 0);
}

TEST_CASE("parse_iso reads offsets, Z and fractions", "[core][clock]") {
  core::sys_time t;
  REQUIRE(core::parse_iso("2026-05-18T12:00:01.123456+00:00", t));
  CHECK(t == at(1779105601, 123456));
  REQUIRE(core::parse_iso("2026-05-18T12:00:01Z", t));
  CHECK(t == at(1779105601));
  REQUIRE(core::parse_iso("2026-05-18T20:00:01.5+08:00", t));
  CHECK(t == at(1779105601, 500000));
  REQUIRE(core::parse_iso("2026-05-18T07:30:01.123-04:30", t));
  CHECK(t == at(1779105601, 123000));
  REQUIRE(core::parse_iso("2026-05-18T12:00:01.1234567891Z", t));
  CHECK(t == at(1779105601, 123456));
  REQUIRE(core::parse_iso("2026-05-18 12:00:01+0000", t));
  CHECK(t == at(1779105601));
  REQUIRE(core::parse_iso("2026-05-18T12:00Z", t));
  CHECK(t == at(1779105600));
}

TEST_CASE("parse_iso round trips iso_utc output", "[core][clock]") {
  for (auto const t : {at(0), at(1779105601, 1), at(1709164800, 10), at(4102444799, 999999), at(-86400, 250)}) {
    auto const text = core::iso_utc(t);
    INFO(text);
    core::sys_time back;
    REQUIRE(core::parse_iso(text, back));
    CHECK(back == t);
  }
}

TEST_CASE("parse_iso rejects malformed or impossible timestamps", "[core][clock]") {
  for (char const* bad : {"", "2026-05-18", "2026-05-18T12:00:01", "2026-05-18T12:00:01+00", "2026-13-01T00:00:00Z",
                          "2026-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-05-18T24:00:00Z",
                          "2026-05-18T12:60:00Z", "2026-05-18T12:00:60Z", "2026-05-18T12:00:01.Z",
                          "2026-05-18T12:00:01+24:00", "2026-05-18T12:00:01+05:60", "2026-05-18T12:00:01Zjunk",
                          "2026-5-18T12:00:01Z", "2026/05/18T12:00:01Z", "2026-05-18X12:00:01Z", "abc"}) {
    INFO(bad);
    core::sys_time t = at(42);
    CHECK_FALSE(core::parse_iso(bad, t));
    CHECK(t == at(42));
  }
  core::sys_time leap;
  CHECK(core::parse_iso("2024-02-29T00:00:00Z", leap));
}
