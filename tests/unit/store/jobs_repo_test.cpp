#include "store/jobs_repo.hpp"

#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <simdjson.h>

#include "store/store.hpp"
#include "store/temp_dir.hpp"
#include "store/test_support.hpp"

using panel::store::job_image;
using panel::store::job_record;
using panel::store::jobs_repo;
using panel::store::open_store;
using panel::store::store_paths;
using panel::store::test::exec_ok;
using panel::store::test::scalar_int;
using panel::store::test::temp_dir;

namespace {

panel::store::store open_temp_store(temp_dir const& dir) {
  auto opened = open_store(store_paths{dir.path() / "data", {}});
  INFO((opened ? std::string{} : opened.error().message));
  REQUIRE(opened.has_value());
  return std::move(*opened);
}

// A job persisted at `updated_at` (seconds) so ordering is easy to read.
job_record make_job(std::string id, std::string status, int updated_second) {
  job_record job;
  job.job_id = std::move(id);
  job.status = std::move(status);
  job.created_at = "2026-05-18T12:00:00+00:00";
  std::string second = std::to_string(updated_second);
  if (second.size() < 2) {
    second.insert(0, "0");
  }
  job.updated_at = "2026-05-18T12:00:" + second + "+00:00";
  return job;
}

std::vector<std::string> ids_of(std::vector<job_record> const& jobs) {
  std::vector<std::string> ids;
  for (job_record const& job : jobs) {
    ids.push_back(job.job_id);
  }
  return ids;
}

} // namespace

TEST_CASE("job to_json has every GenerateJobStatus key, nulls for absent values", "[store][jobs]") {
  job_record job = make_job("j1", "queued", 1);
  std::string const text = panel::store::to_json(job);
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  REQUIRE(parser.parse(text).get_object().get(object) == simdjson::SUCCESS);

  std::vector<std::string> const keys{
      "job_id", "status", "message", "stage", "operation", "id", "image_id", "image_url", "images",
      "prompt", "size", "created_at", "started_at", "updated_at", "completed_at", "image_width",
      "image_height", "model", "quality", "output_format", "output_compression",
      "response_format", "n", "api_path", "api_preset_name", "duration", "stage_timings", "error"};
  CHECK(object.size() == keys.size());
  for (std::string const& key : keys) {
    INFO(key);
    CHECK(object.at_key(key).error() == simdjson::SUCCESS);
  }
  CHECK(object["id"].is_null());
  CHECK(object["error"].is_null());
  CHECK(object["n"].is_null());
  CHECK(text.find(R"("images":[])") != std::string::npos);
  CHECK(text.find(R"("stage_timings":{})") != std::string::npos);
  CHECK(text.rfind(R"({"job_id":"j1","status":"queued",)", 0) == 0);
}

TEST_CASE("job to_json mirrors image_id as id and rounds timings to 2 decimals", "[store][jobs]") {
  job_record job = make_job("j1", "success", 1);
  job.image_id = "img";
  job.image_url = "/api/image/img.png";
  job.images.push_back(job_image{"img", "/api/image/img.png", "img.png", 1024, std::nullopt});
  job.stage_timings = {{"upstream_wait", 1250.0}, {"validate", 0.755}, {"db_insert", 3.14159}};
  job.n = 2;
  std::string const text = panel::store::to_json(job);
  CHECK(text.find(R"("id":"img","image_id":"img")") != std::string::npos);
  CHECK(text.find(R"("upstream_wait":1250.0)") != std::string::npos);
  CHECK(text.find(R"("db_insert":3.14)") != std::string::npos);
  CHECK(text.find(R"("image_width":1024,"image_height":null)") != std::string::npos);
  CHECK(text.find(R"("n":2)") != std::string::npos);
}

TEST_CASE("jobs_repo insert/get/update round trip every column", "[store][jobs]") {
  temp_dir dir;
  auto st = open_temp_store(dir);
  jobs_repo repo{st.writer()};

  job_record job = make_job("j1", "queued", 1);
  job.stage = "queued";
  job.message = "Queued image generation";
  job.operation = "generation";
  job.prompt = "a red cube";
  job.size = "auto";
  job.n = 2;
  job.output_compression = 100;
  REQUIRE(repo.insert(job).has_value());
  CHECK_FALSE(repo.insert(job).has_value()); // duplicate job_id

  auto got = repo.get("j1");
  REQUIRE(got.has_value());
  REQUIRE(got->has_value());
  CHECK(**got == job);

  job.status = "success";
  job.stage = "completed";
  job.completed_at = "2026-05-18T20:00:05+08:00";
  job.image_id = "a";
  job.image_url = "/api/image/a.png";
  job.images = {job_image{"a", "/api/image/a.png", "a.png", 1024, 768},
                job_image{"b", "/api/image/b.webp", "b.webp", std::nullopt, std::nullopt}};
  job.stage_timings = {{"upstream_wait", 1.25}, {"download_decode", 2.5}, {"validate", 0.75}};
  job.error = "1 failed";
  auto updated = repo.update(job);
  REQUIRE(updated.has_value());
  CHECK(*updated);
  got = repo.get("j1");
  REQUIRE(got.has_value());
  REQUIRE(got->has_value());
  CHECK(**got == job);
  CHECK((*got)->stage_timings.at("validate") == 0.75);

  auto missing_update = repo.update(make_job("nope", "error", 1));
  REQUIRE(missing_update.has_value());
  CHECK_FALSE(*missing_update);
  auto missing = repo.get("nope");
  REQUIRE(missing.has_value());
  CHECK_FALSE(missing->has_value());
}

TEST_CASE("jobs_repo synthesises images from image_id/image_url of legacy rows", "[store][jobs]") {
  temp_dir dir;
  auto st = open_temp_store(dir);
  exec_ok(st.writer(),
          "INSERT INTO generate_jobs (job_id, status, created_at, updated_at, image_id, image_url, "
          "images_json, image_width, image_height) VALUES ('old', 'success', 'c', 'u', 'x1', "
          "'/api/image/x1.png', NULL, 640, 480)");
  jobs_repo repo{st.writer()};
  auto got = repo.get("old");
  REQUIRE(got.has_value());
  REQUIRE(got->has_value());
  REQUIRE((*got)->images.size() == 1);
  CHECK((*got)->images[0] == job_image{"x1", "/api/image/x1.png", "x1.png", 640, 480});
  CHECK(panel::store::to_json(**got).find(R"("id":"x1")") != std::string::npos);

  // Damaged JSON columns read as empty rather than failing the row.
  exec_ok(st.writer(),
          "INSERT INTO generate_jobs (job_id, status, created_at, updated_at, images_json, "
          "stage_timings_json) VALUES ('bad', 'error', 'c', 'u', '[{', 'nope')");
  auto bad = repo.get("bad");
  REQUIRE(bad.has_value());
  REQUIRE(bad->has_value());
  CHECK((*bad)->images.empty());
  CHECK((*bad)->stage_timings.empty());
}

TEST_CASE("jobs_repo list filters, orders by updated_at desc, pages", "[store][jobs]") {
  temp_dir dir;
  auto st = open_temp_store(dir);
  jobs_repo repo{st.writer()};
  REQUIRE(repo.insert(make_job("q", "queued", 5)).has_value());
  REQUIRE(repo.insert(make_job("r", "running", 3)).has_value());
  REQUIRE(repo.insert(make_job("s", "success", 4)).has_value());
  REQUIRE(repo.insert(make_job("e", "error", 2)).has_value());
  REQUIRE(repo.insert(make_job("u", "upstream_error", 1)).has_value());
  REQUIRE(repo.insert(make_job("c", "cancelled", 6)).has_value());

  auto active = repo.list(false, -1, 0, false);
  REQUIRE(active.has_value());
  CHECK(ids_of(*active) == std::vector<std::string>{"q", "r"});

  auto all = repo.list(true, -1, 0, false);
  REQUIRE(all.has_value());
  CHECK(ids_of(*all) == std::vector<std::string>{"c", "q", "s", "r", "e", "u"});

  auto page = repo.list(true, 2, 1, false);
  REQUIRE(page.has_value());
  CHECK(ids_of(*page) == std::vector<std::string>{"q", "s"});

  auto failed = repo.list(true, -1, 0, true);
  REQUIRE(failed.has_value());
  CHECK(ids_of(*failed) == std::vector<std::string>{"e", "u"});

  auto failed_active = repo.list(false, -1, 0, true);
  REQUIRE(failed_active.has_value());
  CHECK(failed_active->empty());
}

TEST_CASE("jobs_repo delete_finished keeps queued and running jobs", "[store][jobs]") {
  temp_dir dir;
  auto st = open_temp_store(dir);
  jobs_repo repo{st.writer()};
  REQUIRE(repo.insert(make_job("q", "queued", 1)).has_value());
  REQUIRE(repo.insert(make_job("r", "running", 2)).has_value());
  REQUIRE(repo.insert(make_job("s", "success", 3)).has_value());
  REQUIRE(repo.insert(make_job("i", "interrupted", 4)).has_value());
  auto deleted = repo.delete_finished();
  REQUIRE(deleted.has_value());
  CHECK(*deleted == 2);
  auto left = repo.list(true, -1, 0, false);
  REQUIRE(left.has_value());
  CHECK(ids_of(*left) == std::vector<std::string>{"r", "q"});
}

TEST_CASE("jobs_repo marks queued/running jobs interrupted at startup", "[store][jobs]") {
  temp_dir dir;
  auto st = open_temp_store(dir);
  jobs_repo repo{st.writer()};
  REQUIRE(repo.insert(make_job("q", "queued", 1)).has_value());
  REQUIRE(repo.insert(make_job("r", "running", 2)).has_value());
  REQUIRE(repo.insert(make_job("s", "success", 3)).has_value());
  std::string const now{"2026-05-19T08:00:00+00:00"};
  auto changed = repo.mark_interrupted_on_startup(now);
  REQUIRE(changed.has_value());
  CHECK(*changed == 2);

  for (char const* id : {"q", "r"}) {
    auto got = repo.get(id);
    REQUIRE(got.has_value());
    REQUIRE(got->has_value());
    job_record const& job = **got;
    CHECK(job.status == "interrupted");
    CHECK(job.stage == "interrupted");
    CHECK(job.message == "Job interrupted by server restart");
    CHECK(job.error == "Job interrupted by server restart");
    CHECK(job.completed_at == now);
    CHECK(job.updated_at == now);
  }
  auto done = repo.get("s");
  REQUIRE(done.has_value());
  REQUIRE(done->has_value());
  CHECK((*done)->status == "success");
  CHECK((*done)->updated_at != now);
  auto active = repo.list(false, -1, 0, false);
  REQUIRE(active.has_value());
  CHECK(active->empty());
}

TEST_CASE("jobs_repo trim_history removes oldest terminal jobs, never active ones", "[store][jobs]") {
  temp_dir dir;
  auto st = open_temp_store(dir);
  jobs_repo repo{st.writer()};
  // Oldest two are active; then four terminal jobs.
  REQUIRE(repo.insert(make_job("q", "queued", 1)).has_value());
  REQUIRE(repo.insert(make_job("r", "running", 2)).has_value());
  REQUIRE(repo.insert(make_job("t3", "success", 3)).has_value());
  REQUIRE(repo.insert(make_job("t4", "error", 4)).has_value());
  REQUIRE(repo.insert(make_job("t5", "cancelled", 5)).has_value());
  REQUIRE(repo.insert(make_job("t6", "success", 6)).has_value());

  auto untouched = repo.trim_history(10);
  REQUIRE(untouched.has_value());
  CHECK(*untouched == 0);

  auto trimmed = repo.trim_history(4);
  REQUIRE(trimmed.has_value());
  CHECK(*trimmed == 2);
  auto left = repo.list(true, -1, 0, false);
  REQUIRE(left.has_value());
  CHECK(ids_of(*left) == std::vector<std::string>{"t6", "t5", "r", "q"});

  // Even keep=1 cannot remove active jobs.
  trimmed = repo.trim_history(1);
  REQUIRE(trimmed.has_value());
  CHECK(*trimmed == 2);
  CHECK(scalar_int(st.writer(), "SELECT COUNT(*) FROM generate_jobs") == 2);
}

TEST_CASE("jobs_repo trim_history defaults to 100 rows", "[store][jobs]") {
  temp_dir dir;
  auto st = open_temp_store(dir);
  jobs_repo repo{st.writer()};
  for (int i = 0; i < 103; ++i) {
    job_record job = make_job("j" + std::to_string(i), i == 0 ? "running" : "success", 0);
    // 1000 + i keeps the text width fixed, so string order is numeric order.
    job.updated_at = "2026-05-18T12:00:00." + std::to_string(1000 + i) + "+00:00";
    REQUIRE(repo.insert(job).has_value());
  }
  auto trimmed = repo.trim_history();
  REQUIRE(trimmed.has_value());
  CHECK(*trimmed == 3);
  CHECK(scalar_int(st.writer(), "SELECT COUNT(*) FROM generate_jobs") == 100);
  CHECK(scalar_int(st.writer(), "SELECT COUNT(*) FROM generate_jobs WHERE job_id = 'j0'") == 1);
  CHECK(scalar_int(st.writer(), "SELECT COUNT(*) FROM generate_jobs WHERE job_id IN ('j1', 'j2', 'j3')") == 0);
  CHECK(scalar_int(st.writer(), "SELECT COUNT(*) FROM generate_jobs WHERE job_id = 'j4'") == 1);
}
