#pragma once
// schema: the README-era tables of spec/API.md §13.2 as data, and the code
// that makes an existing database match them without losing anything.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"

namespace panel::store {

class database;

/// One column: how CREATE TABLE declares it, and how ALTER TABLE ADD COLUMN
/// adds it to an older table (SQLite cannot add NOT NULL without a default,
/// nor a key). An empty `add_decl` means the column cannot be added: a table
/// without it is not one of ours.
struct column_spec {
  std::string_view name;
  std::string_view create_decl;
  std::string_view add_decl;
};

/// One table: its columns in declaration order and its indexes as complete
/// `CREATE INDEX IF NOT EXISTS` statements.
struct table_spec {
  std::string_view name;
  std::span<column_spec const> columns;
  std::span<std::string_view const> indexes;
};

/// settings_kv, api_presets, gallery_entries, generate_jobs, prompt_snippets,
/// gallery_jobs: static data, safe from any thread.
[[nodiscard]] std::span<table_spec const> core_tables() noexcept;

/// True when a table or view called `table` exists in the main schema.
[[nodiscard]] expected<bool> table_exists(database& db, std::string_view table);

/// Column names of `table` in order (PRAGMA table_info); empty when the
/// table does not exist.
[[nodiscard]] expected<std::vector<std::string>> table_columns(database& db, std::string_view table);

/// Creates `table` if missing, adds the columns an older version lacks
/// (extra columns are left alone), then creates its indexes. Idempotent.
/// Runs on the writer, inside the caller's transaction.
[[nodiscard]] expected<void> ensure_table(database& db, table_spec const& table);

/// ensure_table for every core table.
[[nodiscard]] expected<void> ensure_core_schema(database& db);

} // namespace panel::store
