#include <catch2/catch.hpp>

#include "http/lockout.hpp"

using panel::http::lockout_table;

TEST_CASE("lockout after max failures, with seconds left") {
  lockout_table t{3, 300, 100};
  auto const t0 = lockout_table::clock::now();
  for (int i = 0; i < 3; ++i) {
    REQUIRE_FALSE(t.locked_for("1.1.1.1", t0).has_value());
    t.record_failure("1.1.1.1", t0);
  }
  auto left = t.locked_for("1.1.1.1", t0 + std::chrono::milliseconds(1500));
  REQUIRE(left.has_value());
  REQUIRE(*left == 298);
  REQUIRE_FALSE(t.locked_for("2.2.2.2", t0).has_value());
  REQUIRE_FALSE(t.locked_for("1.1.1.1", t0 + std::chrono::seconds(301)).has_value());
}

TEST_CASE("a correct key clears the counter") {
  lockout_table t{2, 300, 100};
  auto const t0 = lockout_table::clock::now();
  t.record_failure("ip", t0);
  t.clear("ip");
  t.record_failure("ip", t0);
  REQUIRE_FALSE(t.locked_for("ip", t0).has_value());
}

TEST_CASE("the table is bounded: least recently failed IPs are evicted") {
  lockout_table t{5, 300, 3};
  auto const t0 = lockout_table::clock::now();
  for (auto ip : {"a", "b", "c", "d", "e"}) {
    t.record_failure(ip, t0);
  }
  REQUIRE(t.tracked() == std::vector<std::string>{"c", "d", "e"});
  t.record_failure("c", t0);
  REQUIRE(t.tracked() == std::vector<std::string>{"d", "e", "c"});
}
