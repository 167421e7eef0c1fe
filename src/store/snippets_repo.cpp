#include "store/snippets_repo.hpp"

#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "store/database.hpp"
#include "store/statement.hpp"

namespace panel::store {

namespace {

constexpr std::string_view columns = "id, title, prompt, favorite, created_at, updated_at";

// Favourites first, then the latest change; rowid breaks ties in favour of the
// newer insert (two snippets can share a timestamp).
constexpr std::string_view order = " ORDER BY favorite DESC, updated_at DESC, rowid DESC";

snippet read_snippet(statement const& stmt) {
  snippet s;
  s.id = stmt.column_text(0);
  s.title = stmt.column_text(1);
  s.prompt = stmt.column_text(2);
  s.favorite = stmt.column_int64(3) != 0;
  s.created_at = stmt.column_text(4);
  s.updated_at = stmt.column_text(5);
  return s;
}

expected<void> write_row(database& db, std::string_view sql, snippet const& s) {
  auto stmt = db.prepare(sql);
  if (!stmt) {
    return tl::unexpected<error>{stmt.error()};
  }
  if (auto bound = stmt->bind_all(s.id, s.title, s.prompt, s.favorite, s.created_at, s.updated_at); !bound) {
    return bound;
  }
  return stmt->execute();
}

} // namespace

std::string escape_like(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char const c : text) {
    if (c == '\\' || c == '%' || c == '_') {
      out += '\\';
    }
    out += c;
  }
  return out;
}

expected<std::vector<snippet>> snippets_repo::list(std::string_view query) const {
  std::string sql{"SELECT "};
  sql += columns;
  sql += " FROM prompt_snippets";
  if (!query.empty()) {
    sql += " WHERE title LIKE ?1 ESCAPE '\\' OR prompt LIKE ?1 ESCAPE '\\'";
  }
  sql += order;
  auto stmt = db_->prepare(sql);
  if (!stmt) {
    return tl::unexpected<error>{stmt.error()};
  }
  if (!query.empty()) {
    if (auto bound = stmt->bind(1, "%" + escape_like(query) + "%"); !bound) {
      return tl::unexpected<error>{bound.error()};
    }
  }
  return stmt->fetch_all(read_snippet);
}

expected<std::optional<snippet>> snippets_repo::get(std::string_view id) const {
  std::string sql{"SELECT "};
  sql += columns;
  sql += " FROM prompt_snippets WHERE id = ?1";
  auto stmt = db_->prepare(sql);
  if (!stmt) {
    return tl::unexpected<error>{stmt.error()};
  }
  if (auto bound = stmt->bind(1, id); !bound) {
    return tl::unexpected<error>{bound.error()};
  }
  return stmt->fetch_one(read_snippet);
}

expected<snippet> snippets_repo::create(std::string_view title, std::string_view prompt, bool favorite) {
  snippet s;
  s.id = core::uuid4();
  s.title = std::string(title);
  s.prompt = std::string(prompt);
  s.favorite = favorite;
  s.created_at = core::now_iso_utc();
  s.updated_at = s.created_at;
  std::string sql{"INSERT INTO prompt_snippets ("};
  sql += columns;
  sql += ") VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
  if (auto done = write_row(*db_, sql, s); !done) {
    return tl::unexpected<error>{done.error()};
  }
  return s;
}

expected<std::optional<snippet>> snippets_repo::update(std::string_view id, snippet_patch const& patch) {
  auto current = get(id);
  if (!current || !*current) {
    return current;
  }
  auto s = std::move(**current);
  bool changed = false;
  if (patch.title && *patch.title != s.title) {
    s.title = *patch.title;
    changed = true;
  }
  if (patch.prompt && *patch.prompt != s.prompt) {
    s.prompt = *patch.prompt;
    changed = true;
  }
  if (patch.favorite && *patch.favorite != s.favorite) {
    s.favorite = *patch.favorite;
    changed = true;
  }
  if (!changed) {
    return std::optional<snippet>{std::move(s)};
  }
  s.updated_at = core::now_iso_utc();
  if (auto done = write_row(*db_,
                            "UPDATE prompt_snippets SET title = ?2, prompt = ?3, favorite = ?4, created_at = ?5, "
                            "updated_at = ?6 WHERE id = ?1",
                            s);
      !done) {
    return tl::unexpected<error>{done.error()};
  }
  return std::optional<snippet>{std::move(s)};
}

expected<bool> snippets_repo::remove(std::string_view id) {
  auto stmt = db_->prepare("DELETE FROM prompt_snippets WHERE id = ?1");
  if (!stmt) {
    return tl::unexpected<error>{stmt.error()};
  }
  if (auto bound = stmt->bind(1, id); !bound) {
    return tl::unexpected<error>{bound.error()};
  }
  if (auto done = stmt->execute(); !done) {
    return tl::unexpected<error>{done.error()};
  }
  return db_->changes() > 0;
}

} // namespace panel::store
