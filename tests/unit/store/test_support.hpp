#pragma once
// Small helpers shared by the store unit tests.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "store/database.hpp"

namespace panel::store::test {

/// First column of the first row of `sql` as text; fails the test on error or no row.
inline std::string scalar_text(database& db, std::string_view sql) {
  auto stmt = db.prepare(sql);
  REQUIRE(stmt.has_value());
  auto row = stmt->step();
  REQUIRE(row.has_value());
  REQUIRE(*row);
  return stmt->column_text(0);
}

/// First column of the first row of `sql` as an integer.
inline std::int64_t scalar_int(database& db, std::string_view sql) {
  auto stmt = db.prepare(sql);
  REQUIRE(stmt.has_value());
  auto row = stmt->step();
  REQUIRE(row.has_value());
  REQUIRE(*row);
  return stmt->column_int64(0);
}

/// Runs DDL/DML without values; fails the test on error.
inline void exec_ok(database& db, std::string_view sql) {
  auto done = db.exec(sql);
  INFO((done ? std::string{} : done.error().message));
  REQUIRE(done.has_value());
}

/// Every first-column value of `sql` as text, in order.
inline std::vector<std::string> column_texts(database& db, std::string_view sql) {
  auto stmt = db.prepare(sql);
  REQUIRE(stmt.has_value());
  std::vector<std::string> out;
  while (true) {
    auto row = stmt->step();
    REQUIRE(row.has_value());
    if (!*row) {
      break;
    }
    out.push_back(stmt->column_text(0));
  }
  return out;
}

} // namespace panel::store::test
