#include "core/metrics_export.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <vector>

#include <unistd.h>

#include "core/crypto.hpp"
#include "core/json_writer.hpp"

namespace panel::core::metrics {

namespace {

constexpr std::string_view prefix = "gpt_image_panel_";

bool integral(double v) {
  return std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 9.0e15;
}

void json_number(json_writer& w, double v) {
  if (integral(v)) {
    w.value(static_cast<std::int64_t>(v));
  } else {
    w.value(v);
  }
}

// HELP text from the dotted name only: never anything a user typed.
void family(std::string& out, std::string const& name, std::string_view type, std::string const& help,
            std::string const& value) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
  out.append(name).append(" ").append(value).append("\n");
}

} // namespace

std::map<std::string, double> failure_ratios(std::map<std::string, std::int64_t> const& counters) {
  std::map<std::string, double> out;
  for (std::string const op : {"generation", "edit"}) {
    auto get = [&](std::string const& what) {
      auto it = counters.find("image_jobs." + op + "." + what);
      return it == counters.end() ? std::int64_t{0} : it->second;
    };
    auto const failed = get("failed");
    auto const done = failed + get("succeeded");
    out["image_jobs." + op + ".failure_ratio"] =
        done > 0 ? std::round(static_cast<double>(failed) / static_cast<double>(done) * 1e6) / 1e6 : 0.0;
  }
  return out;
}

std::string const& worker_id() {
  static std::string const id = std::to_string(::getpid()) + "-" + to_hex(random_bytes(4));
  return id;
}

std::string to_json(report const& r) {
  json_writer w;
  w.begin_object().field("enabled", true).field("worker_id", r.worker_id);
  w.key("counters").begin_object();
  for (auto const& [name, v] : r.counters) {
    w.field(name, v);
  }
  w.end_object().key("gauges").begin_object();
  for (auto const& [name, v] : r.gauges) {
    w.key(name);
    json_number(w, v);
  }
  w.end_object().key("rates").begin_object();
  for (auto const& [name, v] : r.rates) {
    w.key(name);
    json_number(w, v);
  }
  w.end_object().key("timings_ms").begin_object();
  for (auto const& [name, t] : r.timings) {
    w.key(name).begin_object().field("count", t.count);
    w.key("p50");
    json_number(w, t.p50);
    w.key("p95");
    json_number(w, t.p95);
    w.key("max");
    json_number(w, t.max);
    w.end_object();
  }
  w.end_object().end_object();
  return std::move(w).str();
}

std::string prometheus_name(std::string_view dotted) {
  std::string body;
  body.reserve(dotted.size());
  for (char const c : dotted) {
    auto const u = static_cast<unsigned char>(c);
    body += std::isalnum(u) != 0 && u < 0x80 ? static_cast<char>(std::tolower(u)) : '_';
  }
  auto const first = body.find_first_not_of('_');
  if (first == std::string::npos) {
    return std::string(prefix.substr(0, prefix.size() - 1));
  }
  auto const last = body.find_last_not_of('_');
  return std::string(prefix) + body.substr(first, last - first + 1);
}

std::string prometheus_number(double v) {
  if (!std::isfinite(v)) {
    return std::isnan(v) ? "NaN" : (v > 0 ? "+Inf" : "-Inf");
  }
  if (integral(v)) {
    return std::to_string(static_cast<std::int64_t>(v));
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", v);
  std::string s{buf};
  while (!s.empty() && s.back() == '0') {
    s.pop_back();
  }
  if (!s.empty() && s.back() == '.') {
    s.pop_back();
  }
  return s == "-0" ? "0" : s;
}

std::string to_prometheus(report const& r) {
  std::string out;
  // Sorted by the exported name, which may order differently from the dotted one.
  // exported name -> (dotted name, value text)
  std::map<std::string, std::pair<std::string, std::string>> counters;
  for (auto const& [name, v] : r.counters) {
    counters[prometheus_name(name) + "_total"] = {name, std::to_string(v)};
  }
  for (auto const& [name, v] : counters) {
    family(out, name, "counter", "Counter " + v.first + ".", v.second);
  }
  std::map<std::string, std::pair<std::string, std::string>> gauges;
  for (auto const* group : {&r.gauges, &r.rates}) {
    for (auto const& [name, v] : *group) {
      gauges[prometheus_name(name)] = {name, prometheus_number(v)};
    }
  }
  for (auto const& [name, v] : gauges) {
    family(out, name, "gauge", "Gauge " + v.first + ".", v.second);
  }
  std::map<std::string, std::pair<std::string, timing_summary>> timings;
  for (auto const& [name, t] : r.timings) {
    timings[prometheus_name(name)] = {name, t};
  }
  for (auto const& [base, v] : timings) {
    auto const& [dotted, t] = v;
    family(out, base + "_count", "gauge", "Samples recorded for timing " + dotted + ".", std::to_string(t.count));
    family(out, base + "_p50_ms", "gauge", "Median of the last 2048 " + dotted + " samples, milliseconds.",
           prometheus_number(t.p50));
    family(out, base + "_p95_ms", "gauge", "95th percentile of the last 2048 " + dotted + " samples, milliseconds.",
           prometheus_number(t.p95));
    family(out, base + "_max_ms", "gauge", "Maximum of the last 2048 " + dotted + " samples, milliseconds.",
           prometheus_number(t.max));
  }
  return out;
}

} // namespace panel::core::metrics
