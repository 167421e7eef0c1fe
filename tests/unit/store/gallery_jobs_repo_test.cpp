#include "store/gallery_jobs_repo.hpp"

#include <catch2/catch.hpp>
#include <simdjson.h>

#include "store/store.hpp"
#include "store/temp_dir.hpp"

using namespace panel::store;
using panel::store::test::temp_dir;

namespace {

gallery_job_record job(std::string id, std::string status, std::string updated, std::string kind = "export") {
  gallery_job_record j;
  j.job_id = std::move(id);
  j.kind = std::move(kind);
  j.status = std::move(status);
  j.stage = j.status;
  j.message = "m";
  j.created_at = "2026-01-01T00:00:00+00:00";
  j.updated_at = std::move(updated);
  return j;
}

} // namespace

TEST_CASE("gallery_jobs_repo: a record round-trips every column", "[archive]") {
  temp_dir dir;
  auto db = open_store({dir.path(), {}});
  REQUIRE(db);
  gallery_jobs_repo repo{db->writer()};
  auto j = job("a1", "success", "2026-01-01T00:00:05+00:00");
  j.progress = 100;
  j.filename = "gpt-images-20260101_000000.zip";
  j.download_url = "/api/gallery/export-jobs/a1/download";
  j.path = "/data/exports/a1.zip";
  j.requested_count = 3;
  j.processed_count = 3;
  j.exported_count = 2;
  j.missing_count = 1;
  j.bytes_total = 999;
  j.bytes_written = 999;
  j.started_at = "s";
  j.completed_at = "c";
  j.payload_json = R"({"ids":null,"filename_prefix":"gpt-images"})";
  REQUIRE(repo.insert(j));
  CHECK_FALSE(repo.insert(j)); // duplicate id
  auto back = repo.get("export", "a1");
  REQUIRE(back);
  REQUIRE(*back);
  CHECK(**back == j);
  auto other_kind = repo.get("sync", "a1");
  REQUIRE(other_kind);
  CHECK_FALSE(*other_kind);

  j.progress = 42;
  auto updated = repo.update(j);
  REQUIRE(updated);
  CHECK(*updated);
  CHECK((*repo.get("export", "a1"))->progress == 42);
  CHECK_FALSE(*repo.update(job("nope", "queued", "x")));

  auto removed = repo.remove("export", "a1");
  REQUIRE(removed);
  REQUIRE(*removed);
  CHECK((*removed)->path == j.path);
  CHECK_FALSE(*repo.get("export", "a1"));
  CHECK_FALSE(*repo.remove("export", "a1"));
}

TEST_CASE("gallery_jobs_repo: active counts, garbage and startup failure", "[archive]") {
  temp_dir dir;
  auto db = open_store({dir.path(), {}});
  REQUIRE(db);
  gallery_jobs_repo repo{db->writer()};
  REQUIRE(repo.insert(job("q", "queued", "2026-01-01T00:00:01+00:00")));
  REQUIRE(repo.insert(job("r", "running", "2026-01-01T00:00:02+00:00")));
  REQUIRE(repo.insert(job("old", "success", "2026-01-01T00:00:03+00:00")));
  REQUIRE(repo.insert(job("err", "error", "2026-01-01T00:10:00+00:00")));
  REQUIRE(repo.insert(job("s", "running", "2026-01-01T00:00:00+00:00", "sync")));
  CHECK(*repo.count_active("export") == 2);
  CHECK(*repo.count_active("sync") == 1);

  auto old = repo.finished_before("export", "2026-01-01T00:05:00+00:00");
  REQUIRE(old);
  REQUIRE(old->size() == 1);
  CHECK(old->front().job_id == "old");

  auto failed = repo.fail_unfinished("export", "2026-02-02T00:00:00+00:00", "Failed to build ZIP archive",
                                     "Export interrupted by server restart");
  REQUIRE(failed);
  CHECK(*failed == 2);
  CHECK(*repo.count_active("export") == 0);
  CHECK(*repo.count_active("sync") == 1); // other kinds untouched
  auto q = *repo.get("export", "q");
  CHECK(q->status == "error");
  CHECK(q->stage == "error");
  CHECK(q->error == "Export interrupted by server restart");
  CHECK(q->completed_at == "2026-02-02T00:00:00+00:00");
  CHECK(repo.list("export")->size() == 4);
}

TEST_CASE("gallery_jobs_repo: GalleryExportJobStatus has every key, nulls included", "[archive]") {
  auto j = job("a1", "queued", "u");
  j.stage = "queued";
  j.message = "Queued gallery ZIP export";
  j.filename = "gpt-images-x.zip";
  auto const text = export_job_json(j);
  simdjson::dom::parser parser;
  auto doc = parser.parse(text);
  REQUIRE(doc.error() == simdjson::SUCCESS);
  simdjson::dom::object o = doc.value();
  std::vector<std::string> keys;
  for (auto field : o) {
    keys.emplace_back(field.key);
  }
  CHECK(keys == std::vector<std::string>{"job_id", "status", "stage", "message", "progress", "filename", "download_url",
                                         "requested_count", "processed_count", "exported_count", "missing_count",
                                         "bytes_total", "bytes_written", "created_at", "updated_at", "error"});
  CHECK(o["download_url"].is_null());
  CHECK(o["error"].is_null());
  CHECK(int64_t(o["progress"]) == 0);
}
