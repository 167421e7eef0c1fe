// metrics: counters and timing windows in 16 shards picked by the name's hash.
// A call locks one shard for a map lookup plus an add (or one ring-buffer
// store); only the first use of a name allocates. take_snapshot() copies one
// shard at a time and sorts the copies outside the locks.

#include "core/metrics.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <mutex>
#include <unordered_map>

namespace panel::core::metrics {

namespace {

constexpr std::size_t window = 2048;
constexpr std::size_t shard_count = 16;

// Lets the maps be searched with a string_view (no temporary std::string).
struct name_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

struct timing {
  std::vector<double> samples; ///< ring buffer, grows to `window` once
  std::size_t next = 0;        ///< where the next sample goes once full
  std::int64_t total = 0;      ///< every sample ever recorded
};

struct shard {
  std::mutex mutex;
  std::unordered_map<std::string, std::int64_t, name_hash, std::equal_to<>> counters;
  std::unordered_map<std::string, timing, name_hash, std::equal_to<>> timings;
};

std::array<shard, shard_count>& shards() {
  static std::array<shard, shard_count> all;
  return all;
}

shard& shard_of(std::string_view name) {
  return shards()[name_hash{}(name) % shard_count];
}

template <class Map>
auto& entry(Map& map, std::string_view name) {
  auto it = map.find(name);
  if (it == map.end()) {
    it = map.emplace(std::string(name), typename Map::mapped_type{}).first;
  }
  return it->second;
}

double round2(double v) {
  return std::round(v * 100.0) / 100.0;
}

// The sorted sample at index round((n - 1) * p); nearbyint rounds half to
// even, as Python's round() does in the original.
double percentile(std::vector<double> const& sorted, double p) {
  auto const last = static_cast<double>(sorted.size() - 1);
  auto const index = static_cast<std::size_t>(std::nearbyint(last * p));
  return sorted[std::min(index, sorted.size() - 1)];
}

} // namespace

void count(std::string_view name, std::int64_t by) {
  auto& s = shard_of(name);
  std::lock_guard lock{s.mutex};
  entry(s.counters, name) += by;
}

void observe_ms(std::string_view name, double ms) {
  if (!std::isfinite(ms)) {
    return;
  }
  auto& s = shard_of(name);
  std::lock_guard lock{s.mutex};
  auto& t = entry(s.timings, name);
  if (t.samples.size() < window) {
    if (t.samples.capacity() == 0) {
      t.samples.reserve(window);
    }
    t.samples.push_back(ms);
  } else {
    t.samples[t.next] = ms;
    t.next = (t.next + 1) % window;
  }
  ++t.total;
}

snapshot take_snapshot() {
  snapshot out;
  std::vector<std::pair<std::string, timing>> copies;
  for (auto& s : shards()) {
    std::lock_guard lock{s.mutex};
    for (auto const& [name, value] : s.counters) {
      out.counters.emplace(name, value);
    }
    for (auto const& [name, value] : s.timings) {
      copies.emplace_back(name, value);
    }
  }
  for (auto& [name, t] : copies) {
    timing_summary sum;
    sum.count = t.total;
    if (!t.samples.empty()) {
      std::sort(t.samples.begin(), t.samples.end());
      sum.p50 = round2(percentile(t.samples, 0.50));
      sum.p95 = round2(percentile(t.samples, 0.95));
      sum.max = round2(t.samples.back());
    }
    out.timings.emplace(std::move(name), sum);
  }
  return out;
}

void reset_for_tests() {
  for (auto& s : shards()) {
    std::lock_guard lock{s.mutex};
    s.counters.clear();
    s.timings.clear();
  }
}

} // namespace panel::core::metrics
