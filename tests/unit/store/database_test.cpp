#include "store/database.hpp"

#include <chrono>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "store/temp_dir.hpp"
#include "store/test_support.hpp"

using panel::store::database;
using panel::store::open_mode;
using panel::store::test::exec_ok;
using panel::store::test::scalar_int;
using panel::store::test::scalar_text;
using panel::store::test::temp_dir;

TEST_CASE("database opens, runs SQL and closes explicitly", "[store][database]") {
  temp_dir dir;
  auto const file = dir.path() / "a.sqlite3";
  auto db = database::open(file, open_mode::create);
  REQUIRE(db.has_value());
  CHECK(db->is_open());
  CHECK(db->file() == file);
  exec_ok(*db, "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1); INSERT INTO t VALUES (2);");
  CHECK(scalar_int(*db, "SELECT sum(x) FROM t") == 3);
  REQUIRE(db->close().has_value());
  CHECK_FALSE(db->is_open());
  // A second close is a no-op, and a closed handle refuses work without crashing.
  CHECK(db->close().has_value());
  CHECK_FALSE(db->exec("SELECT 1").has_value());
  CHECK_FALSE(db->prepare("SELECT 1").has_value());
}

TEST_CASE("database reports SQL errors as values", "[store][database]") {
  temp_dir dir;
  auto db = database::open(dir.path() / "a.sqlite3", open_mode::create);
  REQUIRE(db.has_value());

  auto bad = db->exec("CREATE TABLE (");
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().code == panel::errc::internal);
  CHECK_FALSE(bad.error().message.empty());

  CHECK_FALSE(db->prepare("SELEKT 1").has_value());
  // Two statements in one prepare would silently drop the second.
  CHECK_FALSE(db->prepare("SELECT 1; SELECT 2").has_value());
  CHECK(db->prepare("SELECT 1;  \n").has_value());
  CHECK_FALSE(db->prepare("   ").has_value());
}

TEST_CASE("database::pragma returns the pragma's answer and refuses odd text", "[store][database]") {
  temp_dir dir;
  auto db = database::open(dir.path() / "a.sqlite3", open_mode::create);
  REQUIRE(db.has_value());
  auto mode = db->pragma("journal_mode=WAL");
  REQUIRE(mode.has_value());
  CHECK(*mode == "wal");
  auto fk = db->pragma("foreign_keys");
  REQUIRE(fk.has_value());
  CHECK(*fk == "0");
  CHECK_FALSE(db->pragma("user_version=1; DROP TABLE x").has_value());
  CHECK_FALSE(db->pragma("application_id='x'").has_value());
  CHECK_FALSE(db->pragma("").has_value());
}

TEST_CASE("database busy timeout is applied", "[store][database]") {
  temp_dir dir;
  auto db = database::open(dir.path() / "a.sqlite3", open_mode::create);
  REQUIRE(db.has_value());
  REQUIRE(db->set_busy_timeout(std::chrono::milliseconds{1234}).has_value());
  CHECK(scalar_int(*db, "PRAGMA busy_timeout") == 1234);
}

TEST_CASE("database::close reports live statements but never leaks", "[store][database]") {
  temp_dir dir;
  auto db = database::open(dir.path() / "a.sqlite3", open_mode::create);
  REQUIRE(db.has_value());
  auto stmt = db->prepare("SELECT 1");
  REQUIRE(stmt.has_value());
  auto closed = db->close();
  REQUIRE_FALSE(closed.has_value());
  CHECK_FALSE(db->is_open());
  // The statement is finalized after the close; SQLite then frees the zombie.
}

TEST_CASE("database open modes", "[store][database]") {
  temp_dir dir;
  auto const file = dir.path() / "a.sqlite3";

  SECTION("read_write needs an existing file") {
    auto missing = database::open(file, open_mode::read_write);
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().message.find("cannot open database") != std::string::npos);
  }
  SECTION("read_only can read but not write") {
    {
      auto writer = database::open(file, open_mode::create);
      REQUIRE(writer.has_value());
      exec_ok(*writer, "CREATE TABLE t (x); INSERT INTO t VALUES ('kept')");
    }
    auto reader = database::open(file, open_mode::read_only);
    REQUIRE(reader.has_value());
    CHECK(scalar_text(*reader, "SELECT x FROM t") == "kept");
    auto write = reader->exec("INSERT INTO t VALUES ('nope')");
    REQUIRE_FALSE(write.has_value());
    CHECK(write.error().message.find("readonly") != std::string::npos);
  }
  SECTION("a file that is not a database fails on first use") {
    std::ofstream{file} << "this is not an SQLite file, just some text padding it out to a page";
    // SQLite reads the header lazily: open succeeds, the first query fails.
    auto db = database::open(file, open_mode::read_write);
    REQUIRE(db.has_value());
    auto query = db->exec("SELECT count(*) FROM sqlite_schema");
    REQUIRE_FALSE(query.has_value());
    CHECK(query.error().message.find("not a database") != std::string::npos);
  }
}

TEST_CASE("database moves keep one owner", "[store][database]") {
  temp_dir dir;
  auto db = database::open(dir.path() / "a.sqlite3", open_mode::create);
  REQUIRE(db.has_value());
  database moved = std::move(*db);
  CHECK(moved.is_open());
  CHECK_FALSE(db->is_open());
  database assigned;
  assigned = std::move(moved);
  CHECK(assigned.is_open());
  CHECK_FALSE(moved.is_open());
  CHECK(scalar_int(assigned, "SELECT 7") == 7);
}
