#include "store/gallery_list.hpp"

#include <algorithm>
#include <cctype>
#include <memory>
#include <optional>

#include "core/json_writer.hpp"
#include "store/database.hpp"
#include "store/gallery_cache.hpp"
#include "store/statement.hpp"
#include "store/transaction.hpp"

namespace panel::store {

namespace {

// An FTS filter yields a set of rowids. Either every match is fetched and
// sorted (cost ~ matches x a row fetch), or the created_at index is walked in
// display order, testing each entry against the set, until the page is full
// (cost ~ rows / matches x (offset + limit) x an index step, ~20x cheaper
// than a row fetch). Walking wins when matches^2 x 20 > rows x (offset + limit).
constexpr std::int64_t fetch_to_step_cost = 20;
// The ascending created_at index of schema.cpp: read backwards it yields
// created_at DESC, rowid DESC without a sort.
constexpr std::string_view order_index = "idx_gallery_entries_created_order";
constexpr std::string_view order_by = " ORDER BY created_at DESC, rowid DESC";
// Prompt searches up to this many matches keep their whole order (rowids in
// display order) in the connection's cache, so every later page of the same
// search is a few rowid lookups instead of a new FTS or LIKE evaluation.
constexpr std::int64_t max_cached_order = 20'000;
// A page this deep walks the index past `offset` rows on every request
// (~3 ms at 50,000): from here on any filter set that fits the connection's
// order budget keeps its whole order too, so a deep page is a few lookups.
constexpr std::int64_t deep_offset = 1'000;

std::string cache_key(gallery_filters const& f, bool fts) {
  std::string key;
  constexpr char sep = '\x1f';
  for (auto const* part : {&f.prompt, &f.model, &f.preset, &f.size}) {
    key += *part;
    key += sep;
  }
  key += f.date_from.value_or("-");
  key += sep;
  key += f.date_to.value_or("-");
  key += sep;
  key += f.favorite ? (*f.favorite ? '1' : '0') : '-';
  key += fts ? 'F' : 'L';
  return key;
}

expected<bool> fts_table_exists(database& db) {
  auto stmt = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'gallery_entries_fts'");
  if (!stmt) {
    return tl::unexpected(stmt.error());
  }
  return stmt->step();
}

expected<std::int64_t> scalar(database& db, std::string const& sql, where_clause const& where) {
  auto stmt = db.prepare(sql);
  if (!stmt) {
    return tl::unexpected(stmt.error());
  }
  if (auto bound = where.bind(*stmt); !bound) {
    return tl::unexpected(bound.error());
  }
  auto row = stmt->step();
  if (!row) {
    return tl::unexpected(row.error());
  }
  return *row ? stmt->column_int64(0) : 0;
}

expected<std::int64_t> total_bytes_of(database& db, gallery_filters const& filters, bool fts) {
  auto const where = make_where(filters, fts, "bytes IS NOT NULL");
  return scalar(db, "SELECT COALESCE(SUM(b), 0) FROM (SELECT MAX(bytes) AS b FROM gallery_entries" + where.sql +
                        " GROUP BY filename)",
                where);
}

// Distinct non-empty values of an indexed column, one index seek per value
// (a recursive "loose index scan"), so the cost follows the number of values,
// not of rows.
expected<std::vector<std::string>> distinct_values(database& db, std::string_view column) {
  std::string const c{column};
  auto stmt = db.prepare("WITH RECURSIVE v(x) AS (SELECT (SELECT MIN(" + c + ") FROM gallery_entries WHERE " + c +
                         " > '') UNION ALL SELECT (SELECT MIN(" + c + ") FROM gallery_entries WHERE " + c +
                         " > v.x) FROM v WHERE v.x IS NOT NULL) SELECT x FROM v WHERE x IS NOT NULL");
  if (!stmt) {
    return tl::unexpected(stmt.error());
  }
  auto values = stmt->fetch_all([](statement const& r) { return r.column_text(0); });
  if (!values) {
    return values;
  }
  std::stable_sort(values->begin(), values->end(), [](std::string const& a, std::string const& b) {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
      return std::tolower(static_cast<unsigned char>(x)) < std::tolower(static_cast<unsigned char>(y));
    });
  });
  return values;
}

expected<void> fill_counts(database& db, gallery_cached& entry, gallery_list_request const& request, bool fts) {
  if (entry.total < 0) {
    auto const where = make_where(request.filters, fts);
    auto total = scalar(db, "SELECT COUNT(*) FROM gallery_entries" + where.sql, where);
    if (!total) {
      return tl::unexpected(total.error());
    }
    entry.total = *total;
  }
  if (request.include_total_bytes && !entry.total_bytes) {
    auto bytes = total_bytes_of(db, request.filters, fts);
    if (!bytes) {
      return tl::unexpected(bytes.error());
    }
    entry.total_bytes = *bytes;
  }
  return {};
}

// True when walking the created_at index in display order beats fetching and
// sorting every match, for `wanted` rows out of `matches` (see fetch_to_step_cost).
expected<bool> walk_in_order(database& db, std::int64_t matches, std::int64_t wanted) {
  // MAX(rowid) is one b-tree descent: a good enough estimate of the row count.
  auto rows = scalar(db, "SELECT COALESCE(MAX(rowid), 0) FROM gallery_entries", where_clause{});
  if (!rows) {
    return tl::unexpected(rows.error());
  }
  auto const m = static_cast<double>(matches);  // doubles: no overflow for any page number
  return m * m * fetch_to_step_cost > static_cast<double>(*rows) * static_cast<double>(wanted);
}

// Rowids of the whole filtered set in display order.
expected<std::shared_ptr<std::vector<std::int64_t> const>> order_of(database& db, where_clause const& where,
                                                                   bool walk) {
  std::string sql = "SELECT rowid FROM gallery_entries";
  if (walk) {
    sql += " INDEXED BY ";
    sql += order_index;
  }
  sql += where.sql;
  sql += order_by;
  auto stmt = db.prepare(sql);
  if (!stmt) {
    return tl::unexpected(stmt.error());
  }
  if (auto bound = where.bind(*stmt); !bound) {
    return tl::unexpected(bound.error());
  }
  auto ids = stmt->fetch_all([](statement const& r) { return r.column_int64(0); });
  if (!ids) {
    return tl::unexpected(ids.error());
  }
  return std::make_shared<std::vector<std::int64_t> const>(std::move(*ids));
}

expected<std::vector<gallery_row>> rows_by_rowid(database& db, std::vector<std::int64_t> const& order,
                                                 std::int64_t limit, std::int64_t offset) {
  auto stmt = db.prepare("SELECT " + std::string{gallery_columns} + " FROM gallery_entries WHERE rowid = ?1");
  if (!stmt) {
    return tl::unexpected(stmt.error());
  }
  std::vector<gallery_row> rows;
  auto const size = static_cast<std::int64_t>(order.size());
  for (std::int64_t i = offset; i < std::min(size, offset + limit); ++i) {
    stmt->reset();
    if (auto bound = stmt->bind(1, order[static_cast<std::size_t>(i)]); !bound) {
      return tl::unexpected(bound.error());
    }
    auto row = stmt->fetch_one([](statement const& r) { return read_gallery_row(r); });
    if (!row) {
      return tl::unexpected(row.error());
    }
    if (*row) {
      rows.push_back(std::move(**row));
    }
  }
  return rows;
}

expected<std::vector<gallery_row>> page_rows(database& db, gallery_filters const& filters, bool fts,
                                             std::int64_t total, std::int64_t limit, std::int64_t offset) {
  auto const where = make_where(filters, fts);
  expected<statement> stmt = fail(errc::internal, "unprepared");
  if (fts && total > 0) {
    auto walk = walk_in_order(db, total, offset + limit);
    if (!walk) {
      return tl::unexpected(walk.error());
    }
    if (*walk) {
      stmt = db.prepare(gallery_page_sql(where, true));
    }
  }
  if (!stmt) {
    stmt = db.prepare(gallery_page_sql(where, false));
  }
  if (!stmt) {
    return tl::unexpected(stmt.error());
  }
  if (auto bound = where.bind(*stmt); !bound) {
    return tl::unexpected(bound.error());
  }
  auto const n = static_cast<int>(where.values.size());
  if (auto b1 = stmt->bind(n + 1, limit), b2 = stmt->bind(n + 2, offset); !b1 || !b2) {
    return tl::unexpected(!b1 ? b1.error() : b2.error());
  }
  return stmt->fetch_all([](statement const& r) { return read_gallery_row(r); });
}

} // namespace

std::string gallery_page_sql(where_clause const& where, bool walk_in_order) {
  std::string sql = "SELECT " + std::string{gallery_columns} + " FROM gallery_entries";
  if (walk_in_order) {
    sql += " INDEXED BY ";
    sql += order_index;
  }
  sql += where.sql;
  sql += order_by;
  sql += " LIMIT ? OFFSET ?";
  return sql;
}

expected<std::int64_t> gallery_total_bytes(database& db, gallery_filters const& filters) {
  auto fts = fts_table_exists(db);
  if (!fts) {
    return tl::unexpected(fts.error());
  }
  return total_bytes_of(db, filters, use_fts(filters, *fts));
}

expected<gallery_page> list_gallery(database& db, gallery_list_request const& request) {
  auto tx = transaction::begin(db, transaction_kind::deferred);
  if (!tx) {
    return tl::unexpected(tx.error());
  }
  auto cache = gallery_cache_lease::acquire(db);
  if (!cache) {
    return tl::unexpected(cache.error());
  }
  if (!cache->fts_table()) {
    auto exists = fts_table_exists(db);
    if (!exists) {
      return tl::unexpected(exists.error());
    }
    cache->fts_table() = *exists;
  }
  gallery_page out;
  out.fts = use_fts(request.filters, *cache->fts_table());
  auto const key = cache_key(request.filters, out.fts);
  auto& entry = cache->at(key);
  if (auto counted = fill_counts(db, entry, request, out.fts); !counted) {
    return tl::unexpected(counted.error());
  }
  out.total = entry.total;
  out.total_bytes = request.include_total_bytes ? entry.total_bytes.value_or(0) : 0;
  out.page_size = request.page_size;
  out.total_pages = std::max<std::int64_t>(1, (out.total + out.page_size - 1) / out.page_size);
  out.page = std::clamp<std::int64_t>(request.page, 1, out.total_pages);
  auto const code = page_code(out.page, out.page_size, request.include_total_bytes);
  if (auto kept = entry.pages.find(code); kept != entry.pages.end()) {
    out = *kept->second;
    if (auto done = tx->commit(); !done) {
      return tl::unexpected(done.error());
    }
    return out;
  }
  auto const offset = (out.page - 1) * out.page_size;
  expected<std::vector<gallery_row>> rows = std::vector<gallery_row>{};
  bool const searched = !request.filters.prompt.empty() && out.total <= max_cached_order;
  bool const deep = offset >= deep_offset &&
                    out.total <= static_cast<std::int64_t>(gallery_cache_lease::max_order_rowids);
  if (out.total > 0 && (searched || deep || entry.order)) {
    auto order = entry.order;
    if (!order) {
      // LIKE: the planner's own plan; FTS: walk only when most rows match.
      auto walk = out.fts ? walk_in_order(db, out.total, out.total) : expected<bool>{false};
      if (!walk) {
        return tl::unexpected(walk.error());
      }
      auto made = order_of(db, make_where(request.filters, out.fts), *walk);
      if (!made) {
        return tl::unexpected(made.error());
      }
      order = *made;
      cache->keep_order(key, order);
    }
    rows = rows_by_rowid(db, *order, out.page_size, offset);
  } else if (out.total > 0) {
    rows = page_rows(db, request.filters, out.fts, out.total, out.page_size, offset);
  }
  if (!rows) {
    return tl::unexpected(rows.error());
  }
  out.images = std::move(*rows);
  if (!cache->filter_options()) {
    gallery_filter_options options;
    for (auto [column, values] : {std::pair{"model", &options.models},
                                  std::pair{"api_preset_name", &options.presets},
                                  std::pair{"size", &options.sizes}}) {
      auto found = distinct_values(db, column);
      if (!found) {
        return tl::unexpected(found.error());
      }
      *values = std::move(*found);
    }
    cache->filter_options() = std::move(options);
  }
  out.filter_options = *cache->filter_options();
  out.body = std::make_shared<std::string const>(to_json(out));
  cache->keep_page(key, code, std::make_shared<gallery_page const>(out));
  if (auto done = tx->commit(); !done) {
    return tl::unexpected(done.error());
  }
  return out;
}

std::string to_json(gallery_page const& page) {
  if (page.body) {
    return *page.body;
  }
  core::json_writer out;
  out.begin_object();
  out.field("total", page.total);
  out.field("total_bytes", page.total_bytes);
  out.field("page", page.page);
  out.field("page_size", page.page_size);
  out.field("total_pages", page.total_pages);
  out.field("has_prev", page.page > 1);
  out.field("has_next", page.page < page.total_pages);
  out.key("images").begin_array();
  for (auto const& row : page.images) {
    out.raw(to_json(row));
  }
  out.end_array();
  out.key("filter_options").begin_object();
  for (auto const& [name, values] : {std::pair{"models", &page.filter_options.models},
                                     std::pair{"presets", &page.filter_options.presets},
                                     std::pair{"sizes", &page.filter_options.sizes}}) {
    out.key(name).begin_array();
    for (auto const& v : *values) {
      out.value(std::string_view{v});
    }
    out.end_array();
  }
  out.end_object();
  out.end_object();
  return out.take();
}

} // namespace panel::store
