#include "store/schema.hpp"

#include <algorithm>
#include <array>

#include "store/database.hpp"

namespace panel::store {

namespace {

// Declarations for columns that are optional, so old tables get them as is.
constexpr std::string_view text = "TEXT";
constexpr std::string_view integer = "INTEGER";
// NOT NULL columns added to an old table need a default for the rows it has.
constexpr std::string_view text_nn = "TEXT NOT NULL";
constexpr std::string_view text_nn_add = "TEXT NOT NULL DEFAULT ''";
constexpr std::string_view int_zero = "INTEGER NOT NULL DEFAULT 0";

constexpr std::array settings_kv_columns{
    column_spec{"key", "TEXT PRIMARY KEY", ""},
    column_spec{"value", text_nn, text_nn_add},
};

constexpr std::array api_presets_columns{
    column_spec{"id", "TEXT PRIMARY KEY", ""},
    column_spec{"name", text_nn, text_nn_add},
    column_spec{"api_url", text_nn, text_nn_add},
    column_spec{"api_key", text_nn, text_nn_add},
    // The first presets only knew the generations endpoint.
    column_spec{"api_path", text_nn, "TEXT NOT NULL DEFAULT '/v1/images/generations'"},
    // "" tells the presets repo to use the default model of the preset's path.
    column_spec{"default_model", text_nn, text_nn_add},
    column_spec{"default_response_format", "TEXT NOT NULL DEFAULT 'url'", "TEXT NOT NULL DEFAULT 'url'"},
    column_spec{"position", int_zero, int_zero},
    column_spec{"created_at", text_nn, text_nn_add},
    column_spec{"updated_at", text_nn, text_nn_add},
};

constexpr std::array gallery_entries_columns{
    column_spec{"id", "TEXT PRIMARY KEY", ""},
    column_spec{"prompt", text_nn, text_nn_add},
    column_spec{"size", text_nn, text_nn_add},
    column_spec{"filename", text_nn, ""},
    column_spec{"thumbnail_filename", text, text},
    column_spec{"created_at", text_nn, text_nn_add},
    column_spec{"completed_at", text, text},
    column_spec{"image_width", integer, integer},
    column_spec{"image_height", integer, integer},
    column_spec{"model", text, text},
    column_spec{"quality", text, text},
    column_spec{"output_format", text, text},
    column_spec{"output_compression", integer, integer},
    column_spec{"response_format", text, text},
    column_spec{"n", integer, integer},
    column_spec{"api_path", text, text},
    column_spec{"api_preset_name", text, text},
    column_spec{"duration", text, text},
    column_spec{"favorite", int_zero, int_zero},
    column_spec{"bytes", integer, integer},
    column_spec{"sha256", text, text},
    column_spec{"sort_seq", integer, integer},
};

constexpr std::array<std::string_view, 8> gallery_entries_indexes{
    "CREATE INDEX IF NOT EXISTS idx_gallery_entries_created_at "
    "ON gallery_entries(created_at DESC)",
    // The gallery's order is created_at DESC, rowid DESC: an ascending index
    // read backwards gives exactly that (the DESC one above, kept for databases
    // of the original panel, would need a sort for the rowid tie-break).
    "CREATE INDEX IF NOT EXISTS idx_gallery_entries_created_order "
    "ON gallery_entries(created_at)",
    "CREATE INDEX IF NOT EXISTS idx_gallery_entries_model_created_at "
    "ON gallery_entries(model, created_at)",
    "CREATE INDEX IF NOT EXISTS idx_gallery_entries_preset_created_at "
    "ON gallery_entries(api_preset_name, created_at)",
    "CREATE INDEX IF NOT EXISTS idx_gallery_entries_size_created_at "
    "ON gallery_entries(size, created_at)",
    "CREATE INDEX IF NOT EXISTS idx_gallery_entries_favorite_created_at "
    "ON gallery_entries(favorite, created_at)",
    // Covers filename lookups and total_bytes (MAX(bytes) per filename) without
    // touching the table.
    "CREATE INDEX IF NOT EXISTS idx_gallery_entries_filename_bytes ON gallery_entries(filename, bytes)",
    // Legacy rows without a byte count are backfilled by filename; keep that scan small.
    "CREATE INDEX IF NOT EXISTS idx_gallery_entries_missing_bytes_filename "
    "ON gallery_entries(filename) WHERE bytes IS NULL",
};

constexpr std::array generate_jobs_columns{
    column_spec{"job_id", "TEXT PRIMARY KEY", ""},
    column_spec{"status", text_nn, text_nn_add},
    column_spec{"stage", text, text},
    column_spec{"message", text, text},
    column_spec{"operation", text, text},
    column_spec{"prompt", text, text},
    column_spec{"size", text, text},
    column_spec{"created_at", text_nn, text_nn_add},
    column_spec{"started_at", text, text},
    column_spec{"completed_at", text, text},
    column_spec{"updated_at", text_nn, text_nn_add},
    column_spec{"model", text, text},
    column_spec{"quality", text, text},
    column_spec{"output_format", text, text},
    column_spec{"output_compression", integer, integer},
    column_spec{"n", integer, integer},
    column_spec{"response_format", text, text},
    column_spec{"api_path", text, text},
    column_spec{"api_preset_name", text, text},
    column_spec{"duration", text, text},
    column_spec{"stage_timings_json", text, text},
    column_spec{"image_id", text, text},
    column_spec{"image_url", text, text},
    column_spec{"images_json", text, text},
    column_spec{"image_width", integer, integer},
    column_spec{"image_height", integer, integer},
    column_spec{"error", text, text},
    column_spec{"webhook_url", text, text},
};

constexpr std::array<std::string_view, 2> generate_jobs_indexes{
    "CREATE INDEX IF NOT EXISTS idx_generate_jobs_status_updated_at "
    "ON generate_jobs(status, updated_at DESC)",
    "CREATE INDEX IF NOT EXISTS idx_generate_jobs_updated_at ON generate_jobs(updated_at DESC)",
};

constexpr std::array prompt_snippets_columns{
    column_spec{"id", "TEXT PRIMARY KEY", ""},
    column_spec{"title", text_nn, text_nn_add},
    column_spec{"prompt", text_nn, text_nn_add},
    column_spec{"favorite", int_zero, int_zero},
    column_spec{"created_at", text_nn, text_nn_add},
    column_spec{"updated_at", text_nn, text_nn_add},
};

constexpr std::array<std::string_view, 1> prompt_snippets_indexes{
    "CREATE INDEX IF NOT EXISTS idx_prompt_snippets_favorite_updated_at "
    "ON prompt_snippets(favorite DESC, updated_at DESC)",
};

constexpr std::array gallery_jobs_columns{
    column_spec{"job_id", "TEXT PRIMARY KEY", ""},
    column_spec{"kind", text_nn, text_nn_add},
    column_spec{"status", text_nn, text_nn_add},
    column_spec{"stage", text, text},
    column_spec{"message", text, text},
    column_spec{"progress", int_zero, int_zero},
    column_spec{"filename", text, text},
    column_spec{"download_url", text, text},
    column_spec{"path", text, text},
    column_spec{"requested_count", int_zero, int_zero},
    column_spec{"processed_count", int_zero, int_zero},
    column_spec{"exported_count", int_zero, int_zero},
    column_spec{"missing_count", int_zero, int_zero},
    column_spec{"total_count", int_zero, int_zero},
    column_spec{"compared_count", int_zero, int_zero},
    column_spec{"uploaded_count", int_zero, int_zero},
    column_spec{"skipped_existing_count", int_zero, int_zero},
    column_spec{"missing_local_count", int_zero, int_zero},
    column_spec{"failed_count", int_zero, int_zero},
    column_spec{"bytes_total", int_zero, int_zero},
    column_spec{"bytes_written", int_zero, int_zero},
    column_spec{"bytes_uploaded", int_zero, int_zero},
    column_spec{"created_at", text_nn, text_nn_add},
    column_spec{"started_at", text, text},
    column_spec{"completed_at", text, text},
    column_spec{"updated_at", text_nn, text_nn_add},
    column_spec{"error", text, text},
    column_spec{"lease_owner", text, text},
    column_spec{"lease_expires_at", text, text},
    column_spec{"payload_json", text, text},
};

constexpr std::array<std::string_view, 1> gallery_jobs_indexes{
    "CREATE INDEX IF NOT EXISTS idx_gallery_jobs_kind_updated ON gallery_jobs(kind, updated_at DESC)",
};

constexpr std::array<table_spec, 6> tables{
    table_spec{"settings_kv", settings_kv_columns, {}},
    table_spec{"api_presets", api_presets_columns, {}},
    table_spec{"gallery_entries", gallery_entries_columns, gallery_entries_indexes},
    table_spec{"generate_jobs", generate_jobs_columns, generate_jobs_indexes},
    table_spec{"prompt_snippets", prompt_snippets_columns, prompt_snippets_indexes},
    table_spec{"gallery_jobs", gallery_jobs_columns, gallery_jobs_indexes},
};

// Identifiers come from the constant specs above, never from input; quoting
// keeps words such as "key" and "size" unambiguous.
std::string quoted(std::string_view identifier) {
  std::string out{"\""};
  out += identifier;
  out += '"';
  return out;
}

std::string create_table_sql(table_spec const& table) {
  std::string sql{"CREATE TABLE IF NOT EXISTS "};
  sql += quoted(table.name);
  sql += " (";
  bool first = true;
  for (column_spec const& column : table.columns) {
    sql += first ? "\n  " : ",\n  ";
    first = false;
    sql += quoted(column.name);
    sql += ' ';
    sql += column.create_decl;
  }
  sql += "\n)";
  return sql;
}

} // namespace

std::span<table_spec const> core_tables() noexcept {
  return tables;
}

expected<bool> table_exists(database& db, std::string_view table) {
  auto stmt = db.prepare("SELECT 1 FROM sqlite_schema WHERE type IN ('table', 'view') AND name = ?1");
  if (!stmt) {
    return tl::unexpected<error>{stmt.error()};
  }
  if (auto bound = stmt->bind(1, table); !bound) {
    return tl::unexpected<error>{bound.error()};
  }
  return stmt->step();
}

expected<std::vector<std::string>> table_columns(database& db, std::string_view table) {
  // The table-valued form of PRAGMA table_info takes the name as a bound value.
  auto stmt = db.prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid");
  if (!stmt) {
    return tl::unexpected<error>{stmt.error()};
  }
  if (auto bound = stmt->bind(1, table); !bound) {
    return tl::unexpected<error>{bound.error()};
  }
  std::vector<std::string> names;
  while (true) {
    auto row = stmt->step();
    if (!row) {
      return tl::unexpected<error>{row.error()};
    }
    if (!*row) {
      break;
    }
    names.push_back(stmt->column_text(0));
  }
  return names;
}

expected<void> ensure_table(database& db, table_spec const& table) {
  if (auto created = db.exec(create_table_sql(table)); !created) {
    return created;
  }
  auto existing = table_columns(db, table.name);
  if (!existing) {
    return tl::unexpected<error>{existing.error()};
  }
  for (column_spec const& column : table.columns) {
    bool const present = std::find(existing->begin(), existing->end(), column.name) != existing->end();
    if (present) {
      continue;
    }
    if (column.add_decl.empty()) {
      return panel::fail(errc::internal, "existing table " + std::string{table.name} +
                                             " lacks its required column " + std::string{column.name});
    }
    std::string sql{"ALTER TABLE "};
    sql += quoted(table.name);
    sql += " ADD COLUMN ";
    sql += quoted(column.name);
    sql += ' ';
    sql += column.add_decl;
    if (auto added = db.exec(sql); !added) {
      return added;
    }
  }
  // Indexes last: on an old table they may use the columns just added.
  for (std::string_view index_sql : table.indexes) {
    if (auto indexed = db.exec(index_sql); !indexed) {
      return indexed;
    }
  }
  return {};
}

expected<void> ensure_core_schema(database& db) {
  for (table_spec const& table : core_tables()) {
    if (auto ensured = ensure_table(db, table); !ensured) {
      return ensured;
    }
  }
  return {};
}

} // namespace panel::store
