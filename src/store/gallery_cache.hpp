#pragma once
// gallery_cache: what one read connection remembers about gallery listings
// between commits. Counting a filtered set, summing its bytes and ordering a
// prompt search are the costly parts of a page; they stay valid until another
// connection commits, which PRAGMA data_version reveals. The cache is tied to
// the connection's life (SQLite calls its destructor when the connection
// closes), so a later connection never sees another one's results.

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/expected.hpp"

namespace panel::store {

class database;

/// Distinct non-empty values over the whole gallery, sorted case-insensitively.
struct gallery_filter_options {
  std::vector<std::string> models;
  std::vector<std::string> presets;
  std::vector<std::string> sizes;
};

/// What is known about one filter set.
struct gallery_cached {
  std::int64_t total = -1;                  ///< rows matching; -1 = unknown
  std::optional<std::int64_t> total_bytes;  ///< §8.4 total, once asked for
  /// Rowids of every matching row in display order (prompt searches only).
  std::shared_ptr<std::vector<std::int64_t> const> order;
};

/// The cache of one connection, locked for as long as the lease lives.
class gallery_cache_lease {
 public:
  /// Most rowids kept in order lists per connection (8 bytes each).
  static constexpr std::size_t max_order_rowids = 200'000;

  /// Locks the cache of `db`'s connection (made on first use) and empties it
  /// when another connection committed since its last use. Inside a read
  /// transaction, so the version matches the snapshot read next.
  [[nodiscard]] static expected<gallery_cache_lease> acquire(database& db);

  /// The entry for `key`, made empty on first use.
  [[nodiscard]] gallery_cached& at(std::string const& key);
  /// The filter options of the whole gallery, once read.
  [[nodiscard]] std::optional<gallery_filter_options>& filter_options();
  /// Whether gallery_entries_fts exists, once looked up.
  [[nodiscard]] std::optional<bool>& fts_table();
  /// Stores `order` for `key` unless the connection's budget is spent
  /// (then every order list is dropped first, and kept only if it fits alone).
  void keep_order(std::string const& key, std::shared_ptr<std::vector<std::int64_t> const> order);

  struct state;

 private:
  explicit gallery_cache_lease(std::shared_ptr<state> s);

  std::shared_ptr<state> state_;
  std::unique_lock<std::mutex> lock_;
};

} // namespace panel::store
