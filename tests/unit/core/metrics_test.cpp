#include "core/metrics.hpp"

#include <thread>
#include <vector>

#include <catch2/catch.hpp>

namespace metrics = panel::core::metrics;

TEST_CASE("metrics counters add up and start at the first use", "[core][metrics]") {
  metrics::reset_for_tests();
  metrics::count("image_jobs.generation.queued");
  metrics::count("image_jobs.generation.queued", 4);
  metrics::count("sse.acquired", 0);
  auto const snap = metrics::take_snapshot();
  REQUIRE(snap.counters.at("image_jobs.generation.queued") == 5);
  REQUIRE(snap.counters.at("sse.acquired") == 0);
  REQUIRE_FALSE(snap.counters.contains("image_jobs.edit.queued"));
  REQUIRE(snap.timings.empty());
}

TEST_CASE("metrics percentiles are the sorted sample at round((n-1)*p)", "[core][metrics]") {
  metrics::reset_for_tests();
  SECTION("one sample") {
    metrics::observe_ms("job_stage.upstream_wait", 1.25);
    auto const t = metrics::take_snapshot().timings.at("job_stage.upstream_wait");
    REQUIRE(t.count == 1);
    REQUIRE(t.p50 == 1.25);
    REQUIRE(t.p95 == 1.25);
    REQUIRE(t.max == 1.25);
  }
  SECTION("1..100 recorded in reverse") {
    for (int i = 100; i >= 1; --i) {
      metrics::observe_ms("x", i);
    }
    auto const t = metrics::take_snapshot().timings.at("x");
    REQUIRE(t.count == 100);
    REQUIRE(t.p50 == 51);  // index round(49.5) = 50 (half to even)
    REQUIRE(t.p95 == 95);  // index round(94.05) = 94
    REQUIRE(t.max == 100);
  }
  SECTION("two samples: index round(0.5) is 0, as Python rounds") {
    metrics::observe_ms("y", 10);
    metrics::observe_ms("y", 20);
    auto const t = metrics::take_snapshot().timings.at("y");
    REQUIRE(t.p50 == 10);
    REQUIRE(t.p95 == 20);
  }
  SECTION("values are rounded to two decimals") {
    metrics::observe_ms("z", 1.23456);
    auto const t = metrics::take_snapshot().timings.at("z");
    REQUIRE(t.p50 == Approx(1.23).margin(1e-12));
  }
  SECTION("non-finite samples are ignored") {
    metrics::observe_ms("w", std::numeric_limits<double>::quiet_NaN());
    REQUIRE_FALSE(metrics::take_snapshot().timings.contains("w"));
  }
}

TEST_CASE("metrics keep only the last 2048 samples but count all", "[core][metrics]") {
  metrics::reset_for_tests();
  for (int i = 0; i < 3000; ++i) {
    metrics::observe_ms("t", i < 952 ? 100000.0 : 1.0); // the big ones fall out of the window
  }
  auto const t = metrics::take_snapshot().timings.at("t");
  REQUIRE(t.count == 3000);
  REQUIRE(t.max == 1.0);
  REQUIRE(t.p95 == 1.0);
  metrics::observe_ms("t", 7.0);
  REQUIRE(metrics::take_snapshot().timings.at("t").max == 7.0);
}

TEST_CASE("metrics are safe to record from many threads while snapshots run", "[core][metrics]") {
  metrics::reset_for_tests();
  constexpr int threads = 8;
  constexpr int per_thread = 20000;
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([t] {
      for (int i = 0; i < per_thread; ++i) {
        metrics::count("shared");
        metrics::count(t % 2 == 0 ? "even" : "odd");
        metrics::observe_ms("lat", static_cast<double>(i % 100));
      }
    });
  }
  std::thread reader([] {
    for (int i = 0; i < 200; ++i) {
      auto const s = metrics::take_snapshot();
      if (auto it = s.counters.find("shared"); it != s.counters.end()) {
        REQUIRE(it->second <= threads * per_thread);
      }
    }
  });
  for (auto& th : pool) {
    th.join();
  }
  reader.join();
  auto const s = metrics::take_snapshot();
  REQUIRE(s.counters.at("shared") == threads * per_thread);
  REQUIRE(s.counters.at("even") == threads / 2 * per_thread);
  REQUIRE(s.counters.at("odd") == threads / 2 * per_thread);
  REQUIRE(s.timings.at("lat").count == threads * per_thread);
  REQUIRE(s.timings.at("lat").max == 99);
}
