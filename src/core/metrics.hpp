#pragma once
// metrics: the process-wide counters and timings of spec/API.md §12. Cheap
// enough to call from any thread on a hot path (a sharded lock per name
// lookup; no allocation once a name exists). Gauges are not stored here: the
// metrics handler computes them at snapshot time from the actors' stats.
//
// Names are the dotted names of §12.1 ("image_jobs.generation.queued",
// "job_stage.upstream_wait", "gallery.request", ...). Never put a secret, a
// prompt or any user text in a name.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace panel::core::metrics {

/// Adds `by` to counter `name` (created at 0 on first use).
void count(std::string_view name, std::int64_t by = 1);

/// Records one timing sample in milliseconds for `name` (the last 2048 are kept).
void observe_ms(std::string_view name, double ms);

/// One timing's summary (§12.1): percentiles are the sorted sample at
/// index round((count - 1) * p); count is every sample ever recorded.
struct timing_summary {
  std::int64_t count = 0;
  double p50 = 0;
  double p95 = 0;
  double max = 0;
};

/// A consistent copy of everything recorded so far.
struct snapshot {
  std::map<std::string, std::int64_t> counters;
  std::map<std::string, timing_summary> timings;
};

[[nodiscard]] snapshot take_snapshot();

/// Forgets everything (unit tests only).
void reset_for_tests();

} // namespace panel::core::metrics
