#include "store/migrations.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "store/database.hpp"
#include "store/schema.hpp"
#include "store/store.hpp"
#include "store/temp_dir.hpp"
#include "store/test_support.hpp"

using panel::store::database;
using panel::store::migration;
using panel::store::open_mode;
using panel::store::open_store;
using panel::store::recorded_migrations;
using panel::store::run_migrations;
using panel::store::store_paths;
using panel::store::test::exec_ok;
using panel::store::test::scalar_int;
using panel::store::test::scalar_text;
using panel::store::test::temp_dir;

namespace {

using versions = std::vector<std::int64_t>;

panel::expected<void> create_a(database& db) {
  return db.exec("CREATE TABLE IF NOT EXISTS a (x INTEGER)");
}

panel::expected<void> create_b_then_fail(database& db) {
  if (auto made = db.exec("CREATE TABLE b (x INTEGER)"); !made) {
    return made;
  }
  return db.exec("INSERT INTO no_such_table VALUES (1)");
}

panel::expected<void> create_c(database& db) {
  return db.exec("CREATE TABLE IF NOT EXISTS c (x INTEGER)");
}

database open_plain(temp_dir const& dir) {
  auto db = database::open(dir.path() / "m.sqlite3", open_mode::create);
  REQUIRE(db.has_value());
  return std::move(*db);
}

bool has_table(database& db, std::string const& name) {
  auto exists = panel::store::table_exists(db, name);
  REQUIRE(exists.has_value());
  return *exists;
}

} // namespace

TEST_CASE("migrations are applied once: reopening changes nothing", "[store][migrations]") {
  temp_dir dir;
  auto const data = dir.path() / "data";
  std::string schema_before;
  {
    auto first = open_store(store_paths{data, {}});
    REQUIRE(first.has_value());
    CHECK(first->migrations().applied == versions{1});
    CHECK(first->migrations().replayed.empty());
    schema_before = scalar_text(first->writer(), "SELECT group_concat(name || sql, '|') FROM "
                                                 "(SELECT name, sql FROM sqlite_schema ORDER BY name)");
    exec_ok(first->writer(), "INSERT INTO settings_kv (key, value) VALUES ('active_preset_id', 'p1')");
    REQUIRE(first->close().has_value());
  }
  auto second = open_store(store_paths{data, {}});
  REQUIRE(second.has_value());
  CHECK(second->migrations().applied.empty());
  CHECK(second->migrations().replayed.empty());
  auto& db = second->writer();
  CHECK(scalar_text(db, "SELECT group_concat(name || sql, '|') FROM "
                        "(SELECT name, sql FROM sqlite_schema ORDER BY name)") == schema_before);
  auto recorded = recorded_migrations(db);
  REQUIRE(recorded.has_value());
  CHECK(*recorded == versions{1});
  CHECK(scalar_text(db, "SELECT name FROM schema_migrations WHERE version = 1") == "core_schema");
  CHECK_FALSE(scalar_text(db, "SELECT applied_at FROM schema_migrations WHERE version = 1").empty());
  CHECK(scalar_text(db, "SELECT value FROM settings_kv WHERE key = 'active_preset_id'") == "p1");
}

TEST_CASE("a failing migration leaves no trace and stops the run", "[store][migrations]") {
  temp_dir dir;
  database db = open_plain(dir);
  std::array const list{
      migration{1, "a", &create_a},
      migration{2, "b", &create_b_then_fail},
      migration{3, "c", &create_c},
  };
  auto report = run_migrations(db, list);
  REQUIRE_FALSE(report.has_value());
  CHECK(report.error().message.find("migration 2 (b)") != std::string::npos);
  CHECK(has_table(db, "a"));
  CHECK_FALSE(has_table(db, "b"));
  CHECK_FALSE(has_table(db, "c"));
  CHECK_FALSE(db.in_transaction());
  auto recorded = recorded_migrations(db);
  REQUIRE(recorded.has_value());
  CHECK(*recorded == versions{1});

  // Fixed list: the run resumes after the recorded version.
  std::array const fixed{
      migration{1, "a", &create_a},
      migration{2, "b", &create_c},
      migration{3, "c", &create_c},
  };
  auto resumed = run_migrations(db, fixed);
  REQUIRE(resumed.has_value());
  CHECK(resumed->applied == versions{2, 3});
  recorded = recorded_migrations(db);
  REQUIRE(recorded.has_value());
  CHECK(*recorded == versions{1, 2, 3});
}

TEST_CASE("run_migrations rejects a badly ordered list and open transactions", "[store][migrations]") {
  temp_dir dir;
  database db = open_plain(dir);
  std::array const unordered{migration{2, "x", &create_a}, migration{1, "y", &create_c}};
  CHECK_FALSE(run_migrations(db, unordered).has_value());
  std::array const zero{migration{0, "x", &create_a}};
  CHECK_FALSE(run_migrations(db, zero).has_value());
  CHECK_FALSE(has_table(db, "a"));

  exec_ok(db, "BEGIN");
  std::array const fine{migration{1, "a", &create_a}};
  CHECK_FALSE(run_migrations(db, fine).has_value());
  exec_ok(db, "ROLLBACK");
  CHECK(run_migrations(db, fine).has_value());
  CHECK(has_table(db, "a"));
}

TEST_CASE("a ledger written by the original panel is respected", "[store][migrations]") {
  temp_dir dir;
  auto const data = dir.path() / "data";
  std::filesystem::create_directories(data);
  {
    // The original keeps (version, name NOT NULL, applied_at NOT NULL) rows of its own.
    auto original = database::open(data / "app.sqlite3", open_mode::create);
    REQUIRE(original.has_value());
    exec_ok(*original, R"sql(
      CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);
      INSERT INTO schema_migrations VALUES (1, 'baseline_legacy_schema', '2025-01-01T00:00:00+00:00');
      CREATE TABLE settings_kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    )sql");
  }
  auto opened = open_store(store_paths{data, {}});
  INFO((opened ? std::string{} : opened.error().message));
  REQUIRE(opened.has_value());
  CHECK(opened->migrations().applied.empty());
  CHECK(opened->migrations().replayed == versions{1});
  auto& db = opened->writer();
  // Our schema is in place anyway, and the original's row is untouched.
  CHECK(has_table(db, "gallery_entries"));
  CHECK(has_table(db, "gallery_jobs"));
  CHECK(scalar_text(db, "SELECT name FROM schema_migrations WHERE version = 1") == "baseline_legacy_schema");
  CHECK(scalar_int(db, "SELECT count(*) FROM schema_migrations") == 1);
}

TEST_CASE("builtin migrations start at 1 and increase", "[store][migrations]") {
  auto const list = panel::store::builtin_migrations();
  REQUIRE_FALSE(list.empty());
  CHECK(list.front().version == 1);
  CHECK(list.front().name == "core_schema");
  for (std::size_t i = 1; i < list.size(); ++i) {
    CHECK(list[i].version > list[i - 1].version);
  }
}
