#include <catch2/catch.hpp>

#include "actors/sync_status.hpp"

using namespace panel::actors;

TEST_CASE("sync status JSON has every key of GallerySyncJobStatus, in order") {
  sync_status s;
  s.job_id = "0123456789abcdef0123456789abcdef";
  s.created_at = "2026-01-01T00:00:00+00:00";
  s.updated_at = s.created_at;
  s.started_at = "hidden";
  s.total_count = 2;
  REQUIRE(to_json(s) ==
          R"({"job_id":"0123456789abcdef0123456789abcdef","status":"queued","stage":"queued",)"
          R"("message":"Queued R2 gallery sync","progress":0,"created_at":"2026-01-01T00:00:00+00:00",)"
          R"("updated_at":"2026-01-01T00:00:00+00:00","error":null,"total_count":2,"compared_count":0,)"
          R"("uploaded_count":0,"skipped_existing_count":0,"missing_local_count":0,"failed_count":0,)"
          R"("bytes_total":0,"bytes_uploaded":0})");
  s.error = "boom";
  REQUIRE(to_json(s).find(R"("error":"boom")") != std::string::npos);
}

TEST_CASE("sync progress follows round(min(compared, total) / total * 100)") {
  REQUIRE(sync_progress(0, 0) == 100);
  REQUIRE(sync_progress(0, 3) == 0);
  REQUIRE(sync_progress(1, 3) == 33);
  REQUIRE(sync_progress(2, 3) == 67);
  REQUIRE(sync_progress(1, 8) == 12); // 12.5 rounds half to even, as Python's round()
  REQUIRE(sync_progress(3, 8) == 38); // 37.5 -> 38
  REQUIRE(sync_progress(5, 3) == 100);
  REQUIRE(compared_message(7) == "Compared 7 gallery image(s)");
}

TEST_CASE("upload failures are summarised with at most three samples") {
  REQUIRE(upload_failure_summary({{"a.png", "x"}}, 1) == "R2 sync failed for 1 image(s): a.png: x");
  REQUIRE(upload_failure_summary({{"a.png", "x"}, {"b.png", "y"}, {"c.png", "z"}}, 5) ==
          "R2 sync failed for 5 image(s): a.png: x; b.png: y; c.png: z; 2 more");
  REQUIRE(upload_failure_summary({{"a.png", "x"}, {"b.png", "y"}, {"c.png", "z"}, {"d.png", "w"}}, 4) ==
          "R2 sync failed for 4 image(s): a.png: x; b.png: y; c.png: z; 1 more");
}

TEST_CASE("an interrupted run keeps its counters and becomes a terminal error") {
  sync_status s;
  s.status = "running";
  s.stage = "uploading";
  s.uploaded_count = 3;
  REQUIRE_FALSE(s.terminal());
  mark_interrupted(s, "2026-01-01T00:00:01+00:00");
  REQUIRE(s.terminal());
  REQUIRE(s.status == "error");
  REQUIRE(s.stage == "error");
  REQUIRE(s.message == "R2 gallery sync failed");
  REQUIRE(s.error == std::string{interrupted_error});
  REQUIRE(s.uploaded_count == 3);
  REQUIRE(s.completed_at == "2026-01-01T00:00:01+00:00");
}
