#pragma once
// metrics_export: one metrics report (spec/API.md §12) rendered as the JSON
// snapshot of GET /api/metrics (§12.1) or as Prometheus text (§12.2). Pure; the
// handler fills the report from core::metrics and the actors' stats.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/metrics.hpp"

namespace panel::core::metrics {

/// Everything one scrape shows. Gauges and rates are numbers computed at
/// snapshot time; integral values print as integers.
struct report {
  std::string worker_id;
  std::map<std::string, std::int64_t> counters;
  std::map<std::string, double> gauges;
  std::map<std::string, double> rates;
  std::map<std::string, timing_summary> timings;
};

/// `failed / (failed + succeeded)` of `image_jobs.<op>.*` for generation and
/// edit, 0 without data (§12.1 rates).
[[nodiscard]] std::map<std::string, double> failure_ratios(std::map<std::string, std::int64_t> const& counters);

/// `<pid>-<8 hex>`, fixed for the life of the process.
[[nodiscard]] std::string const& worker_id();

/// The JSON object of §12.1: {"enabled":true,"worker_id","counters","gauges","rates","timings_ms"}.
[[nodiscard]] std::string to_json(report const& r);

/// `gpt_image_panel_` + the name with every non-alphanumeric character turned
/// into '_', outer '_' trimmed, lower case.
[[nodiscard]] std::string prometheus_name(std::string_view dotted);

/// Prometheus text exposition 0.0.4 (§12.2): counters (`_total`), then gauges
/// and rates, then the four gauges of each timing, each group sorted by name,
/// every family with # HELP and # TYPE, ending in a newline.
[[nodiscard]] std::string to_prometheus(report const& r);

/// A number as §12.2 prints it: integers as-is, else up to 6 decimals with
/// trailing zeros and dot trimmed.
[[nodiscard]] std::string prometheus_number(double v);

} // namespace panel::core::metrics
