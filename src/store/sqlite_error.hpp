#pragma once
// Turns SQLite result codes into panel::error. Internal to panel::store.

#include <string_view>

#include "core/expected.hpp"

struct sqlite3;

namespace panel::store {

/// The panel category for a SQLite primary result code: BUSY/LOCKED ->
/// unavailable, CONSTRAINT -> conflict, everything else -> internal.
[[nodiscard]] errc sqlite_errc(int result_code);

/// An error for `result_code` that says what failed (`context`) and why
/// (SQLite's message for `db`, or the generic text of the code when `db` is
/// null). SQLite's messages name tables and columns, never bound values, so
/// the result is safe to log. Called on the thread that owns `db`.
[[nodiscard]] panel::error sqlite_error(int result_code, sqlite3* db, std::string_view context);

} // namespace panel::store
