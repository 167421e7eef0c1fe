#include "store/gallery_repo.hpp"

#include "core/json_writer.hpp"
#include "store/database.hpp"
#include "store/statement.hpp"
#include "store/transaction.hpp"

namespace panel::store {

namespace {

std::string const& select_by_id_sql() {
  static std::string const sql = "SELECT " + std::string{gallery_columns} + " FROM gallery_entries WHERE id = ?1";
  return sql;
}

bool is_unreserved(unsigned char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-' || c == '~' || c == '/';
}

} // namespace

gallery_row read_gallery_row(statement const& stmt, int first) {
  int c = first;
  gallery_row row;
  row.id = stmt.column_text(c++);
  row.prompt = stmt.column_text(c++);
  row.size = stmt.column_text(c++);
  row.filename = stmt.column_text(c++);
  row.thumbnail_filename = stmt.column_optional_text(c++);
  row.created_at = stmt.column_text(c++);
  row.completed_at = stmt.column_optional_text(c++);
  row.image_width = stmt.column_optional_int64(c++);
  row.image_height = stmt.column_optional_int64(c++);
  row.model = stmt.column_optional_text(c++);
  row.quality = stmt.column_optional_text(c++);
  row.output_format = stmt.column_optional_text(c++);
  row.output_compression = stmt.column_optional_int64(c++);
  row.response_format = stmt.column_optional_text(c++);
  row.n = stmt.column_optional_int64(c++);
  row.api_path = stmt.column_optional_text(c++);
  row.api_preset_name = stmt.column_optional_text(c++);
  row.duration = stmt.column_optional_text(c++);
  row.favorite = stmt.column_int64(c++) != 0;
  row.bytes = stmt.column_optional_int64(c++);
  row.sha256 = stmt.column_optional_text(c++);
  return row;
}

std::string url_quote(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char const ch : text) {
    auto const c = static_cast<unsigned char>(ch);
    if (is_unreserved(c)) {
      out += ch;
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 0x0F];
    }
  }
  return out;
}

std::string to_json(gallery_row const& row) {
  std::string const quoted = url_quote(row.filename);
  core::json_writer out;
  out.begin_object();
  out.field("id", std::string_view{row.id});
  out.field("prompt", std::string_view{row.prompt});
  out.field("size", std::string_view{row.size});
  out.field("filename", std::string_view{row.filename});
  out.field("image_url", "/api/image/" + quoted);
  out.field("thumbnail_filename", row.thumbnail_filename);
  out.field("thumbnail_url", "/api/thumb/" + quoted);
  out.field("created_at", std::string_view{row.created_at});
  out.field("completed_at", row.completed_at);
  out.field("image_width", row.image_width);
  out.field("image_height", row.image_height);
  out.field("model", row.model);
  out.field("quality", row.quality);
  out.field("output_format", row.output_format);
  out.field("output_compression", row.output_compression);
  out.field("response_format", row.response_format);
  out.field("n", row.n);
  out.field("api_path", row.api_path);
  out.field("api_preset_name", row.api_preset_name);
  out.field("duration", row.duration);
  out.field("favorite", row.favorite);
  out.field("bytes", row.bytes);
  out.end_object();
  return out.take();
}

expected<void> gallery_repo::insert(gallery_row const& row) {
  auto stmt = db_->prepare(
      "INSERT INTO gallery_entries (id, prompt, size, filename, thumbnail_filename, created_at, "
      "completed_at, image_width, image_height, model, quality, output_format, "
      "output_compression, response_format, n, api_path, api_preset_name, duration, favorite, "
      "bytes, sha256) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
      "?16, ?17, ?18, ?19, ?20, ?21)");
  if (!stmt) {
    return tl::unexpected<error>{stmt.error()};
  }
  if (auto bound = stmt->bind_all(row.id, row.prompt, row.size, row.filename, row.thumbnail_filename,
                                  row.created_at, row.completed_at, row.image_width, row.image_height,
                                  row.model, row.quality, row.output_format, row.output_compression,
                                  row.response_format, row.n, row.api_path, row.api_preset_name,
                                  row.duration, row.favorite, row.bytes, row.sha256);
      !bound) {
    return bound;
  }
  return stmt->execute();
}

expected<std::optional<gallery_row>> gallery_repo::get(std::string_view id) const {
  auto stmt = db_->prepare(select_by_id_sql());
  if (!stmt) {
    return tl::unexpected<error>{stmt.error()};
  }
  if (auto bound = stmt->bind(1, id); !bound) {
    return tl::unexpected<error>{bound.error()};
  }
  return stmt->fetch_one([](statement const& row) { return read_gallery_row(row); });
}

expected<bool> gallery_repo::references_file(std::string_view filename) const {
  auto stmt = db_->prepare("SELECT 1 FROM gallery_entries WHERE filename = ?1 LIMIT 1");
  if (!stmt) {
    return tl::unexpected<error>{stmt.error()};
  }
  if (auto bound = stmt->bind(1, filename); !bound) {
    return tl::unexpected<error>{bound.error()};
  }
  return stmt->step();
}

expected<std::vector<gallery_row>> gallery_repo::get_many(std::vector<std::string> const& ids) const {
  auto stmt = db_->prepare(select_by_id_sql());
  if (!stmt) {
    return tl::unexpected<error>{stmt.error()};
  }
  std::vector<gallery_row> rows;
  for (auto const& id : ids) {
    stmt->reset();
    if (auto bound = stmt->bind(1, id); !bound) {
      return tl::unexpected<error>{bound.error()};
    }
    auto row = stmt->fetch_one([](statement const& r) { return read_gallery_row(r); });
    if (!row) {
      return tl::unexpected<error>{row.error()};
    }
    if (*row) {
      rows.push_back(std::move(**row));
    }
  }
  return rows;
}

expected<std::optional<gallery_row>> gallery_repo::set_favorite(std::string_view id, bool favorite) {
  auto stmt = db_->prepare("UPDATE gallery_entries SET favorite = ?1 WHERE id = ?2");
  if (!stmt) {
    return tl::unexpected<error>{stmt.error()};
  }
  if (auto bound = stmt->bind_all(favorite, id); !bound) {
    return tl::unexpected<error>{bound.error()};
  }
  if (auto done = stmt->execute(); !done) {
    return tl::unexpected<error>{done.error()};
  }
  if (db_->changes() == 0) {
    return std::optional<gallery_row>{};
  }
  return get(id);
}

expected<favorite_update> gallery_repo::set_favorite_many(std::vector<std::string> const& ids, bool favorite) {
  auto tx = transaction::begin(*db_);
  if (!tx) {
    return tl::unexpected<error>{tx.error()};
  }
  auto stmt = db_->prepare("UPDATE gallery_entries SET favorite = ?1 WHERE id = ?2");
  if (!stmt) {
    return tl::unexpected<error>{stmt.error()};
  }
  favorite_update out;
  for (auto const& id : ids) {
    if (auto bound = stmt->bind_all(favorite, id); !bound) {
      return tl::unexpected<error>{bound.error()};
    }
    if (auto done = stmt->execute(); !done) {
      return tl::unexpected<error>{done.error()};
    }
    // SQLite counts a matched row even when the flag already had that value.
    if (db_->changes() > 0) {
      ++out.rows;
    } else {
      out.missing_ids.push_back(id);
    }
  }
  if (auto committed = tx->commit(); !committed) {
    return tl::unexpected<error>{committed.error()};
  }
  return out;
}

expected<std::int64_t> gallery_repo::set_thumbnail(std::string_view filename, std::string_view thumbnail) {
  auto stmt = db_->prepare(
      "UPDATE gallery_entries SET thumbnail_filename = ?1 "
      "WHERE filename = ?2 AND (thumbnail_filename IS NULL OR thumbnail_filename <> ?1)");
  if (!stmt) {
    return tl::unexpected<error>{stmt.error()};
  }
  if (auto bound = stmt->bind_all(thumbnail, filename); !bound) {
    return tl::unexpected<error>{bound.error()};
  }
  if (auto done = stmt->execute(); !done) {
    return tl::unexpected<error>{done.error()};
  }
  return db_->changes();
}

namespace {

// Adds `filename` to `out` unless a row still names it; called inside the
// deleting transaction, after the rows are gone.
expected<void> collect_orphan(statement& still_used, std::string const& filename,
                              std::optional<std::string> const& thumbnail, std::vector<orphaned_file>& out) {
  for (auto& known : out) {
    if (known.filename == filename) {
      if (!known.thumbnail_filename) {
        known.thumbnail_filename = thumbnail;
      }
      return {};
    }
  }
  still_used.reset();
  if (auto bound = still_used.bind(1, filename); !bound) {
    return bound;
  }
  auto used = still_used.step();
  if (!used) {
    return tl::unexpected<error>{used.error()};
  }
  if (!*used) {
    out.push_back(orphaned_file{filename, thumbnail});
  }
  return {};
}

} // namespace

expected<deletion> gallery_repo::remove_many(std::vector<std::string> const& ids) {
  auto tx = transaction::begin(*db_);
  if (!tx) {
    return tl::unexpected<error>{tx.error()};
  }
  auto remove = db_->prepare("DELETE FROM gallery_entries WHERE id = ?1 RETURNING filename, thumbnail_filename");
  auto still_used = db_->prepare("SELECT 1 FROM gallery_entries WHERE filename = ?1 LIMIT 1");
  if (!remove || !still_used) {
    return tl::unexpected<error>{!remove ? remove.error() : still_used.error()};
  }
  deletion out;
  std::vector<std::pair<std::string, std::optional<std::string>>> files;
  for (auto const& id : ids) {
    remove->reset();
    if (auto bound = remove->bind(1, id); !bound) {
      return tl::unexpected<error>{bound.error()};
    }
    auto gone = remove->fetch_all([](statement const& r) {
      return std::pair{r.column_text(0), r.column_optional_text(1)};
    });
    if (!gone) {
      return tl::unexpected<error>{gone.error()};
    }
    if (gone->empty()) {
      out.missing_ids.push_back(id);
      continue;
    }
    out.rows += static_cast<std::int64_t>(gone->size());
    files.insert(files.end(), gone->begin(), gone->end());
  }
  for (auto const& [filename, thumbnail] : files) {
    if (auto collected = collect_orphan(*still_used, filename, thumbnail, out.orphaned); !collected) {
      return tl::unexpected<error>{collected.error()};
    }
  }
  if (auto committed = tx->commit(); !committed) {
    return tl::unexpected<error>{committed.error()};
  }
  return out;
}

expected<deletion> gallery_repo::remove_all() {
  auto tx = transaction::begin(*db_);
  if (!tx) {
    return tl::unexpected<error>{tx.error()};
  }
  auto files = db_->prepare("SELECT filename, MAX(thumbnail_filename) FROM gallery_entries GROUP BY filename");
  if (!files) {
    return tl::unexpected<error>{files.error()};
  }
  auto orphaned = files->fetch_all([](statement const& r) {
    return orphaned_file{r.column_text(0), r.column_optional_text(1)};
  });
  if (!orphaned) {
    return tl::unexpected<error>{orphaned.error()};
  }
  if (auto removed = db_->exec("DELETE FROM gallery_entries"); !removed) {
    return tl::unexpected<error>{removed.error()};
  }
  deletion out;
  out.rows = db_->changes();
  out.orphaned = std::move(*orphaned);
  if (auto committed = tx->commit(); !committed) {
    return tl::unexpected<error>{committed.error()};
  }
  return out;
}

} // namespace panel::store
