#include "store/transaction.hpp"

#include <catch2/catch.hpp>

#include "store/database.hpp"
#include "store/temp_dir.hpp"
#include "store/test_support.hpp"

using panel::store::database;
using panel::store::open_mode;
using panel::store::transaction;
using panel::store::transaction_kind;
using panel::store::test::exec_ok;
using panel::store::test::scalar_int;
using panel::store::test::temp_dir;

namespace {

database open_counter(temp_dir const& dir) {
  auto db = database::open(dir.path() / "tx.sqlite3", open_mode::create);
  REQUIRE(db.has_value());
  exec_ok(*db, "CREATE TABLE c (x INTEGER)");
  return std::move(*db);
}

} // namespace

TEST_CASE("transaction commit keeps the writes", "[store][transaction]") {
  temp_dir dir;
  database db = open_counter(dir);
  auto tx = transaction::begin(db);
  REQUIRE(tx.has_value());
  CHECK(tx->active());
  CHECK(db.in_transaction());
  exec_ok(db, "INSERT INTO c VALUES (1)");
  REQUIRE(tx->commit().has_value());
  CHECK_FALSE(tx->active());
  CHECK_FALSE(db.in_transaction());
  CHECK(scalar_int(db, "SELECT count(*) FROM c") == 1);
  // Committing twice is a caller bug, reported rather than ignored.
  CHECK_FALSE(tx->commit().has_value());
}

TEST_CASE("transaction rolls back when dropped or asked", "[store][transaction]") {
  temp_dir dir;
  database db = open_counter(dir);
  {
    auto tx = transaction::begin(db, transaction_kind::deferred);
    REQUIRE(tx.has_value());
    exec_ok(db, "INSERT INTO c VALUES (1)");
  }
  CHECK_FALSE(db.in_transaction());
  CHECK(scalar_int(db, "SELECT count(*) FROM c") == 0);

  auto tx = transaction::begin(db);
  REQUIRE(tx.has_value());
  exec_ok(db, "INSERT INTO c VALUES (2)");
  REQUIRE(tx->rollback().has_value());
  CHECK(scalar_int(db, "SELECT count(*) FROM c") == 0);
}

TEST_CASE("transaction refuses to nest and survives a move", "[store][transaction]") {
  temp_dir dir;
  database db = open_counter(dir);
  auto outer = transaction::begin(db);
  REQUIRE(outer.has_value());
  auto inner = transaction::begin(db);
  REQUIRE_FALSE(inner.has_value());
  CHECK(inner.error().code == panel::errc::internal);

  transaction moved = std::move(*outer);
  CHECK_FALSE(outer->active());
  CHECK(moved.active());
  exec_ok(db, "INSERT INTO c VALUES (3)");
  REQUIRE(moved.commit().has_value());
  CHECK(scalar_int(db, "SELECT count(*) FROM c") == 1);

  database closed;
  CHECK_FALSE(transaction::begin(closed).has_value());
}
