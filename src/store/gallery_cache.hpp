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
struct gallery_page;

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
  /// Finished pages (with their response body) by page_code(): a repeated
  /// page is a lookup.
  std::unordered_map<std::int64_t, std::shared_ptr<gallery_page const>> pages;
};

/// Names one page of a filter set: page number, page size (1..100) and
/// whether total_bytes was asked for.
[[nodiscard]] constexpr std::int64_t page_code(std::int64_t page, std::int64_t page_size, bool total_bytes) {
  return page * 256 + page_size * 2 + (total_bytes ? 1 : 0);
}

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
  /// Most bytes of kept pages per connection (counted as twice the body).
  static constexpr std::size_t max_page_bytes = 8 * 1024 * 1024;
  /// Stores page `code` of `key` (its body set), dropping every kept page
  /// first when the connection's budget would be exceeded.
  void keep_page(std::string const& key, std::int64_t code, std::shared_ptr<gallery_page const> page);

  struct state;

 private:
  explicit gallery_cache_lease(std::shared_ptr<state> s);

  std::shared_ptr<state> state_;
  std::unique_lock<std::mutex> lock_;
};

} // namespace panel::store
