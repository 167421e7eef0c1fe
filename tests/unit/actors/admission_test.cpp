#include <catch2/catch.hpp>

#include "actors/admission.hpp"
#include "actors/job_outcome.hpp"

using namespace panel;
using namespace panel::actors;

TEST_CASE("queue units: a 2-unit job fills 1+1, a 1-unit job is then refused") {
  admission a{{1, 1, 0}};
  REQUIRE(a.admit("a", 2, 0).has_value());
  auto refused = a.admit("b", 1, 0);
  REQUIRE_FALSE(refused.has_value());
  REQUIRE(refused.error().code == errc::rate_limited);
  REQUIRE(refused.error().message == "Generation job queue is full");
  REQUIRE(a.outstanding_units() == 2);
  a.release("a");
  REQUIRE(a.admit("b", 1, 0).has_value());
}

TEST_CASE("active 1 + queued 3: n=3 and n=1 fit, the next does not") {
  admission a{{1, 3, 0}};
  REQUIRE(a.admit("x", 3, 0).has_value());
  REQUIRE(a.admit("y", 1, 0).has_value());
  REQUIRE_FALSE(a.admit("z", 1, 0).has_value());
}

TEST_CASE("edit bytes are reserved with the units and refused atomically") {
  admission a{{2, 20, 1024 * 1024}};
  auto refused = a.admit("e", 1, 2 * 600 * 1024);
  REQUIRE_FALSE(refused.has_value());
  REQUIRE(refused.error().message == "Edit source queue is full");
  REQUIRE(a.outstanding_units() == 0); // nothing held after a refusal
  REQUIRE(a.admit("e", 1, 600 * 1024).has_value());
  REQUIRE_FALSE(a.admit("f", 1, 600 * 1024).has_value());
  a.release("e");
  a.release("e"); // twice is harmless
  REQUIRE(a.reserved_bytes() == 0);
  REQUIRE(a.admit("f", 1, 600 * 1024).has_value());
}

TEST_CASE("a zero byte cap disables the edit reservation check") {
  admission a{{1, 1, 0}};
  REQUIRE(a.admit("e", 1, std::int64_t{1} << 40).has_value());
}

TEST_CASE("outcome: all saved") {
  auto o = decide_outcome(3, 3, {}, false);
  REQUIRE(o.status == "success");
  REQUIRE(o.message == "Image generation completed");
  REQUIRE(o.error.empty());
  REQUIRE(decide_outcome(1, 1, {}, true).message == "Image edit completed");
}

TEST_CASE("outcome: partial success keeps success with the exact message") {
  auto o = decide_outcome(3, 2, {{2, "upstream quota exhausted", true}}, false);
  REQUIRE(o.status == "success");
  REQUIRE(o.message == "Generated 2 of 3 requested images; 1 failed");
  REQUIRE(o.error == "1 of 3 image generation requests failed: #2: upstream quota exhausted");
}

TEST_CASE("outcome: every child failed") {
  std::vector<child_failure> f{{1, "a", true}, {2, "b", true}, {3, "c", true}, {4, "d", true}, {5, "e", true}};
  auto o = decide_outcome(5, 0, f, false);
  REQUIRE(o.status == "upstream_error");
  REQUIRE(o.stage == "generation_failed");
  REQUIRE(o.error == "5 of 5 image generation requests failed: #1: a; #2: b; #3: c; ... and 2 more");
  REQUIRE(o.message == o.error);
  f[1].upstream = false;
  REQUIRE(decide_outcome(5, 0, f, true).status == "error");
  REQUIRE(decide_outcome(5, 0, f, true).stage == "edit_failed");
}

TEST_CASE("outcome: a single failure is the raw upstream message") {
  auto o = decide_outcome(1, 0, {{1, "upstream quota exhausted", true}}, false);
  REQUIRE(o.error == "upstream quota exhausted");
  auto none = decide_outcome(1, 0, {}, false);
  REQUIRE(none.status == "upstream_error");
  REQUIRE(none.error == "No image data in upstream response");
}
