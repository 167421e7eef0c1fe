#include "store/statement.hpp"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include <catch2/catch.hpp>

#include "store/database.hpp"
#include "store/temp_dir.hpp"
#include "store/test_support.hpp"

using panel::store::database;
using panel::store::open_mode;
using panel::store::test::exec_ok;
using panel::store::test::temp_dir;

namespace {

database open_scratch(temp_dir const& dir) {
  auto db = database::open(dir.path() / "scratch.sqlite3", open_mode::create);
  REQUIRE(db.has_value());
  exec_ok(*db, "CREATE TABLE t (id INTEGER PRIMARY KEY, i INTEGER, r REAL, s TEXT, u TEXT UNIQUE)");
  return std::move(*db);
}

} // namespace

TEST_CASE("statement binds by index and reads every type back", "[store][statement]") {
  temp_dir dir;
  database db = open_scratch(dir);
  std::string const text_with_nul{"caf\xc3\xa9\0tail", 10};

  auto insert = db.prepare("INSERT INTO t (i, r, s) VALUES (?1, ?2, ?3)");
  REQUIRE(insert.has_value());
  REQUIRE(insert->parameter_count() == 3);
  REQUIRE(insert->bind_int64(1, std::numeric_limits<std::int64_t>::min()).has_value());
  REQUIRE(insert->bind_double(2, -2.5).has_value());
  REQUIRE(insert->bind_text(3, text_with_nul).has_value());
  REQUIRE(insert->execute().has_value());
  // Reuse after execute(): bindings stay, one value changes.
  REQUIRE(insert->bind_int64(1, std::numeric_limits<std::int64_t>::max()).has_value());
  REQUIRE(insert->execute().has_value());
  REQUIRE(db.changes() == 1);
  REQUIRE(db.last_insert_rowid() == 2);

  auto select = db.prepare("SELECT i, r, s, typeof(i), typeof(r), typeof(s) FROM t ORDER BY id");
  REQUIRE(select.has_value());
  REQUIRE(select->column_count() == 6);
  REQUIRE(select->column_name(2) == "s");
  auto row = select->step();
  REQUIRE(row.has_value());
  REQUIRE(*row);
  CHECK(select->column_int64(0) == std::numeric_limits<std::int64_t>::min());
  CHECK(select->column_double(1) == -2.5);
  CHECK(select->column_text(2) == text_with_nul);
  CHECK(select->column_text(3) == "integer");
  CHECK(select->column_text(4) == "real");
  CHECK(select->column_text(5) == "text");
  row = select->step();
  REQUIRE(row.has_value());
  REQUIRE(*row);
  CHECK(select->column_int64(0) == std::numeric_limits<std::int64_t>::max());
  row = select->step();
  REQUIRE(row.has_value());
  CHECK_FALSE(*row);
}

TEST_CASE("statement::bind maps C++ types, optionals and nulls", "[store][statement]") {
  temp_dir dir;
  database db = open_scratch(dir);
  auto stmt = db.prepare("SELECT typeof(?1), typeof(?2), typeof(?3), typeof(?4), typeof(?5), typeof(?6), "
                         "typeof(?7), ?1, ?2, ?3, ?5, ?7");
  REQUIRE(stmt.has_value());
  std::optional<std::int64_t> const some_int{42};
  std::optional<std::string> const no_text{};
  std::string const owned{"owned"};
  REQUIRE(stmt->bind_all(true, 7u, 1.25f, std::nullopt, some_int, no_text, owned).has_value());
  auto row = stmt->step();
  REQUIRE(row.has_value());
  REQUIRE(*row);
  CHECK(stmt->column_text(0) == "integer");
  CHECK(stmt->column_text(1) == "integer");
  CHECK(stmt->column_text(2) == "real");
  CHECK(stmt->column_text(3) == "null");
  CHECK(stmt->column_text(4) == "integer");
  CHECK(stmt->column_text(5) == "null");
  CHECK(stmt->column_text(6) == "text");
  CHECK(stmt->column_int64(7) == 1);
  CHECK(stmt->column_int64(8) == 7);
  CHECK(stmt->column_double(9) == 1.25);
  CHECK(stmt->column_optional_int64(10) == std::optional<std::int64_t>{42});
  CHECK(stmt->column_text(11) == "owned");
}

TEST_CASE("statement binds by name and reports unknown names", "[store][statement]") {
  temp_dir dir;
  database db = open_scratch(dir);
  auto insert = db.prepare("INSERT INTO t (i, s) VALUES (:number, :label)");
  REQUIRE(insert.has_value());
  REQUIRE(insert->bind(":label", std::string_view{"named"}).has_value());
  REQUIRE(insert->bind(":number", 99).has_value());
  REQUIRE(insert->execute().has_value());

  auto missing = insert->bind(":nope", 1);
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().code == panel::errc::internal);

  auto select = db.prepare("SELECT i, s, r FROM t WHERE s = @label");
  REQUIRE(select.has_value());
  REQUIRE(select->bind("@label", "named").has_value());
  auto row = select->step();
  REQUIRE(row.has_value());
  REQUIRE(*row);
  CHECK(select->column_optional_int64(0) == std::optional<std::int64_t>{99});
  CHECK(select->column_optional_text(1) == std::optional<std::string>{"named"});
  CHECK(select->column_is_null(2));
  CHECK_FALSE(select->column_optional_double(2).has_value());
  CHECK_FALSE(select->column_optional_text(2).has_value());
}

TEST_CASE("statement errors never echo bound values", "[store][statement]") {
  temp_dir dir;
  database db = open_scratch(dir);
  std::string const secret{"sk-top-secret-value"};
  auto insert = db.prepare("INSERT INTO t (u) VALUES (?1)");
  REQUIRE(insert.has_value());
  REQUIRE(insert->bind(1, secret).has_value());
  REQUIRE(insert->execute().has_value());

  // Same value again violates UNIQUE: a conflict, and the secret stays out of the text.
  auto again = insert->execute();
  REQUIRE_FALSE(again.has_value());
  CHECK(again.error().code == panel::errc::conflict);
  CHECK(again.error().message.find("UNIQUE") != std::string::npos);
  CHECK(again.error().message.find(secret) == std::string::npos);

  // Index 5 does not exist: SQLITE_RANGE, reported without the value.
  auto out_of_range = insert->bind(5, secret);
  REQUIRE_FALSE(out_of_range.has_value());
  CHECK(out_of_range.error().message.find(secret) == std::string::npos);

  auto too_big = insert->bind(1, std::numeric_limits<std::uint64_t>::max());
  REQUIRE_FALSE(too_big.has_value());
}

TEST_CASE("statement reset and clear_bindings allow reuse", "[store][statement]") {
  temp_dir dir;
  database db = open_scratch(dir);
  auto stmt = db.prepare("SELECT ?1");
  REQUIRE(stmt.has_value());
  REQUIRE(stmt->bind(1, 5).has_value());
  auto row = stmt->step();
  REQUIRE(row.has_value());
  REQUIRE(*row);
  CHECK(stmt->column_int64(0) == 5);
  stmt->reset();
  stmt->clear_bindings();
  row = stmt->step();
  REQUIRE(row.has_value());
  REQUIRE(*row);
  CHECK(stmt->column_is_null(0));
}

TEST_CASE("empty and moved-from statements fail cleanly", "[store][statement]") {
  panel::store::statement empty;
  CHECK_FALSE(empty.valid());
  CHECK_FALSE(empty.step().has_value());
  CHECK_FALSE(empty.bind(1, 1).has_value());
  CHECK(empty.column_count() == 0);

  temp_dir dir;
  database db = open_scratch(dir);
  auto stmt = db.prepare("SELECT 1");
  REQUIRE(stmt.has_value());
  panel::store::statement moved = std::move(*stmt);
  CHECK(moved.valid());
  CHECK_FALSE(stmt->valid());
}
