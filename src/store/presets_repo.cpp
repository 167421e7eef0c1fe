#include "store/presets_repo.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/strings.hpp"
#include "store/database.hpp"
#include "store/settings_kv_repo.hpp"
#include "store/statement.hpp"
#include "store/transaction.hpp"

namespace panel::store {

namespace {

constexpr std::string_view generations_path = "/v1/images/generations";
constexpr std::string_view responses_path = "/v1/responses";
constexpr std::string_view fallback_model = "gpt-image-2";

// The store module does not depend on upstream/, so the four paths of
// upstream::api_path are repeated here as text.
constexpr std::array<std::string_view, 4> known_paths{
    generations_path, "/v1/images/edits", responses_path, "/v1/chat/completions"};

// One column order for SELECT and INSERT (column i is parameter i+1).
constexpr std::string_view columns =
    "id, name, api_url, api_key, api_path, default_model, default_response_format, position, "
    "created_at, updated_at";

// §7.1: unknown stored paths silently become generations.
std::string normalise_api_path(std::string_view text) {
  auto const trimmed = core::trim(text);
  for (auto const path : known_paths) {
    if (trimmed == path) {
      return std::string{path};
    }
  }
  return std::string{generations_path};
}

// §7.1: "", "url" or "b64_json"; anything else reads as "url".
std::string normalise_response_format(std::string_view text) {
  auto const trimmed = core::trim(text);
  if (trimmed.empty() || trimmed == "url" || trimmed == "b64_json") {
    return std::string{trimmed};
  }
  return "url";
}

preset read_preset(statement const& stmt) {
  preset p;
  p.id = stmt.column_text(0);
  p.name = stmt.column_text(1);
  p.api_url = stmt.column_text(2);
  p.api_key = stmt.column_text(3);
  p.api_path = normalise_api_path(stmt.column_text(4));
  p.default_model = stmt.column_text(5);
  p.default_response_format = normalise_response_format(stmt.column_text(6));
  p.position = stmt.column_int64(7);
  p.created_at = stmt.column_text(8);
  p.updated_at = stmt.column_text(9);
  return p;
}

expected<std::int64_t> count_presets(database& db) {
  auto stmt = db.prepare("SELECT COUNT(*) FROM api_presets");
  if (!stmt) {
    return tl::unexpected<error>{stmt.error()};
  }
  auto row = stmt->step();
  if (!row) {
    return tl::unexpected<error>{row.error()};
  }
  return *row ? stmt->column_int64(0) : 0;
}

// The first preset by position, then created_at (nullopt when none).
expected<std::optional<preset>> first_preset(database& db) {
  std::string sql{"SELECT "};
  sql += columns;
  sql += " FROM api_presets ORDER BY position ASC, created_at ASC, rowid ASC LIMIT 1";
  auto stmt = db.prepare(sql);
  if (!stmt) {
    return tl::unexpected<error>{stmt.error()};
  }
  return stmt->fetch_one(read_preset);
}

std::string seed_api_url(std::string_view text) {
  auto url = core::trim(text);
  while (!url.empty() && url.back() == '/') {
    url.remove_suffix(1);
  }
  return std::string{url};
}

expected<void> insert_preset(database& db, preset const& p) {
  std::string sql{"INSERT INTO api_presets ("};
  sql += columns;
  sql += ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
  auto stmt = db.prepare(sql);
  if (!stmt) {
    return tl::unexpected<error>{stmt.error()};
  }
  if (auto bound = stmt->bind_all(p.id, p.name, p.api_url, p.api_key, p.api_path, p.default_model,
                                  p.default_response_format, p.position, p.created_at, p.updated_at);
      !bound) {
    return bound;
  }
  return stmt->execute();
}

// The body of seed(), inside whatever transaction the caller holds.
expected<void> seed_locked(database& db, preset_seed const& seed) {
  settings_kv_repo kv{db};
  auto count = count_presets(db);
  if (!count) {
    return tl::unexpected<error>{count.error()};
  }
  if (*count == 0) {
    auto const now = core::now_iso_utc();
    preset p;
    p.id = "default";
    p.name = "Default";
    p.api_url = seed_api_url(seed.api_url);
    // Stored as given (env ref, "" or a literal); masking and the
    // ALLOW_PLAINTEXT_SECRETS rule apply when settings are read or saved.
    p.api_key = std::string{core::trim(seed.api_key)};
    p.api_path = normalise_api_path(seed.api_path);
    p.default_model = "";
    p.default_response_format = "url";
    p.position = 0;
    p.created_at = now;
    p.updated_at = now;
    if (auto done = insert_preset(db, p); !done) {
      return done;
    }
    if (auto done = kv.set(settings_keys::active_preset_id, p.id); !done) {
      return done;
    }
    auto proxy = kv.get(settings_keys::upstream_socks5_proxy);
    if (!proxy) {
      return tl::unexpected<error>{proxy.error()};
    }
    if (!proxy->has_value()) {
      return kv.set(settings_keys::upstream_socks5_proxy, core::trim(seed.socks5_proxy));
    }
    return {};
  }
  // Presets exist: only repair a dangling or missing active_preset_id.
  auto active_id = kv.get(settings_keys::active_preset_id);
  if (!active_id) {
    return tl::unexpected<error>{active_id.error()};
  }
  if (active_id->has_value()) {
    presets_repo repo{db};
    auto current = repo.get(**active_id);
    if (!current) {
      return tl::unexpected<error>{current.error()};
    }
    if (current->has_value()) {
      return {};
    }
  }
  auto first = first_preset(db);
  if (!first) {
    return tl::unexpected<error>{first.error()};
  }
  if (!first->has_value()) {
    return {};
  }
  return kv.set(settings_keys::active_preset_id, (*first)->id);
}

// Runs `body` inside the caller's transaction, or in one of its own.
template <class Body>
expected<void> atomically(database& db, Body body) {
  if (db.in_transaction()) {
    return body();
  }
  auto tx = transaction::begin(db);
  if (!tx) {
    return tl::unexpected<error>{tx.error()};
  }
  if (auto done = body(); !done) {
    return done;
  }
  return tx->commit();
}

tl::unexpected<error> preset_not_found() {
  return fail(errc::not_found, "Preset not found");
}

expected<std::int64_t> next_position(database& db) {
  auto stmt = db.prepare("SELECT COALESCE(MAX(position), -1) + 1 FROM api_presets");
  if (!stmt) {
    return tl::unexpected<error>{stmt.error()};
  }
  auto row = stmt->step();
  if (!row) {
    return tl::unexpected<error>{row.error()};
  }
  return *row ? stmt->column_int64(0) : 0;
}

expected<std::string> kv_text(database& db, std::string_view key) {
  auto value = settings_kv_repo{db}.get(key);
  if (!value) {
    return tl::unexpected<error>{value.error()};
  }
  return value->value_or("");
}

} // namespace

std::string effective_default_model(preset const& p, std::string_view default_responses_model) {
  auto const model = core::trim(p.default_model);
  if (!model.empty()) {
    return std::string{model};
  }
  auto const fallback = core::trim(default_responses_model);
  if (p.api_path == responses_path && !fallback.empty()) {
    return std::string{fallback};
  }
  return std::string{fallback_model};
}

expected<void> presets_repo::seed(preset_seed const& seed) {
  return atomically(*db_, [&] { return seed_locked(*db_, seed); });
}

expected<std::vector<preset>> presets_repo::list() const {
  std::string sql{"SELECT "};
  sql += columns;
  sql += " FROM api_presets ORDER BY position ASC, created_at ASC, rowid ASC";
  auto stmt = db_->prepare(sql);
  if (!stmt) {
    return tl::unexpected<error>{stmt.error()};
  }
  return stmt->fetch_all(read_preset);
}

expected<std::optional<preset>> presets_repo::get(std::string_view id) const {
  std::string sql{"SELECT "};
  sql += columns;
  sql += " FROM api_presets WHERE id = ?1";
  auto stmt = db_->prepare(sql);
  if (!stmt) {
    return tl::unexpected<error>{stmt.error()};
  }
  if (auto bound = stmt->bind(1, id); !bound) {
    return tl::unexpected<error>{bound.error()};
  }
  return stmt->fetch_one(read_preset);
}

expected<preset> presets_repo::active() const {
  settings_kv_repo kv{*db_};
  auto active_id = kv.get(settings_keys::active_preset_id);
  if (!active_id) {
    return tl::unexpected<error>{active_id.error()};
  }
  if (active_id->has_value()) {
    auto current = get(**active_id);
    if (!current) {
      return tl::unexpected<error>{current.error()};
    }
    if (current->has_value()) {
      return std::move(**current);
    }
  }
  auto first = first_preset(*db_);
  if (!first) {
    return tl::unexpected<error>{first.error()};
  }
  if (!first->has_value()) {
    return fail(errc::not_found, "No API preset is configured");
  }
  return std::move(**first);
}

expected<job_settings> presets_repo::job_settings_snapshot() const {
  auto current = active();
  if (!current) {
    return tl::unexpected<error>{current.error()};
  }
  settings_kv_repo kv{*db_};
  auto proxy = kv.get(settings_keys::upstream_socks5_proxy);
  if (!proxy) {
    return tl::unexpected<error>{proxy.error()};
  }
  auto webhook = kv.get(settings_keys::webhook_url);
  if (!webhook) {
    return tl::unexpected<error>{webhook.error()};
  }
  job_settings out;
  out.active = std::move(*current);
  out.socks5_proxy = proxy->value_or("");
  out.webhook_url = webhook->value_or("");
  return out;
}

expected<preset> presets_repo::create(preset const& fields) {
  preset p = fields;
  auto const now = core::now_iso_utc();
  p.id = core::random_hex32();
  p.api_path = normalise_api_path(fields.api_path);
  p.default_response_format = normalise_response_format(fields.default_response_format);
  p.created_at = now;
  p.updated_at = now;
  auto done = atomically(*db_, [&]() -> expected<void> {
    auto position = next_position(*db_);
    if (!position) {
      return tl::unexpected<error>{position.error()};
    }
    p.position = *position;
    if (auto inserted = insert_preset(*db_, p); !inserted) {
      return inserted;
    }
    return settings_kv_repo{*db_}.set(settings_keys::active_preset_id, p.id);
  });
  if (!done) {
    return tl::unexpected<error>{done.error()};
  }
  return p;
}

expected<void> presets_repo::update(preset const& p) {
  auto stmt = db_->prepare(
      "UPDATE api_presets SET name = ?1, api_url = ?2, api_key = ?3, api_path = ?4, default_model = ?5, "
      "default_response_format = ?6, updated_at = ?7 WHERE id = ?8");
  if (!stmt) {
    return tl::unexpected<error>{stmt.error()};
  }
  if (auto bound = stmt->bind_all(p.name, p.api_url, p.api_key, normalise_api_path(p.api_path), p.default_model,
                                  normalise_response_format(p.default_response_format), core::now_iso_utc(), p.id);
      !bound) {
    return bound;
  }
  if (auto done = stmt->execute(); !done) {
    return done;
  }
  if (db_->changes() == 0) {
    return preset_not_found();
  }
  return {};
}

expected<void> presets_repo::activate(std::string_view id) {
  auto found = get(id);
  if (!found) {
    return tl::unexpected<error>{found.error()};
  }
  if (!found->has_value()) {
    return preset_not_found();
  }
  return settings_kv_repo{*db_}.set(settings_keys::active_preset_id, id);
}

expected<void> presets_repo::remove(std::string_view id) {
  return atomically(*db_, [&]() -> expected<void> {
    auto all = list();
    if (!all) {
      return tl::unexpected<error>{all.error()};
    }
    if (all->size() <= 1) {
      return fail(errc::bad_request, "At least one preset is required");
    }
    auto const it = std::find_if(all->begin(), all->end(), [&](preset const& p) { return p.id == id; });
    if (it == all->end()) {
      return preset_not_found();
    }
    auto const index = static_cast<std::size_t>(it - all->begin());
    auto current = active();
    if (!current) {
      return tl::unexpected<error>{current.error()};
    }
    auto stmt = db_->prepare("DELETE FROM api_presets WHERE id = ?1");
    if (!stmt) {
      return tl::unexpected<error>{stmt.error()};
    }
    if (auto bound = stmt->bind(1, id); !bound) {
      return bound;
    }
    if (auto done = stmt->execute(); !done) {
      return done;
    }
    if (current->id != id) {
      return {};
    }
    all->erase(it);
    auto const& next = index < all->size() ? (*all)[index] : all->back();
    return settings_kv_repo{*db_}.set(settings_keys::active_preset_id, next.id);
  });
}

expected<std::string> presets_repo::socks5_proxy() const {
  return kv_text(*db_, settings_keys::upstream_socks5_proxy);
}

expected<void> presets_repo::set_socks5_proxy(std::string_view stored) {
  return settings_kv_repo{*db_}.set(settings_keys::upstream_socks5_proxy, stored);
}

expected<std::string> presets_repo::webhook_url() const {
  return kv_text(*db_, settings_keys::webhook_url);
}

expected<void> presets_repo::set_webhook_url(std::string_view stored) {
  return settings_kv_repo{*db_}.set(settings_keys::webhook_url, stored);
}

} // namespace panel::store
