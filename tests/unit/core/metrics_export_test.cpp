#include "core/metrics_export.hpp"

#include <unistd.h>

#include <simdjson.h>

#include <catch2/catch.hpp>

namespace metrics = panel::core::metrics;

namespace {

metrics::report sample() {
  metrics::report r;
  r.worker_id = "123-abcdef01";
  r.counters = {{"image_jobs.generation.queued", 2}, {"image_jobs.generation.succeeded", 3},
                {"image_jobs.generation.failed", 1}, {"sse.rejected.per_ip_limit", 0}};
  r.gauges = {{"image_jobs.active", 0}, {"image_jobs.running_capacity", 2}, {"edit_sources.pending_bytes", 1.5}};
  r.rates = metrics::failure_ratios(r.counters);
  r.timings = {{"job_stage.upstream_wait", {1, 1.25, 1.25, 1.25}}};
  return r;
}

} // namespace

TEST_CASE("prometheus names follow §12.2", "[core][metrics]") {
  REQUIRE(metrics::prometheus_name("image_jobs.generation.queued") == "gpt_image_panel_image_jobs_generation_queued");
  REQUIRE(metrics::prometheus_name("..SSE.Rejected-per ip..") == "gpt_image_panel_sse_rejected_per_ip");
  REQUIRE(metrics::prometheus_name("café") == "gpt_image_panel_caf");
}

TEST_CASE("prometheus numbers: integers as-is, up to 6 decimals trimmed", "[core][metrics]") {
  REQUIRE(metrics::prometheus_number(0) == "0");
  REQUIRE(metrics::prometheus_number(2) == "2");
  REQUIRE(metrics::prometheus_number(-3) == "-3");
  REQUIRE(metrics::prometheus_number(1.25) == "1.25");
  REQUIRE(metrics::prometheus_number(0.1234567) == "0.123457");
  REQUIRE(metrics::prometheus_number(2.5000001) == "2.5");
  REQUIRE(metrics::prometheus_number(1e-9) == "0");
}

TEST_CASE("failure ratios are failed / (failed + succeeded), 0 without data", "[core][metrics]") {
  auto const rates = metrics::failure_ratios(sample().counters);
  REQUIRE(rates.at("image_jobs.generation.failure_ratio") == 0.25);
  REQUIRE(rates.at("image_jobs.edit.failure_ratio") == 0);
  REQUIRE(rates.size() == 2);
}

TEST_CASE("the prometheus text has every family sorted in its group with HELP and TYPE", "[core][metrics]") {
  auto const text = metrics::to_prometheus(sample());
  REQUIRE(text.back() == '\n');
  auto const expect_family = [&](std::string const& name, std::string const& type, std::string const& value) {
    INFO(name);
    REQUIRE(text.find("# TYPE " + name + " " + type + "\n" + name + " " + value + "\n") != std::string::npos);
    REQUIRE(text.find("# HELP " + name + " ") != std::string::npos);
  };
  expect_family("gpt_image_panel_image_jobs_generation_queued_total", "counter", "2");
  expect_family("gpt_image_panel_sse_rejected_per_ip_limit_total", "counter", "0");
  expect_family("gpt_image_panel_image_jobs_active", "gauge", "0");
  expect_family("gpt_image_panel_edit_sources_pending_bytes", "gauge", "1.5");
  expect_family("gpt_image_panel_image_jobs_generation_failure_ratio", "gauge", "0.25");
  expect_family("gpt_image_panel_job_stage_upstream_wait_count", "gauge", "1");
  expect_family("gpt_image_panel_job_stage_upstream_wait_p50_ms", "gauge", "1.25");
  expect_family("gpt_image_panel_job_stage_upstream_wait_p95_ms", "gauge", "1.25");
  expect_family("gpt_image_panel_job_stage_upstream_wait_max_ms", "gauge", "1.25");
  // counters < gauges < timings, and sorted inside each group
  auto const pos = [&](std::string const& n) { return text.find("# TYPE " + n + " "); };
  REQUIRE(pos("gpt_image_panel_image_jobs_generation_failed_total") <
          pos("gpt_image_panel_image_jobs_generation_queued_total"));
  REQUIRE(pos("gpt_image_panel_sse_rejected_per_ip_limit_total") < pos("gpt_image_panel_edit_sources_pending_bytes"));
  REQUIRE(pos("gpt_image_panel_edit_sources_pending_bytes") < pos("gpt_image_panel_image_jobs_active"));
  REQUIRE(pos("gpt_image_panel_image_jobs_running_capacity") < pos("gpt_image_panel_job_stage_upstream_wait_count"));
}

TEST_CASE("the JSON snapshot has the §12.1 shape", "[core][metrics]") {
  auto const json = metrics::to_json(sample());
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  REQUIRE(parser.parse(json).get(doc) == simdjson::SUCCESS);
  REQUIRE(bool(doc["enabled"]) == true);
  REQUIRE(std::string_view(doc["worker_id"]) == "123-abcdef01");
  REQUIRE(int64_t(doc["counters"]["image_jobs.generation.queued"]) == 2);
  REQUIRE(int64_t(doc["gauges"]["image_jobs.running_capacity"]) == 2);
  REQUIRE(double(doc["gauges"]["edit_sources.pending_bytes"]) == 1.5);
  REQUIRE(double(doc["rates"]["image_jobs.generation.failure_ratio"]) == 0.25);
  REQUIRE(int64_t(doc["rates"]["image_jobs.edit.failure_ratio"]) == 0);
  auto t = doc["timings_ms"]["job_stage.upstream_wait"];
  REQUIRE(int64_t(t["count"]) == 1);
  REQUIRE(double(t["p50"]) == 1.25);
  REQUIRE(double(t["p95"]) == 1.25);
  REQUIRE(double(t["max"]) == 1.25);
}

TEST_CASE("the worker id is <pid>-<hex> and stable", "[core][metrics]") {
  auto const& id = metrics::worker_id();
  REQUIRE(id == metrics::worker_id());
  REQUIRE(id.starts_with(std::to_string(::getpid()) + "-"));
  REQUIRE(id.size() == std::to_string(::getpid()).size() + 9);
}
