#include <catch2/catch.hpp>

#include "actors/sync_record.hpp"
#include "store/gallery_jobs_repo.hpp"
#include "store/store.hpp"
#include "store/temp_dir.hpp"

using namespace panel::actors;
using panel::store::test::temp_dir;

namespace {

sync_status running(std::string id) {
  sync_status s;
  s.job_id = std::move(id);
  s.status = "running";
  s.stage = "uploading";
  s.message = "Compared 3 gallery image(s)";
  s.progress = 30;
  s.created_at = "2026-01-01T00:00:00+00:00";
  s.updated_at = "2026-01-01T00:00:02+00:00";
  s.started_at = "2026-01-01T00:00:01+00:00";
  s.total_count = 10;
  s.compared_count = 3;
  s.uploaded_count = 2;
  s.skipped_existing_count = 1;
  s.bytes_total = 1000;
  s.bytes_uploaded = 200;
  return s;
}

} // namespace

TEST_CASE("sync records round-trip through gallery_jobs with their owner") {
  temp_dir dir;
  auto db = panel::store::open_store({dir.path(), {}});
  REQUIRE(db);
  auto& conn = db->writer();
  auto s = running("a1");
  REQUIRE(insert_sync_record(conn, s, "owner-1"));
  auto back = load_sync_record(conn, "a1");
  REQUIRE(back);
  REQUIRE(*back);
  REQUIRE((*back)->owner == "owner-1");
  REQUIRE(to_json((*back)->status) == to_json(s));
  REQUIRE((*back)->status.started_at == s.started_at);
  s.status = "success";
  s.error = "x";
  s.completed_at = "2026-01-01T00:00:09+00:00";
  REQUIRE(save_sync_record(conn, s, "owner-1"));
  back = load_sync_record(conn, "a1");
  REQUIRE((*back)->status.status == "success");
  REQUIRE((*back)->status.error == std::optional<std::string>{"x"});
  REQUIRE((*back)->status.completed_at == s.completed_at);
  // Other kinds and unknown ids are not sync runs.
  REQUIRE_FALSE(*load_sync_record(conn, "nope"));
  auto row = panel::store::gallery_jobs_repo{conn}.get("sync", "a1");
  REQUIRE((*row)->kind == "sync");
  REQUIRE_FALSE(*panel::store::gallery_jobs_repo{conn}.get("export", "a1"));
}

TEST_CASE("only runs of this process are active; the others are interrupted") {
  temp_dir dir;
  auto db = panel::store::open_store({dir.path(), {}});
  REQUIRE(db);
  auto& conn = db->writer();
  REQUIRE(insert_sync_record(conn, running("old"), "crashed-process"));
  REQUIRE(*has_active_sync(conn, "me") == false);
  auto const old = *load_sync_record(conn, "old");
  auto const seen = visible_status(*old, "me", "2026-01-02T00:00:00+00:00");
  REQUIRE(seen.status == "error");
  REQUIRE(seen.error == std::optional<std::string>{std::string{interrupted_error}});
  REQUIRE(seen.uploaded_count == 2);
  REQUIRE(visible_status(*old, "crashed-process", "x").status == "running");

  REQUIRE(insert_sync_record(conn, running("mine"), "me"));
  REQUIRE(*has_active_sync(conn, "me"));
  REQUIRE(*interrupt_stale_syncs(conn, "me", "2026-01-02T00:00:00+00:00") == 1);
  REQUIRE((*load_sync_record(conn, "old"))->status.status == "error");
  REQUIRE((*load_sync_record(conn, "old"))->status.completed_at == "2026-01-02T00:00:00+00:00");
  REQUIRE((*load_sync_record(conn, "mine"))->status.status == "running");
  REQUIRE(*interrupt_stale_syncs(conn, "me", "later") == 0);
}
