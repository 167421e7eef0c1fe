#include "store/gallery_fts.hpp"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "store/database.hpp"
#include "store/settings_kv_repo.hpp"
#include "store/store.hpp"
#include "store/temp_dir.hpp"
#include "store/test_support.hpp"

using panel::store::database;
using panel::store::open_mode;
using panel::store::open_store;
using panel::store::settings_kv_repo;
using panel::store::store_paths;
using panel::store::test::exec_ok;
using panel::store::test::scalar_text;
using panel::store::test::temp_dir;

namespace {

// Gallery ids whose prompt matches `query`, searched through the FTS index only.
std::vector<std::string> search(database& db, std::string const& query) {
  auto stmt = db.prepare(
      "SELECT g.id FROM gallery_entries_fts f JOIN gallery_entries g ON g.rowid = f.rowid "
      "WHERE gallery_entries_fts MATCH ?1 ORDER BY g.id");
  REQUIRE(stmt.has_value());
  REQUIRE(stmt->bind(1, query).has_value());
  std::vector<std::string> ids;
  while (true) {
    auto row = stmt->step();
    REQUIRE(row.has_value());
    if (!*row) {
      break;
    }
    ids.push_back(stmt->column_text(0));
  }
  return ids;
}

void insert_entry(database& db, std::string const& id, std::string const& prompt) {
  auto stmt = db.prepare(
      "INSERT INTO gallery_entries (id, prompt, size, filename, created_at) VALUES (?1, ?2, '1x1', ?3, 'c')");
  REQUIRE(stmt.has_value());
  REQUIRE(stmt->bind_all(id, prompt, id + ".png").has_value());
  REQUIRE(stmt->execute().has_value());
}

using ids = std::vector<std::string>;

} // namespace

TEST_CASE("the FTS index follows inserts, prompt updates and deletes", "[store][fts]") {
  temp_dir dir;
  auto opened = open_store(store_paths{dir.path() / "data", {}});
  REQUIRE(opened.has_value());
  REQUIRE(opened->fts_available());
  auto& db = opened->writer();

  insert_entry(db, "a", "a haystack with a needle inside");
  insert_entry(db, "b", "only hay here");
  CHECK(search(db, "needle") == ids{"a"});
  // Trigram: any substring of three or more characters matches.
  CHECK(search(db, "eedl") == ids{"a"});
  CHECK(search(db, "hay") == ids{"a", "b"});

  exec_ok(db, "UPDATE gallery_entries SET prompt = 'now a needle too' WHERE id = 'b'");
  CHECK(search(db, "needle") == ids{"a", "b"});
  CHECK(search(db, "hay") == ids{"a"});

  // Updating another column leaves the index alone (and consistent).
  exec_ok(db, "UPDATE gallery_entries SET favorite = 1 WHERE id = 'a'");
  CHECK(search(db, "needle") == ids{"a", "b"});

  exec_ok(db, "DELETE FROM gallery_entries WHERE id = 'a'");
  CHECK(search(db, "needle") == ids{"b"});
  CHECK(search(db, "haystack").empty());
  // The external-content index agrees with its table.
  exec_ok(db, "INSERT INTO gallery_entries_fts(gallery_entries_fts, rank) VALUES ('integrity-check', 1)");
}

TEST_CASE("the FTS version is stored and a different one forces a rebuild", "[store][fts]") {
  temp_dir dir;
  auto const data = dir.path() / "data";
  {
    auto opened = open_store(store_paths{data, {}});
    REQUIRE(opened.has_value());
    auto& db = opened->writer();
    CHECK(scalar_text(db, "SELECT value FROM settings_kv WHERE key = 'gallery_fts_version'") == "trigram-v1");
    insert_entry(db, "a", "a haystack with a needle inside");
    // Simulate an index from another layout: word tokenizer, older version tag.
    exec_ok(db, R"sql(
      DROP TRIGGER gallery_entries_fts_ai; DROP TRIGGER gallery_entries_fts_ad;
      DROP TRIGGER gallery_entries_fts_au; DROP TABLE gallery_entries_fts;
      CREATE VIRTUAL TABLE gallery_entries_fts USING fts5(prompt, content='gallery_entries',
        content_rowid='rowid', tokenize='unicode61');
      INSERT INTO gallery_entries_fts(gallery_entries_fts) VALUES ('rebuild');
      UPDATE settings_kv SET value = 'unicode61-v0' WHERE key = 'gallery_fts_version';
    )sql");
    // A word tokenizer does not find word fragments.
    CHECK(search(db, "eedl").empty());
    REQUIRE(opened->close().has_value());
  }
  auto reopened = open_store(store_paths{data, {}});
  REQUIRE(reopened.has_value());
  auto& db = reopened->writer();
  CHECK(search(db, "eedl") == ids{"a"});
  CHECK(scalar_text(db, "SELECT value FROM settings_kv WHERE key = 'gallery_fts_version'") == "trigram-v1");
  CHECK(scalar_text(db, "SELECT sql FROM sqlite_schema WHERE name = 'gallery_entries_fts'").find("trigram") !=
        std::string::npos);
  // Triggers were recreated with the table.
  insert_entry(db, "b", "second needle");
  CHECK(search(db, "needle") == ids{"a", "b"});
}

TEST_CASE("ensure_gallery_fts is a no-op when up to date", "[store][fts]") {
  temp_dir dir;
  auto opened = open_store(store_paths{dir.path() / "data", {}});
  REQUIRE(opened.has_value());
  auto& db = opened->writer();
  insert_entry(db, "a", "needle");
  // Drop one row from the index behind the triggers' back; a rebuild would restore it.
  exec_ok(db, "INSERT INTO gallery_entries_fts(gallery_entries_fts, rowid, prompt) "
              "SELECT 'delete', rowid, prompt FROM gallery_entries WHERE id = 'a'");
  REQUIRE(search(db, "needle").empty());
  auto ensured = panel::store::ensure_gallery_fts(db);
  REQUIRE(ensured.has_value());
  CHECK(*ensured);
  CHECK(search(db, "needle").empty());
  CHECK_FALSE(db.in_transaction());

  auto available = panel::store::fts5_trigram_available(db);
  REQUIRE(available.has_value());
  CHECK(*available);
}
