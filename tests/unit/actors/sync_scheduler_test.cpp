#include <catch2/catch.hpp>

#include "actors/sync_scheduler.hpp"

using namespace panel::actors;
using namespace std::chrono_literals;

TEST_CASE("a scheduled sync is due once its interval has passed since the newest job", "[actors][sync_scheduler]") {
  auto const now = std::chrono::system_clock::now();
  CHECK_FALSE(sync_due(0, std::nullopt, now));
  CHECK_FALSE(sync_due(-3, std::nullopt, now));
  CHECK(sync_due(1, std::nullopt, now));
  CHECK_FALSE(sync_due(1, now - 59min, now));
  CHECK(sync_due(1, now - 60min, now));
  CHECK(sync_due(6, now - 7h, now));
  CHECK_FALSE(sync_due(6, now - 5h, now));
  // A job dated in the future (a clock step back) counts as made now.
  CHECK_FALSE(sync_due(1, now + 5h, now));
  CHECK(to_string(schedule_outcome::active_sync) == "active_sync");
  CHECK(to_string(schedule_outcome::started) == "started");
}
