#include "store/settings_kv_repo.hpp"

#include "store/database.hpp"

namespace panel::store {

expected<std::optional<std::string>> settings_kv_repo::get(std::string_view key) const {
  auto stmt = db_->prepare("SELECT value FROM settings_kv WHERE key = ?1");
  if (!stmt) {
    return tl::unexpected<error>{stmt.error()};
  }
  if (auto bound = stmt->bind(1, key); !bound) {
    return tl::unexpected<error>{bound.error()};
  }
  auto row = stmt->step();
  if (!row) {
    return tl::unexpected<error>{row.error()};
  }
  if (!*row) {
    return std::optional<std::string>{};
  }
  return std::optional<std::string>{stmt->column_text(0)};
}

expected<void> settings_kv_repo::set(std::string_view key, std::string_view value) {
  // An upsert keeps the row (and its rowid) instead of delete + insert.
  auto stmt = db_->prepare(
      "INSERT INTO settings_kv (key, value) VALUES (?1, ?2) "
      "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  if (!stmt) {
    return tl::unexpected<error>{stmt.error()};
  }
  if (auto bound = stmt->bind_all(key, value); !bound) {
    return bound;
  }
  return stmt->execute();
}

expected<bool> settings_kv_repo::erase(std::string_view key) {
  auto stmt = db_->prepare("DELETE FROM settings_kv WHERE key = ?1");
  if (!stmt) {
    return tl::unexpected<error>{stmt.error()};
  }
  if (auto bound = stmt->bind(1, key); !bound) {
    return tl::unexpected<error>{bound.error()};
  }
  if (auto done = stmt->execute(); !done) {
    return tl::unexpected<error>{done.error()};
  }
  return db_->changes() > 0;
}

} // namespace panel::store
