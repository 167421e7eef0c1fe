#pragma once
// settings_kv_repo: the settings_kv table (string keys to string values).

#include <optional>
#include <string>
#include <string_view>

#include "core/expected.hpp"

namespace panel::store {

class database;

/// Well-known settings_kv keys (spec/API.md §13.2).
namespace settings_keys {
inline constexpr std::string_view active_preset_id = "active_preset_id";
inline constexpr std::string_view upstream_socks5_proxy = "upstream_socks5_proxy";
inline constexpr std::string_view webhook_url = "webhook_url";
inline constexpr std::string_view prompt_optimizer_settings = "prompt_optimizer_settings";
inline constexpr std::string_view r2_backup_settings = "r2_backup_settings";
inline constexpr std::string_view gallery_fts_version = "gallery_fts_version";
} // namespace settings_keys

/// Reads and writes settings_kv through one connection it borrows (the
/// writer for set/erase, any connection for get). Used on that connection's
/// thread; it must not outlive the database. Each call is one statement, so
/// it joins a surrounding transaction when one is open.
class settings_kv_repo {
 public:
  /// Borrows `db`.
  explicit settings_kv_repo(database& db) noexcept : db_{&db} {}

  /// The value stored under `key`, or nullopt when there is none.
  [[nodiscard]] expected<std::optional<std::string>> get(std::string_view key) const;
  /// Inserts or replaces the value under `key`.
  [[nodiscard]] expected<void> set(std::string_view key, std::string_view value);
  /// Removes `key`; true when a row was removed.
  [[nodiscard]] expected<bool> erase(std::string_view key);

 private:
  database* db_;
};

} // namespace panel::store
