#pragma once
// gallery_list: one page of GET /api/gallery (spec/API.md §3.8, §8.2-§8.4)
// read in one snapshot of a (reader) connection.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/expected.hpp"
#include "store/gallery_cache.hpp"
#include "store/gallery_filter.hpp"
#include "store/gallery_repo.hpp"

namespace panel::store {

class database;

/// Default and largest page_size (§3.8).
inline constexpr std::int64_t default_page_size = 9;
inline constexpr std::int64_t max_page_size = 100;

/// One listing request, already validated (page >= 1, page_size 1..100).
struct gallery_list_request {
  gallery_filters filters;
  std::int64_t page = 1;
  std::int64_t page_size = default_page_size;
  bool include_total_bytes = false;
};

/// One page and its counts.
struct gallery_page {
  std::int64_t total = 0;        ///< rows matching the filters
  std::int64_t total_bytes = 0;  ///< 0 unless requested (§8.4)
  std::int64_t page = 1;         ///< effective page, clamped to total_pages
  std::int64_t page_size = default_page_size;
  std::int64_t total_pages = 1;  ///< max(1, ceil(total / page_size))
  std::vector<gallery_row> images;  ///< newest first
  gallery_filter_options filter_options;
  bool fts = false;              ///< the prompt filter went through FTS5
  /// The response body, made from the fields above.
  std::shared_ptr<std::string const> body;
};

/// Reads one page in one read transaction on `db`: count (and total_bytes)
/// of the filtered set, the clamped page, the filter options, and `body`.
/// Finished pages, counts, and the order of prompt searches up to 20,000
/// matches are cached per connection until another connection commits
/// (gallery_cache): paging through one result set evaluates it once, and a
/// page asked for again is a lookup. Runs on a reader thread; `db`
/// must not be in a transaction.
[[nodiscard]] expected<gallery_page> list_gallery(database& db, gallery_list_request const& request);

/// The page query for `where` (then LIMIT ? OFFSET ?), newest first.
/// `walk_in_order` forces the ascending created_at index, read backwards, for
/// filters that match many rows but cannot seek (a common FTS phrase).
[[nodiscard]] std::string gallery_page_sql(where_clause const& where, bool walk_in_order);

/// `total_bytes` of §8.4 for `filters`: over distinct filenames, the largest
/// known `bytes`, rows without bytes not counted. SQL only; no file is read.
[[nodiscard]] expected<std::int64_t> gallery_total_bytes(database& db, gallery_filters const& filters);

/// The response body of GET /api/gallery (the kept one when page.body is set).
[[nodiscard]] std::string to_json(gallery_page const& page);

} // namespace panel::store
