#include "http/sse_slots.hpp"

#include <catch2/catch.hpp>

#include "core/metrics.hpp"

using panel::http::sse_slots;
namespace metrics = panel::core::metrics;

namespace {

std::int64_t counter(std::string const& name) {
  auto const snap = metrics::take_snapshot();
  auto it = snap.counters.find(name);
  return it == snap.counters.end() ? 0 : it->second;
}

} // namespace

TEST_CASE("sse_slots count streams per group and record the §12.1 counters", "[http][sse][metrics]") {
  metrics::reset_for_tests();
  auto slots = std::make_shared<sse_slots>(3, 2);
  auto a = slots->acquire("1.1.1.1", "jobs");
  auto b = slots->acquire("1.1.1.1", "job");
  REQUIRE(a);
  REQUIRE(b);
  REQUIRE(slots->active() == 2);
  REQUIRE(slots->active("jobs") == 1);
  REQUIRE(slots->active("job") == 1);
  REQUIRE(slots->active("export") == 0);
  REQUIRE(counter("sse.acquired") == 2);

  REQUIRE_FALSE(slots->acquire("1.1.1.1", "jobs")); // per-IP limit
  REQUIRE(counter("sse.rejected.per_ip_limit") == 1);
  auto c = slots->acquire("2.2.2.2"); // no group: counted only in the total
  REQUIRE(c);
  REQUIRE(slots->active() == 3);
  REQUIRE_FALSE(slots->acquire("3.3.3.3", "job")); // global limit
  REQUIRE(counter("sse.rejected.global_limit") == 1);
  REQUIRE(counter("sse.rejected.per_ip_limit") == 1);

  a.reset();
  REQUIRE(slots->active("jobs") == 0);
  REQUIRE(counter("sse.released") == 1);
  b.reset();
  c.reset();
  REQUIRE(slots->active() == 0);
  REQUIRE(slots->active("job") == 0);
  REQUIRE(counter("sse.released") == 3);
  REQUIRE(counter("sse.acquired") == 3);
}
