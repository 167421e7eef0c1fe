#include "store/gallery_fts.hpp"

#include <optional>
#include <string>

#include "store/database.hpp"
#include "store/schema.hpp"
#include "store/settings_kv_repo.hpp"
#include "store/transaction.hpp"

namespace panel::store {

namespace {

// Same object names as the original panel, so a database it made is reused.
constexpr std::string_view drop_fts_sql = R"sql(
DROP TRIGGER IF EXISTS gallery_entries_fts_ai;
DROP TRIGGER IF EXISTS gallery_entries_fts_ad;
DROP TRIGGER IF EXISTS gallery_entries_fts_au;
DROP TABLE IF EXISTS gallery_entries_fts;
)sql";

constexpr std::string_view create_fts_sql = R"sql(
CREATE VIRTUAL TABLE IF NOT EXISTS gallery_entries_fts USING fts5(
  prompt,
  content='gallery_entries',
  content_rowid='rowid',
  tokenize='trigram'
);
CREATE TRIGGER IF NOT EXISTS gallery_entries_fts_ai AFTER INSERT ON gallery_entries BEGIN
  INSERT INTO gallery_entries_fts(rowid, prompt) VALUES (new.rowid, new.prompt);
END;
CREATE TRIGGER IF NOT EXISTS gallery_entries_fts_ad AFTER DELETE ON gallery_entries BEGIN
  INSERT INTO gallery_entries_fts(gallery_entries_fts, rowid, prompt)
  VALUES ('delete', old.rowid, old.prompt);
END;
CREATE TRIGGER IF NOT EXISTS gallery_entries_fts_au AFTER UPDATE OF prompt ON gallery_entries BEGIN
  INSERT INTO gallery_entries_fts(gallery_entries_fts, rowid, prompt)
  VALUES ('delete', old.rowid, old.prompt);
  INSERT INTO gallery_entries_fts(rowid, prompt) VALUES (new.rowid, new.prompt);
END;
)sql";

// Repopulates the index from gallery_entries (external content).
constexpr std::string_view rebuild_fts_sql =
    "INSERT INTO gallery_entries_fts(gallery_entries_fts) VALUES ('rebuild')";

expected<void> ensure_fts_objects(database& db) {
  auto exists = table_exists(db, "gallery_entries_fts");
  if (!exists) {
    return tl::unexpected<error>{exists.error()};
  }
  settings_kv_repo settings{db};
  auto version = settings.get(settings_keys::gallery_fts_version);
  if (!version) {
    return tl::unexpected<error>{version.error()};
  }
  bool const rebuild = !*exists || *version != std::optional<std::string>{gallery_fts_version};
  if (rebuild) {
    // An index of another layout (tokenizer, columns) cannot be migrated in
    // place; the content lives in gallery_entries, so dropping loses nothing.
    if (auto dropped = db.exec(drop_fts_sql); !dropped) {
      return dropped;
    }
  }
  if (auto created = db.exec(create_fts_sql); !created) {
    return created;
  }
  if (!rebuild) {
    return {};
  }
  if (auto rebuilt = db.exec(rebuild_fts_sql); !rebuilt) {
    return rebuilt;
  }
  return settings.set(settings_keys::gallery_fts_version, gallery_fts_version);
}

} // namespace

std::string fts_phrase(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  for (char const c : text) {
    if (c == '"') {
      out += '"';
    }
    out += c;
  }
  out += '"';
  return out;
}

expected<bool> fts5_trigram_available(database& db) {
  // A failing CREATE undoes only itself, so probing inside a transaction is safe.
  if (!db.exec("CREATE VIRTUAL TABLE temp.panel_fts5_probe USING fts5(x, tokenize='trigram')")) {
    return false;
  }
  if (auto dropped = db.exec("DROP TABLE temp.panel_fts5_probe"); !dropped) {
    return tl::unexpected<error>{dropped.error()};
  }
  return true;
}

expected<bool> ensure_gallery_fts(database& db) {
  auto available = fts5_trigram_available(db);
  if (!available || !*available) {
    return available;
  }
  if (db.in_transaction()) {
    if (auto ensured = ensure_fts_objects(db); !ensured) {
      return tl::unexpected<error>{ensured.error()};
    }
    return true;
  }
  auto tx = transaction::begin(db);
  if (!tx) {
    return tl::unexpected<error>{tx.error()};
  }
  if (auto ensured = ensure_fts_objects(db); !ensured) {
    return tl::unexpected<error>{ensured.error()};
  }
  if (auto committed = tx->commit(); !committed) {
    return tl::unexpected<error>{committed.error()};
  }
  return true;
}

} // namespace panel::store
