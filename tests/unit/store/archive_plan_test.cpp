#include "store/archive_plan.hpp"

#include <fstream>
#include <string>

#include <catch2/catch.hpp>
#include <simdjson.h>

#include "core/crypto.hpp"
#include "store/gallery_repo.hpp"
#include "store/store.hpp"
#include "store/temp_dir.hpp"

using namespace panel::store;
using panel::store::test::temp_dir;

namespace {

void write(std::filesystem::path const& p, std::string const& data) {
  std::ofstream out{p, std::ios::binary};
  out << data;
}

std::string read(std::filesystem::path const& p) {
  std::ifstream in{p, std::ios::binary};
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

gallery_row row(std::string id, std::string filename, std::string created) {
  gallery_row r;
  r.id = std::move(id);
  r.prompt = "p";
  r.size = "auto";
  r.filename = std::move(filename);
  r.created_at = std::move(created);
  return r;
}


} // namespace

TEST_CASE("archive plan: newest first, duplicates renamed, missing and unsafe files skipped", "[archive]") {
  temp_dir dir;
  auto const images = dir.path() / "images";
  std::filesystem::create_directories(images);
  auto db = open_store({dir.path() / "data", {}});
  REQUIRE(db);
  gallery_repo repo{db->writer()};
  write(images / "dup.png", "shared bytes");
  write(images / "solo.png", "solo");
  auto legacy = row("r1", "dup.png", "2026-01-01T00:00:01+00:00"); // oldest; no bytes, no digest
  REQUIRE(repo.insert(legacy));
  auto known = row("r2", "dup.png", "2026-01-01T00:00:02+00:00");
  known.bytes = 999; // recorded values win when both are known
  known.sha256 = "recorded";
  REQUIRE(repo.insert(known));
  REQUIRE(repo.insert(row("r3", "gone.png", "2026-01-01T00:00:03+00:00")));
  REQUIRE(repo.insert(row("r4", "../secret.png", "2026-01-01T00:00:04+00:00")));
  REQUIRE(repo.insert(row("r5", "solo.png", "2026-01-01T00:00:05+00:00")));

  std::vector<plan_progress> progress;
  plan_request req;
  req.images_dir = images;
  req.metadata_path = dir.path() / "meta.tmp";
  req.app_version = "v9";
  req.exported_at = "2026-02-02T00:00:00+00:00";
  req.on_progress = [&](plan_progress const& p) { progress.push_back(p); };
  auto plan = build_archive_plan(db->writer(), req);
  REQUIRE(plan);
  CHECK(plan->requested_count == 5);
  CHECK(plan->found_rows == 5);
  REQUIRE(plan->images.size() == 3);
  CHECK(plan->images[0].name == "solo.png");
  CHECK(plan->images[1].name == "dup.png");
  CHECK(plan->images[1].filename == "dup.png");
  CHECK(plan->images[2].name == "dup_1.png");
  CHECK(plan->images[2].filename == "dup.png");
  CHECK(plan->images[2].size == 12);
  REQUIRE(plan->skipped.size() == 2);
  CHECK(plan->skipped[0].id == "r4");
  CHECK(plan->skipped[0].filename == "../secret.png");
  CHECK(plan->skipped[0].reason == "image_file_missing");
  CHECK(plan->skipped[1].id == "r3");

  auto const text = read(req.metadata_path);
  CHECK(plan->metadata_bytes == text.size());
  simdjson::dom::parser parser;
  auto doc = parser.parse(text);
  REQUIRE(doc.error() == simdjson::SUCCESS);
  auto imgs = doc["images"].get_array().value();
  REQUIRE(imgs.size() == 3);
  auto first_dup = imgs.at(1).value();
  CHECK(std::string_view(first_dup["filename"]) == "dup.png");
  CHECK(std::string_view(first_dup["sha256"]) == "recorded");
  CHECK(int64_t(first_dup["bytes"]) == 999);
  auto second_dup = imgs.at(2).value();
  CHECK(std::string_view(second_dup["id"]) == "r1");
  CHECK(std::string_view(second_dup["filename"]) == "dup_1.png");
  CHECK(int64_t(second_dup["bytes"]) == 12);
  CHECK(std::string_view(second_dup["sha256"]) == panel::core::to_hex(panel::core::sha256("shared bytes")));
  CHECK(doc["images"].at(0)["thumbnail_filename"].error() == simdjson::NO_SUCH_FIELD);
  CHECK(doc["skipped"].get_array().value().size() == 2);

  // 0..20 on the first, every tenth and the last row.
  REQUIRE(progress.size() == 2);
  CHECK(progress.front().processed == 1);
  CHECK(progress.front().percent == 4);
  CHECK(progress.back().processed == 5);
  CHECK(progress.back().percent == 20);
  CHECK(progress.back().exported == 3);
  CHECK(progress.back().missing == 2);
}

TEST_CASE("archive plan: a selection lists its missing rows first, in request order", "[archive]") {
  temp_dir dir;
  auto const images = dir.path() / "images";
  std::filesystem::create_directories(images);
  auto db = open_store({dir.path() / "data", {}});
  REQUIRE(db);
  gallery_repo repo{db->writer()};
  write(images / "a.png", "a");
  REQUIRE(repo.insert(row("a", "a.png", "2026-01-01T00:00:01+00:00")));
  REQUIRE(repo.insert(row("b", "b.png", "2026-01-01T00:00:02+00:00")));
  REQUIRE(repo.insert(row("c", "c.png", "2026-01-01T00:00:03+00:00")));

  plan_request req;
  req.ids = std::vector<std::string>{"x", "a", "b", "y"};
  req.images_dir = images;
  req.metadata_path = dir.path() / "meta.tmp";
  req.exported_at = "t";
  auto plan = build_archive_plan(db->writer(), req);
  REQUIRE(plan);
  CHECK(plan->requested_count == 4);
  CHECK(plan->found_rows == 2);
  REQUIRE(plan->images.size() == 1);
  CHECK(plan->images[0].name == "a.png");
  REQUIRE(plan->skipped.size() == 3);
  CHECK(plan->skipped[0].id == "x");
  CHECK_FALSE(plan->skipped[0].filename);
  CHECK(plan->skipped[0].reason == "gallery_entry_missing");
  CHECK(plan->skipped[1].id == "y");
  CHECK(plan->skipped[2].id == "b");
  CHECK(plan->skipped[2].reason == "image_file_missing");
  CHECK(*existing_row_count(db->writer(), {"x", "a", "c"}) == 2);
  CHECK(*gallery_row_count(db->writer()) == 3);

  // An existing metadata file is never overwritten: the plan fails instead.
  CHECK_FALSE(build_archive_plan(db->writer(), req));
  CHECK(std::filesystem::exists(req.metadata_path));
}
