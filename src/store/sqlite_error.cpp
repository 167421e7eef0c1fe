#include "store/sqlite_error.hpp"

#include <string>

#include <sqlite3.h>

namespace panel::store {

errc sqlite_errc(int result_code) {
  switch (result_code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return errc::unavailable;
    case SQLITE_CONSTRAINT:
      return errc::conflict;
    default:
      return errc::internal;
  }
}

panel::error sqlite_error(int result_code, sqlite3* db, std::string_view context) {
  std::string message{context};
  message += ": ";
  // sqlite3_errmsg describes the most recent failure on db; when there is no
  // connection (open failed before one existed) the generic text is all we have.
  char const* detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(result_code);
  message += detail != nullptr ? detail : "unknown SQLite error";
  message += " (SQLite code ";
  message += std::to_string(result_code);
  message += ")";
  return panel::error{sqlite_errc(result_code), std::move(message)};
}

} // namespace panel::store
