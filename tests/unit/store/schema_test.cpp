#include "store/schema.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "store/database.hpp"
#include "store/store.hpp"
#include "store/temp_dir.hpp"
#include "store/test_support.hpp"

using panel::store::database;
using panel::store::open_mode;
using panel::store::open_store;
using panel::store::store_paths;
using panel::store::table_columns;
using panel::store::test::exec_ok;
using panel::store::test::scalar_int;
using panel::store::test::scalar_text;
using panel::store::test::temp_dir;

namespace {

using column_list = std::vector<std::string>;

// Written out from spec/API.md §13.2 on purpose, not taken from core_tables():
// a typo in the schema code must fail here.
std::map<std::string, column_list> const spec_columns{
    {"settings_kv", {"key", "value"}},
    {"api_presets",
     {"id", "name", "api_url", "api_key", "api_path", "default_model", "default_response_format", "position",
      "created_at", "updated_at"}},
    {"gallery_entries",
     {"id", "prompt", "size", "filename", "thumbnail_filename", "created_at", "completed_at", "image_width",
      "image_height", "model", "quality", "output_format", "output_compression", "response_format", "n",
      "api_path", "api_preset_name", "duration", "favorite", "bytes", "sha256", "sort_seq"}},
    {"generate_jobs",
     {"job_id", "status", "stage", "message", "operation", "prompt", "size", "created_at", "started_at",
      "completed_at", "updated_at", "model", "quality", "output_format", "output_compression", "n",
      "response_format", "api_path", "api_preset_name", "duration", "stage_timings_json", "image_id",
      "image_url", "images_json", "image_width", "image_height", "error", "webhook_url"}},
    {"prompt_snippets", {"id", "title", "prompt", "favorite", "created_at", "updated_at"}},
    {"gallery_jobs",
     {"job_id", "kind", "status", "stage", "message", "progress", "filename", "download_url", "path",
      "requested_count", "processed_count", "exported_count", "missing_count", "total_count", "compared_count",
      "uploaded_count", "skipped_existing_count", "missing_local_count", "failed_count", "bytes_total",
      "bytes_written", "bytes_uploaded", "created_at", "started_at", "completed_at", "updated_at", "error",
      "lease_owner", "lease_expires_at", "payload_json"}},
};

bool contains(column_list const& list, std::string const& name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

std::string index_sql(database& db, std::string const& name) {
  auto stmt = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?1");
  REQUIRE(stmt.has_value());
  REQUIRE(stmt->bind(1, name).has_value());
  auto row = stmt->step();
  REQUIRE(row.has_value());
  INFO("index " << name);
  REQUIRE(*row);
  return stmt->column_text(0);
}

} // namespace

TEST_CASE("a new store has every spec table with every column", "[store][schema]") {
  temp_dir dir;
  auto opened = open_store(store_paths{dir.path() / "data", {}});
  REQUIRE(opened.has_value());
  for (auto const& [table, expected] : spec_columns) {
    auto actual = table_columns(opened->writer(), table);
    REQUIRE(actual.has_value());
    INFO("table " << table);
    CHECK(*actual == expected);
  }
  CHECK(opened->writer().exec("INSERT INTO gallery_jobs (job_id, kind, status, created_at, updated_at) "
                              "VALUES ('j', 'export', 'queued', 'a', 'b')")
            .has_value());
  CHECK(scalar_int(opened->writer(), "SELECT bytes_uploaded + progress + failed_count FROM gallery_jobs") == 0);
  // Declared defaults apply to rows that leave those columns out.
  CHECK(opened->writer().exec("INSERT INTO api_presets (id, name, api_url, api_key, api_path, default_model, "
                              "created_at, updated_at) VALUES ('p', 'n', 'u', 'k', '/v1/responses', 'm', 'c', 'u')")
            .has_value());
  CHECK(scalar_text(opened->writer(), "SELECT default_response_format || position FROM api_presets") == "url0");
  CHECK(opened->writer().exec("INSERT INTO gallery_entries (id, prompt, size, filename, created_at) "
                              "VALUES ('g', 'p', '1x1', 'g.png', 'c')")
            .has_value());
  CHECK(scalar_int(opened->writer(), "SELECT favorite FROM gallery_entries WHERE id = 'g'") == 0);
  // NOT NULL is kept: a gallery row without a filename is refused.
  CHECK_FALSE(opened->writer().exec("INSERT INTO gallery_entries (id, prompt, size, created_at) "
                                    "VALUES ('h', 'p', '1x1', 'c')")
                  .has_value());
}

TEST_CASE("the spec indexes exist, including the partial filename index", "[store][schema]") {
  temp_dir dir;
  auto opened = open_store(store_paths{dir.path() / "data", {}});
  REQUIRE(opened.has_value());
  auto& db = opened->writer();
  CHECK(index_sql(db, "idx_gallery_entries_created_at").find("created_at DESC") != std::string::npos);
  CHECK(index_sql(db, "idx_gallery_entries_model_created_at").find("(model, created_at)") != std::string::npos);
  CHECK(index_sql(db, "idx_gallery_entries_preset_created_at").find("(api_preset_name, created_at)") !=
        std::string::npos);
  CHECK(index_sql(db, "idx_gallery_entries_size_created_at").find("(size, created_at)") != std::string::npos);
  CHECK(index_sql(db, "idx_gallery_entries_favorite_created_at").find("(favorite, created_at)") !=
        std::string::npos);
  CHECK(index_sql(db, "idx_gallery_entries_missing_bytes_filename").find("WHERE bytes IS NULL") !=
        std::string::npos);
  CHECK(index_sql(db, "idx_generate_jobs_status_updated_at").find("(status, updated_at DESC)") !=
        std::string::npos);
  CHECK(index_sql(db, "idx_generate_jobs_updated_at").find("(updated_at DESC)") != std::string::npos);
  CHECK(index_sql(db, "idx_prompt_snippets_favorite_updated_at").find("(favorite DESC, updated_at DESC)") !=
        std::string::npos);
}

TEST_CASE("a legacy database gains the missing columns and keeps its data", "[store][schema]") {
  temp_dir dir;
  auto const data = dir.path() / "data";
  std::filesystem::create_directories(data);
  {
    // Shaped like an early original-panel database: fewer columns, one extra,
    // no gallery_jobs, no schema_migrations, no FTS index.
    auto legacy = database::open(data / "app.sqlite3", open_mode::create);
    REQUIRE(legacy.has_value());
    exec_ok(*legacy, R"sql(
      CREATE TABLE settings_kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE api_presets (id TEXT PRIMARY KEY, name TEXT NOT NULL, api_url TEXT NOT NULL,
        api_key TEXT NOT NULL, api_path TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
      CREATE TABLE gallery_entries (id TEXT PRIMARY KEY, prompt TEXT NOT NULL, size TEXT NOT NULL,
        filename TEXT NOT NULL, created_at TEXT NOT NULL, model TEXT, legacy_extra TEXT);
      CREATE TABLE generate_jobs (job_id TEXT PRIMARY KEY, status TEXT NOT NULL, created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL, prompt TEXT);
      CREATE TABLE prompt_snippets (id TEXT PRIMARY KEY, title TEXT NOT NULL, prompt TEXT NOT NULL,
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
      INSERT INTO api_presets VALUES ('p1', 'Main', 'https://api.example', '${KEY}', '/v1/images/edits', 'c', 'u');
      INSERT INTO gallery_entries VALUES ('g1', 'an old needle prompt', '1024x1024', 'g1.png', 'c', 'm', 'kept');
      INSERT INTO generate_jobs VALUES ('j1', 'completed', 'c', 'u', 'p');
      INSERT INTO prompt_snippets VALUES ('s1', 'title', 'prompt', 'c', 'u');
    )sql");
    REQUIRE(legacy->close().has_value());
  }
  auto opened = open_store(store_paths{data, {}});
  INFO((opened ? std::string{} : opened.error().message));
  REQUIRE(opened.has_value());
  auto& db = opened->writer();
  CHECK(opened->migrations().applied == std::vector<std::int64_t>{1});

  for (auto const& [table, expected] : spec_columns) {
    auto actual = table_columns(db, table);
    REQUIRE(actual.has_value());
    for (std::string const& column : expected) {
      INFO(table << "." << column);
      CHECK(contains(*actual, column));
    }
  }
  auto gallery = table_columns(db, "gallery_entries");
  REQUIRE(gallery.has_value());
  CHECK(contains(*gallery, "legacy_extra"));
  CHECK(scalar_text(db, "SELECT legacy_extra FROM gallery_entries WHERE id = 'g1'") == "kept");
  CHECK(scalar_int(db, "SELECT favorite FROM gallery_entries WHERE id = 'g1'") == 0);
  CHECK(scalar_int(db, "SELECT bytes IS NULL FROM gallery_entries WHERE id = 'g1'") == 1);
  CHECK(scalar_text(db, "SELECT default_response_format FROM api_presets WHERE id = 'p1'") == "url");
  CHECK(scalar_text(db, "SELECT api_path FROM api_presets WHERE id = 'p1'") == "/v1/images/edits");
  CHECK(scalar_int(db, "SELECT favorite FROM prompt_snippets WHERE id = 's1'") == 0);
  CHECK(scalar_int(db, "SELECT webhook_url IS NULL FROM generate_jobs WHERE job_id = 'j1'") == 1);
  // The index was built from the existing rows.
  CHECK(scalar_text(db, "SELECT id FROM gallery_entries WHERE rowid IN "
                        "(SELECT rowid FROM gallery_entries_fts WHERE gallery_entries_fts MATCH 'needle')") ==
        "g1");
  CHECK(scalar_int(db, "SELECT count(*) FROM schema_migrations WHERE version = 1") == 1);
}

TEST_CASE("ensure_table refuses a table that lacks its key column", "[store][schema]") {
  temp_dir dir;
  auto db = database::open(dir.path() / "odd.sqlite3", open_mode::create);
  REQUIRE(db.has_value());
  exec_ok(*db, "CREATE TABLE settings_kv (name TEXT, value TEXT)");
  auto const& settings = panel::store::core_tables().front();
  REQUIRE(settings.name == "settings_kv");
  auto ensured = panel::store::ensure_table(*db, settings);
  REQUIRE_FALSE(ensured.has_value());
  CHECK(ensured.error().message.find("key") != std::string::npos);
}

TEST_CASE("table_exists and table_columns on missing tables", "[store][schema]") {
  temp_dir dir;
  auto db = database::open(dir.path() / "x.sqlite3", open_mode::create);
  REQUIRE(db.has_value());
  auto exists = panel::store::table_exists(*db, "nope");
  REQUIRE(exists.has_value());
  CHECK_FALSE(*exists);
  auto columns = table_columns(*db, "nope");
  REQUIRE(columns.has_value());
  CHECK(columns->empty());
  exec_ok(*db, "CREATE TABLE yes (a, b)");
  exists = panel::store::table_exists(*db, "yes");
  REQUIRE(exists.has_value());
  CHECK(*exists);
}
