#include "store/gallery_list.hpp"

#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <simdjson.h>

#include "store/store.hpp"
#include "store/temp_dir.hpp"
#include "store/test_support.hpp"

using namespace panel::store;
using panel::store::test::exec_ok;
using panel::store::test::temp_dir;

namespace {

gallery_row row(std::string id, std::string prompt, std::string created_at) {
  gallery_row r;
  r.id = std::move(id);
  r.prompt = std::move(prompt);
  r.size = "1024x1024";
  r.filename = r.id + ".png";
  r.created_at = std::move(created_at);
  r.model = "gpt-image-2";
  r.api_preset_name = "Default";
  r.bytes = 100;
  return r;
}

// An opened store plus one reader connection, as the reader pool has them.
struct fixture {
  temp_dir dir;
  store db = open_store(store_paths{dir.path() / "data", {}}).value();
  database reader = db.open_reader().value();

  void add(gallery_row const& r) { REQUIRE(gallery_repo{db.writer()}.insert(r).has_value()); }

  gallery_page list(gallery_list_request const& req) {
    auto page = list_gallery(reader, req);
    INFO((page ? std::string{} : page.error().message));
    REQUIRE(page.has_value());
    return std::move(*page);
  }

  std::vector<std::string> ids(gallery_list_request const& req) {
    std::vector<std::string> out;
    for (auto const& r : list(req).images) {
      out.push_back(r.id);
    }
    return out;
  }
};

gallery_list_request with_prompt(std::string prompt) {
  gallery_list_request req;
  req.filters.prompt = std::move(prompt);
  req.page_size = 100;
  return req;
}

using ids = std::vector<std::string>;

} // namespace

TEST_CASE("gallery pages: newest first, insertion order breaks ties, clamped", "[store][gallery]") {
  fixture f;
  for (int i = 0; i < 20; ++i) {
    // Pairs share a created_at: the later insert comes first.
    f.add(row("r" + std::to_string(i), "p", "2026-01-01T00:00:" + std::string(i / 2 < 10 ? "0" : "") +
                                               std::to_string(i / 2) + "+00:00"));
  }
  gallery_list_request req;
  auto first = f.list(req);
  CHECK(first.total == 20);
  CHECK(first.page == 1);
  CHECK(first.page_size == 9);
  CHECK(first.total_pages == 3);
  REQUIRE(first.images.size() == 9);
  CHECK(first.images[0].id == "r19");
  CHECK(first.images[1].id == "r18");
  CHECK(first.images[2].id == "r17");

  req.page = 3;
  CHECK(f.ids(req) == ids{"r1", "r0"});
  req.page = 99;
  auto clamped = f.list(req);
  CHECK(clamped.page == 3);
  CHECK(clamped.images.size() == 2);
  req.page_size = 100;
  req.page = 5;
  auto all = f.list(req);
  CHECK(all.page == 1);
  CHECK(all.total_pages == 1);
  CHECK(all.images.size() == 20);
}

TEST_CASE("an empty gallery has one empty page", "[store][gallery]") {
  fixture f;
  gallery_list_request req;
  req.page = 4;
  auto page = f.list(req);
  CHECK(page.total == 0);
  CHECK(page.page == 1);
  CHECK(page.total_pages == 1);
  CHECK(page.images.empty());
  auto const json = to_json(page);
  CHECK(json ==
        R"({"total":0,"total_bytes":0,"page":1,"page_size":9,"total_pages":1,"has_prev":false,"has_next":false,)"
        R"("images":[],"filter_options":{"models":[],"presets":[],"sizes":[]}})");
}

TEST_CASE("prompt search: FTS phrase from 3 characters, LIKE below, both case-insensitive", "[store][gallery][fts]") {
  fixture f;
  REQUIRE(f.db.fts_available());
  f.add(row("a", "alpha needle beta", "2026-01-01T00:00:01+00:00"));
  f.add(row("b", "ALPHA only", "2026-01-01T00:00:02+00:00"));
  f.add(row("c", "100% off_sale \"quoted\"", "2026-01-01T00:00:03+00:00"));

  auto page = f.list(with_prompt("needle"));
  CHECK(page.fts);
  CHECK(page.total == 1);
  CHECK(f.ids(with_prompt("NEEDLE")) == ids{"a"});
  CHECK(f.ids(with_prompt("dle be")) == ids{"a"});  // a substring, not a word
  CHECK(f.ids(with_prompt("alpha")) == ids{"b", "a"});
  CHECK(f.ids(with_prompt("\"quoted\"")) == ids{"c"});

  auto short_query = f.list(with_prompt("al"));
  CHECK_FALSE(short_query.fts);
  CHECK(short_query.total == 3);  // "sale" has an "al" too
  CHECK(f.ids(with_prompt("Al")) == ids{"c", "b", "a"});
  // LIKE wildcards are literal.
  CHECK(f.ids(with_prompt("%")) == ids{"c"});
  CHECK(f.ids(with_prompt("f_")) == ids{"c"});
  CHECK(f.ids(with_prompt("_")) == ids{"c"});
}

TEST_CASE("exact filters, dates and favourites combine with AND", "[store][gallery]") {
  fixture f;
  auto a = row("a", "p", "2026-05-17T23:59:59.999999+00:00");
  a.model = "gpt-image-1";
  a.size = "auto";
  auto b = row("b", "p", "2026-05-18T00:00:00+00:00");
  b.api_preset_name = "Alt";
  b.favorite = true;
  auto c = row("c", "p", "2026-05-18T23:59:59.999999+00:00");
  c.favorite = true;
  auto d = row("d", "p", "2026-05-19T00:00:00+00:00");
  for (auto const* r : {&a, &b, &c, &d}) {
    f.add(*r);
  }
  gallery_list_request req;
  req.filters.model = "gpt-image-1";
  CHECK(f.ids(req) == ids{"a"});
  req = {};
  req.filters.size = "auto";
  CHECK(f.ids(req) == ids{"a"});
  req = {};
  req.filters.preset = "Alt";
  CHECK(f.ids(req) == ids{"b"});
  req = {};
  req.filters.favorite = true;
  CHECK(f.ids(req) == ids{"c", "b"});
  req.filters.favorite = false;
  CHECK(f.ids(req) == ids{"d", "a"});
  req = {};
  req.filters.date_from = "2026-05-18T00:00:00+00:00";
  req.filters.date_to = "2026-05-18T23:59:59.999999+00:00";
  CHECK(f.ids(req) == ids{"c", "b"});
  req.filters.favorite = true;
  req.filters.preset = "Default";
  CHECK(f.ids(req) == ids{"c"});
}

TEST_CASE("filter options cover the whole gallery, sorted case-insensitively", "[store][gallery]") {
  fixture f;
  auto a = row("a", "p", "2026-01-01T00:00:01+00:00");
  a.model = "b-model";
  a.size = "auto";
  auto b = row("b", "p", "2026-01-01T00:00:02+00:00");
  b.model = "A-model";
  b.api_preset_name = "";
  auto c = row("c", "p", "2026-01-01T00:00:03+00:00");
  c.model = std::nullopt;
  c.api_preset_name = "alt";
  for (auto const* r : {&a, &b, &c}) {
    f.add(*r);
  }
  gallery_list_request req;
  req.filters.model = "b-model";
  auto page = f.list(req);
  CHECK(page.total == 1);
  CHECK(page.filter_options.models == std::vector<std::string>{"A-model", "b-model"});
  CHECK(page.filter_options.presets == std::vector<std::string>{"alt", "Default"});
  CHECK(page.filter_options.sizes == std::vector<std::string>{"1024x1024", "auto"});
}

TEST_CASE("total_bytes: SQL only, distinct filenames, largest known size", "[store][gallery]") {
  fixture f;
  auto a = row("a", "p", "2026-01-01T00:00:01+00:00");
  a.filename = "dup.png";
  a.bytes = 100;
  auto b = row("b", "p", "2026-01-01T00:00:02+00:00");
  b.filename = "dup.png";
  b.bytes = 120;
  auto c = row("c", "p", "2026-01-01T00:00:03+00:00");
  c.bytes = std::nullopt;  // legacy: not counted, and no file is read
  auto d = row("d", "needle", "2026-01-01T00:00:04+00:00");
  d.bytes = 7;
  for (auto const* r : {&a, &b, &c, &d}) {
    f.add(*r);
  }
  gallery_list_request req;
  CHECK(f.list(req).total_bytes == 0);  // not asked for
  req.include_total_bytes = true;
  CHECK(f.list(req).total_bytes == 127);
  CHECK(gallery_total_bytes(f.reader, {}).value() == 127);
  req.filters.prompt = "needle";
  CHECK(f.list(req).total_bytes == 7);
}

TEST_CASE("cached counts follow the writer's commits", "[store][gallery]") {
  fixture f;
  f.add(row("a", "needle", "2026-01-01T00:00:01+00:00"));
  gallery_list_request req;
  req.include_total_bytes = true;
  CHECK(f.list(req).total == 1);
  CHECK(f.ids(with_prompt("needle")) == ids{"a"});
  f.add(row("b", "needle two", "2026-01-01T00:00:02+00:00"));
  auto page = f.list(req);
  CHECK(page.total == 2);
  CHECK(page.total_bytes == 200);
  CHECK(f.list(with_prompt("needle")).total == 2);
  CHECK(f.ids(with_prompt("needle")) == ids{"b", "a"});
  exec_ok(f.db.writer(), "DELETE FROM gallery_entries WHERE id = 'a'");
  CHECK(f.list(req).total == 1);
  CHECK(f.list(with_prompt("needle")).total == 1);
  CHECK(f.ids(with_prompt("needle")) == ids{"b"});
}

TEST_CASE("a new connection at the same address never sees an old cache", "[store][gallery]") {
  for (int round = 0; round < 3; ++round) {
    fixture f;
    for (int i = 0; i <= round; ++i) {
      f.add(row("r" + std::to_string(i), "p", "2026-01-01T00:00:00+00:00"));
    }
    CHECK(f.list({}).total == round + 1);
  }
}

TEST_CASE("many FTS matches are paged in display order", "[store][gallery][fts]") {
  fixture f;
  exec_ok(f.db.writer(), "BEGIN");
  for (int i = 0; i < 2500; ++i) {
    char ts[40];
    std::snprintf(ts, sizeof ts, "2026-01-01T%02d:%02d:%02d+00:00", i / 3600, (i / 60) % 60, i % 60);
    f.add(row("r" + std::to_string(i), i % 2 == 0 ? "common word" : "other", ts));
  }
  exec_ok(f.db.writer(), "COMMIT");
  auto req = with_prompt("common");
  req.page_size = 10;
  req.page = 2;
  auto page = f.list(req);
  CHECK(page.fts);
  CHECK(page.total == 1250);  // many matches: walked in index order
  REQUIRE(page.images.size() == 10);
  CHECK(page.images.front().id == "r2478");
  CHECK(page.images.back().id == "r2460");
  auto few = with_prompt("common");
  few.filters.date_to = "2026-01-01T00:00:30+00:00";
  auto small = f.list(few);
  CHECK(small.total == 16);
  CHECK(small.images.front().id == "r30");
}

namespace {

// EXPLAIN QUERY PLAN details of the page query for `filters`.
std::string plan_of(database& db, gallery_filters const& filters, bool fts, bool walk = false) {
  auto stmt = db.prepare("EXPLAIN QUERY PLAN " + gallery_page_sql(make_where(filters, fts), walk));
  REQUIRE(stmt.has_value());
  std::string out;
  while (stmt->step().value()) {
    out += stmt->column_text(3) + "\n";
  }
  return out;
}

} // namespace

TEST_CASE("page queries walk an index in display order instead of sorting", "[store][gallery][plan]") {
  fixture f;
  gallery_filters none;
  auto const plain = plan_of(f.reader, none, false);
  INFO(plain);
  CHECK(plain.find("idx_gallery_entries_created_order") != std::string::npos);
  CHECK(plain.find("TEMP B-TREE") == std::string::npos);
  std::vector<std::pair<std::string, gallery_filters>> cases(5);
  cases[0].first = "model";
  cases[0].second.model = "m";
  cases[1].first = "preset";
  cases[1].second.preset = "p";
  cases[2].first = "size";
  cases[2].second.size = "auto";
  cases[3].first = "dates";
  cases[3].second.date_from = "a";
  cases[3].second.date_to = "b";
  cases[4].first = "favorite";
  cases[4].second.favorite = true;
  for (auto const& [name, filters] : cases) {
    auto const plan = plan_of(f.reader, filters, false);
    INFO(name << ": " << plan);
    CHECK(plan.find("TEMP B-TREE") == std::string::npos);
    CHECK(plan.find("SCAN gallery_entries\n") == std::string::npos);
  }
  gallery_filters common;
  common.prompt = "common";
  auto const walked = plan_of(f.reader, common, true, true);
  INFO(walked);
  CHECK(walked.find("idx_gallery_entries_created_order") != std::string::npos);
  CHECK(walked.find("TEMP B-TREE") == std::string::npos);
}

TEST_CASE("prompt searches past the cached-order size walk the index", "[store][gallery][fts]") {
  fixture f;
  exec_ok(f.db.writer(), "BEGIN");
  for (int i = 0; i < 20'100; ++i) {
    char ts[40];
    std::snprintf(ts, sizeof ts, "2026-01-%02dT%02d:%02d:%02d+00:00", 1 + i / 86400, (i / 3600) % 24, (i / 60) % 60,
                  i % 60);
    f.add(row("r" + std::to_string(i), i == 7 ? "rare word" : "common word", ts));
  }
  exec_ok(f.db.writer(), "COMMIT");
  auto req = with_prompt("common");
  req.page_size = 3;
  req.page = 2;
  auto page = f.list(req);
  CHECK(page.total == 20'099);
  REQUIRE(page.images.size() == 3);
  CHECK(page.images[0].id == "r20096");
  CHECK(page.images[2].id == "r20094");
  req.page = 6700;  // the last page: r0, r1 (r7 is the rare one)
  page = f.list(req);
  CHECK(page.page == 6700);
  REQUIRE(page.images.size() == 2);
  CHECK(page.images[0].id == "r1");
  CHECK(page.images[1].id == "r0");
  CHECK(f.ids(with_prompt("rare")) == ids{"r7"});
}

TEST_CASE("a page asked for again is the kept one until the writer commits", "[store][gallery]") {
  fixture f;
  f.add(row("a", "first", "2026-01-01T00:00:01+00:00"));
  gallery_list_request req;
  auto const first = f.list(req);
  REQUIRE(first.body);
  CHECK(*first.body == to_json(gallery_page{first.total, first.total_bytes, first.page, first.page_size,
                                            first.total_pages, first.images, first.filter_options, first.fts, {}}));
  auto const again = f.list(req);
  CHECK(again.body == first.body); // the same kept body, not a new one
  CHECK(again.images.size() == 1);
  req.include_total_bytes = true;
  auto const with_bytes = f.list(req);
  CHECK(with_bytes.body != first.body);
  CHECK(with_bytes.body->find("\"total_bytes\":100") != std::string::npos);
  req.include_total_bytes = false;
  f.add(row("b", "second", "2026-01-01T00:00:02+00:00"));
  auto const after = f.list(req);
  CHECK(after.body != first.body);
  CHECK(after.total == 2);
  CHECK(after.body->find("\"id\":\"b\"") != std::string::npos);
}

TEST_CASE("deep pages come from the kept order and follow commits", "[store][gallery]") {
  fixture f;
  exec_ok(f.db.writer(), "BEGIN");
  for (int i = 0; i < 1'250; ++i) {
    char ts[40];
    std::snprintf(ts, sizeof ts, "2026-01-01T%02d:%02d:%02d+00:00", i / 3600, (i / 60) % 60, i % 60);
    f.add(row("r" + std::to_string(i), "p", ts));
  }
  exec_ok(f.db.writer(), "COMMIT");
  gallery_list_request req;
  req.page_size = 100;
  req.page = 11; // offset 1,000: rows r249 .. r150
  auto page = f.list(req);
  REQUIRE(page.images.size() == 100);
  CHECK(page.images.front().id == "r249");
  CHECK(page.images.back().id == "r150");
  req.page = 13; // the last page: r49 .. r0
  page = f.list(req);
  CHECK(page.page == 13);
  REQUIRE(page.images.size() == 50);
  CHECK(page.images.back().id == "r0");
  // A shallow page of the same set, after the order is kept, agrees with it.
  req.page = 2;
  CHECK(f.list(req).images.front().id == "r1149");
  exec_ok(f.db.writer(), "DELETE FROM gallery_entries WHERE id IN ('r249', 'r0')");
  req.page = 11;
  page = f.list(req);
  CHECK(page.total == 1'248);
  CHECK(page.images.front().id == "r248");
  CHECK(page.images.back().id == "r149");
  req.page = 13;
  page = f.list(req);
  REQUIRE(page.images.size() == 48);
  CHECK(page.images.back().id == "r1");
}
