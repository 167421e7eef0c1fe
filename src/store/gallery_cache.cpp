#include "store/gallery_cache.hpp"

#include <charconv>

#include <sqlite3.h>

#include "store/database.hpp"
#include "store/gallery_list.hpp"

namespace panel::store {

namespace {

// Distinct filter sets kept per connection before the cache starts afresh.
constexpr std::size_t max_entries = 256;

} // namespace

struct gallery_cache_lease::state {
  std::mutex mutex;
  std::int64_t version = -1;
  std::size_t order_rowids = 0;
  std::size_t page_bytes = 0;
  std::unordered_map<std::string, gallery_cached> entries;
  std::optional<gallery_filter_options> options;
  std::optional<bool> fts;
};

namespace {

std::mutex registry_mutex;
std::unordered_map<sqlite3*, std::shared_ptr<gallery_cache_lease::state>> registry;

// SQLite calls this when the connection closes (the function's destructor).
void forget(void* handle) {
  std::lock_guard lock{registry_mutex};
  registry.erase(static_cast<sqlite3*>(handle));
}

void no_op(sqlite3_context* ctx, int, sqlite3_value**) {
  sqlite3_result_null(ctx);
}

std::shared_ptr<gallery_cache_lease::state> state_of(database& db) {
  sqlite3* const handle = db.handle();
  {
    std::lock_guard lock{registry_mutex};
    if (auto found = registry.find(handle); found != registry.end()) {
      return found->second;
    }
  }
  // Outside the lock: replacing a function calls forget().
  if (sqlite3_create_function_v2(handle, "panel_gallery_cache", 0, SQLITE_UTF8, handle, no_op, nullptr, nullptr,
                                 forget) != SQLITE_OK) {
    return std::make_shared<gallery_cache_lease::state>();  // not kept: uncached, still correct
  }
  auto made = std::make_shared<gallery_cache_lease::state>();
  std::lock_guard lock{registry_mutex};
  registry[handle] = made;
  return made;
}

} // namespace

gallery_cache_lease::gallery_cache_lease(std::shared_ptr<state> s) : state_(std::move(s)), lock_(state_->mutex) {}

expected<gallery_cache_lease> gallery_cache_lease::acquire(database& db) {
  auto text = db.pragma("data_version");
  if (!text) {
    return tl::unexpected(text.error());
  }
  std::int64_t version = 0;
  std::from_chars(text->data(), text->data() + text->size(), version);
  gallery_cache_lease lease{state_of(db)};
  auto& s = *lease.state_;
  if (s.version != version || s.entries.size() >= max_entries) {
    s.version = version;
    s.order_rowids = 0;
    s.page_bytes = 0;
    s.entries.clear();
    s.options.reset();
    s.fts.reset();
  }
  return lease;
}

gallery_cached& gallery_cache_lease::at(std::string const& key) {
  return state_->entries[key];
}

std::optional<gallery_filter_options>& gallery_cache_lease::filter_options() {
  return state_->options;
}

std::optional<bool>& gallery_cache_lease::fts_table() {
  return state_->fts;
}

void gallery_cache_lease::keep_order(std::string const& key, std::shared_ptr<std::vector<std::int64_t> const> order) {
  auto& s = *state_;
  if (!order || order->size() > max_order_rowids) {
    return;
  }
  if (s.order_rowids + order->size() > max_order_rowids) {
    for (auto& [k, entry] : s.entries) {
      entry.order.reset();
    }
    s.order_rowids = 0;
  }
  auto& entry = s.entries[key];
  if (entry.order) {
    s.order_rowids -= entry.order->size();
  }
  s.order_rowids += order->size();
  entry.order = std::move(order);
}

void gallery_cache_lease::keep_page(std::string const& key, std::int64_t code,
                                    std::shared_ptr<gallery_page const> page) {
  auto& s = *state_;
  auto const cost = [](gallery_page const& p) { return p.body ? 2 * p.body->size() : 0; };
  if (!page || !page->body || cost(*page) > max_page_bytes) {
    return;
  }
  if (s.page_bytes + cost(*page) > max_page_bytes) {
    for (auto& [k, entry] : s.entries) {
      entry.pages.clear();
    }
    s.page_bytes = 0;
  }
  auto& kept = s.entries[key].pages[code];
  if (kept) {
    s.page_bytes -= cost(*kept);
  }
  s.page_bytes += cost(*page);
  kept = std::move(page);
}

} // namespace panel::store
