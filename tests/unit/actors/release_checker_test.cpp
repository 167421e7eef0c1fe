#include <catch2/catch.hpp>

#include "actors/bridge.hpp"
#include "actors/release_checker.hpp"

using namespace panel;
using namespace panel::actors;

namespace {
struct test_config : caf::actor_system_config {
  test_config() { add_message_types<caf::id_block::panel>(); }
};
} // namespace

TEST_CASE("version comparison is numeric, v-prefix and padding aware") {
  REQUIRE(version_newer("v0.10.0", "v0.9.9"));
  REQUIRE(version_newer("1.0.1", "1.0"));
  REQUIRE_FALSE(version_newer("1.0.0", "v1"));
  REQUIRE_FALSE(version_newer("0.1.0", "0.2.0"));
  REQUIRE(version_newer("2.x.1", "2.0.0"));
}

TEST_CASE("a disabled check answers all-null through the actor") {
  test_config cfg;
  caf::actor_system sys{cfg};
  auto checker = spawn_release_checker(sys, release_source{});
  caf::scoped_actor self{sys};
  release_info got;
  got.has_update = true;
  self->request(checker, std::chrono::seconds(10), latest_atom::value, std::string("v0.1.0"))
      .receive([&](release_info const& info) { got = info; }, [](caf::error const&) { FAIL("checker failed"); });
  REQUIRE(got.latest_version.empty());
  REQUIRE_FALSE(got.has_update);
  REQUIRE(got.checked_at.empty());
  self->send_exit(checker, caf::exit_reason::user_shutdown);
}

TEST_CASE("an unreachable release source answers all-null, not an error") {
  release_source src;
  src.enabled = true;
  src.repo = "owner/repo";
  src.api_base = "https://127.0.0.1:1"; // nothing listens on port 1
  src.raw_base = "https://127.0.0.1:1";
  src.timeout_seconds = 2;
  auto const info = check_latest_release(src, "v0.1.0");
  REQUIRE(info.latest_version.empty());
  REQUIRE(info.checked_at.empty());
}

TEST_CASE("panel errors survive the trip through caf::error") {
  auto const e = from_caf_error(to_caf_error(error{errc::rate_limited, "Generation job queue is full"}));
  REQUIRE(e.code == errc::rate_limited);
  REQUIRE(e.message == "Generation job queue is full");
  REQUIRE(from_caf_error(caf::make_error(caf::sec::request_timeout)).code == errc::unavailable);
}
