#include "store/gallery_filter.hpp"

#include <catch2/catch.hpp>

#include "core/crypto.hpp"
#include "store/gallery_fts.hpp"

using namespace panel;
using namespace panel::store;

TEST_CASE("date filters: date-only and ISO datetimes become UTC bounds", "[store][gallery]") {
  auto norm = [](std::string_view raw, bool end) { return normalize_date_filter(raw, end).value(); };
  CHECK(norm("2026-05-18", false) == std::optional<std::string>{"2026-05-18T00:00:00+00:00"});
  CHECK(norm(" 2026-05-18 ", true) == std::optional<std::string>{"2026-05-18T23:59:59.999999+00:00"});
  CHECK(norm("2026-05-18T12:30:00", false) == std::optional<std::string>{"2026-05-18T12:30:00+00:00"});
  CHECK(norm("2026-05-18T12:30:00Z", false) == std::optional<std::string>{"2026-05-18T12:30:00+00:00"});
  CHECK(norm("2026-05-18T20:30:00.5+08:00", false) == std::optional<std::string>{"2026-05-18T12:30:00.500000+00:00"});
  CHECK(norm("2026-05-18T12:30", true) == std::optional<std::string>{"2026-05-18T12:30:00+00:00"});
  CHECK_FALSE(norm("", false).has_value());
  CHECK_FALSE(norm("   ", true).has_value());
  for (auto bad : {"2026-5-18", "2026-02-30", "18.05.2026", "yesterday", "2026-05-18T25:00:00", "2026-05-18X",
                   "2026/05/18", "2026-05-18T12:00:00+99:00"}) {
    INFO(bad);
    auto r = normalize_date_filter(bad, false);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == errc::validation);
    CHECK(r.error().message == "Gallery date filters must use YYYY-MM-DD or ISO datetime");
  }
}

TEST_CASE("LIKE patterns escape the wildcard characters", "[store][gallery]") {
  CHECK(like_pattern("al") == "%al%");
  CHECK(like_pattern("50%_\\") == "%50\\%\\_\\\\%");
}

TEST_CASE("FTS phrases quote the text and double inner quotes", "[store][fts]") {
  CHECK(fts_phrase("needle") == "\"needle\"");
  CHECK(fts_phrase("a \"red\" cube") == "\"a \"\"red\"\" cube\"");
  CHECK(fts_phrase("x OR y*") == "\"x OR y*\"");
}

TEST_CASE("FTS is used from three characters on, when available", "[store][fts]") {
  gallery_filters f;
  f.prompt = "al";
  CHECK_FALSE(use_fts(f, true));
  f.prompt = "alp";
  CHECK(use_fts(f, true));
  CHECK_FALSE(use_fts(f, false));
  f.prompt = "\xE5\x9B\xBE\xE7\x89\x87";  // two characters, six bytes
  CHECK(utf8_chars(f.prompt) == 2);
  CHECK_FALSE(use_fts(f, true));
  f.prompt = "ab\x01";
  CHECK_FALSE(use_fts(f, true));
}

TEST_CASE("WHERE clauses combine the set filters with AND", "[store][gallery]") {
  CHECK(make_where({}, true).sql.empty());
  gallery_filters f;
  f.prompt = "needle";
  f.model = "m";
  f.preset = "p";
  f.size = "auto";
  f.date_from = "2026-01-01T00:00:00+00:00";
  f.date_to = "2026-01-02T00:00:00+00:00";
  f.favorite = false;
  auto const fts = make_where(f, true, "bytes IS NOT NULL");
  CHECK(fts.sql ==
        " WHERE rowid IN (SELECT rowid FROM gallery_entries_fts WHERE gallery_entries_fts MATCH ?) AND model = ? AND "
        "api_preset_name = ? AND size = ? AND created_at >= ? AND created_at <= ? AND favorite = ? AND bytes IS NOT "
        "NULL");
  REQUIRE(fts.values.size() == 7);
  CHECK(std::get<std::string>(fts.values[0]) == "\"needle\"");
  CHECK(std::get<std::int64_t>(fts.values[6]) == 0);
  auto const like = make_where(f, false);
  CHECK(like.sql.starts_with(" WHERE prompt LIKE ? ESCAPE '\\' AND model = ?"));
  CHECK(std::get<std::string>(like.values[0]) == "%needle%");
}

TEST_CASE("the filters' log form never holds the prompt", "[store][gallery]") {
  gallery_filters f;
  f.prompt = "secret sauce";
  f.model = "m";
  f.favorite = true;
  auto const json = filters_log_json(f);
  CHECK(json.find("secret") == std::string::npos);
  CHECK(json == R"({"prompt_present":true,"prompt_len":12,"prompt_hash":")" +
                    core::to_hex(core::sha256("secret sauce")) + R"(","model":"m","favorite":true})");
  CHECK(filters_log_json({}) == R"({"prompt_present":false,"prompt_len":0,"prompt_hash":null})");
}

TEST_CASE("make_gallery_filters trims and validates", "[store][gallery]") {
  auto f = make_gallery_filters(std::string{" a "}, std::string{" m "}, std::nullopt, std::string{""},
                                std::string{"2026-01-01"}, std::nullopt, true);
  REQUIRE(f);
  CHECK(f->prompt == "a");
  CHECK(f->model == "m");
  CHECK(f->preset.empty());
  CHECK(f->date_from == std::optional<std::string>{"2026-01-01T00:00:00+00:00"});
  CHECK_FALSE(f->date_to);
  CHECK(f->favorite == std::optional<bool>{true});
  CHECK_FALSE(make_gallery_filters(std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt,
                                   std::string{"nope"}, std::nullopt));
}
