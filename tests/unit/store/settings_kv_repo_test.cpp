#include "store/settings_kv_repo.hpp"

#include <optional>
#include <string>

#include <catch2/catch.hpp>

#include "store/database.hpp"
#include "store/temp_dir.hpp"
#include "store/test_support.hpp"

using panel::store::database;
using panel::store::open_mode;
using panel::store::settings_kv_repo;
using panel::store::test::exec_ok;
using panel::store::test::scalar_int;
using panel::store::test::temp_dir;

namespace {

database open_settings(temp_dir const& dir) {
  auto db = database::open(dir.path() / "kv.sqlite3", open_mode::create);
  REQUIRE(db.has_value());
  exec_ok(*db, "CREATE TABLE settings_kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
  return std::move(*db);
}

} // namespace

TEST_CASE("settings_kv_repo get/set/erase", "[store][settings_kv]") {
  temp_dir dir;
  database db = open_settings(dir);
  settings_kv_repo repo{db};

  auto missing = repo.get("webhook_url");
  REQUIRE(missing.has_value());
  CHECK_FALSE(missing->has_value());

  // Quotes and SQL-looking text are plain data for a bound parameter.
  std::string const tricky{R"({"a":"it's"}'); DROP TABLE settings_kv; --)"};
  REQUIRE(repo.set(panel::store::settings_keys::r2_backup_settings, tricky).has_value());
  auto stored = repo.get(panel::store::settings_keys::r2_backup_settings);
  REQUIRE(stored.has_value());
  CHECK(*stored == std::optional<std::string>{tricky});

  REQUIRE(repo.set("active_preset_id", "first").has_value());
  REQUIRE(repo.set("active_preset_id", "second").has_value());
  auto replaced = repo.get("active_preset_id");
  REQUIRE(replaced.has_value());
  CHECK(*replaced == std::optional<std::string>{"second"});
  CHECK(scalar_int(db, "SELECT count(*) FROM settings_kv") == 2);

  REQUIRE(repo.set("empty", "").has_value());
  auto empty = repo.get("empty");
  REQUIRE(empty.has_value());
  CHECK(*empty == std::optional<std::string>{""});

  auto erased = repo.erase("active_preset_id");
  REQUIRE(erased.has_value());
  CHECK(*erased);
  auto erased_again = repo.erase("active_preset_id");
  REQUIRE(erased_again.has_value());
  CHECK_FALSE(*erased_again);
  auto gone = repo.get("active_preset_id");
  REQUIRE(gone.has_value());
  CHECK_FALSE(gone->has_value());
}

TEST_CASE("settings_kv_repo reports a missing table as an error", "[store][settings_kv]") {
  temp_dir dir;
  auto db = database::open(dir.path() / "empty.sqlite3", open_mode::create);
  REQUIRE(db.has_value());
  settings_kv_repo repo{*db};
  CHECK_FALSE(repo.get("k").has_value());
  CHECK_FALSE(repo.set("k", "v").has_value());
  CHECK_FALSE(repo.erase("k").has_value());
}
