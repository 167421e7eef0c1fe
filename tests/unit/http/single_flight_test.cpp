#include "http/single_flight.hpp"

#include <atomic>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

using panel::http::single_flight;

TEST_CASE("single_flight: one leader per key, every waiter gets the result", "[http][single_flight]") {
  single_flight<int> flight;
  std::vector<int> got;
  CHECK(flight.join("a", [&](int const& v) { got.push_back(v); }));
  CHECK_FALSE(flight.join("a", [&](int const& v) { got.push_back(v + 100); }));
  CHECK(flight.join("b", [&](int const& v) { got.push_back(v + 1000); }));
  CHECK(flight.in_flight() == 2);
  flight.finish("a", 7);
  CHECK(got == std::vector<int>{7, 107});
  CHECK(flight.in_flight() == 1);
  flight.finish("a", 8);  // nobody waits any more
  CHECK(got.size() == 2);
  // The key leads again once finished.
  CHECK(flight.join("a", [&](int const& v) { got.push_back(v); }));
  flight.finish("a", 9);
  flight.finish("b", 1);
  CHECK(got == std::vector<int>{7, 107, 9, 1001});
  CHECK(flight.in_flight() == 0);
}

TEST_CASE("single_flight: concurrent joins elect exactly one leader", "[http][single_flight]") {
  single_flight<int> flight;
  std::atomic<int> leaders{0};
  std::atomic<int> answered{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&] {
      if (flight.join("k", [&](int const&) { ++answered; })) {
        ++leaders;
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  CHECK(leaders == 1);
  flight.finish("k", 0);
  CHECK(answered == 16);
}

TEST_CASE("single_flight: a waiter may join again from inside its callback", "[http][single_flight]") {
  single_flight<int> flight;
  bool relead = false;
  REQUIRE(flight.join("k", [&](int const&) { relead = flight.join("k", [](int const&) {}); }));
  flight.finish("k", 1);
  CHECK(relead);
  CHECK(flight.in_flight() == 1);
}
