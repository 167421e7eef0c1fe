#include "store/migrations.hpp"

#include <array>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "store/database.hpp"
#include "store/gallery_fts.hpp"
#include "store/schema.hpp"
#include "store/transaction.hpp"

namespace panel::store {

namespace {

expected<void> migrate_core_schema(database& db) {
  if (auto schema = ensure_core_schema(db); !schema) {
    return schema;
  }
  // Without FTS5/trigram the gallery searches with LIKE; that is not a failure.
  auto fts = ensure_gallery_fts(db);
  if (!fts) {
    return tl::unexpected<error>{fts.error()};
  }
  return {};
}

constexpr std::array builtin{
    migration{1, "core_schema", &migrate_core_schema},
};

constexpr std::array ledger_columns{
    column_spec{"version", "INTEGER PRIMARY KEY", ""},
    column_spec{"applied_at", "TEXT", "TEXT"},
    column_spec{"name", "TEXT", "TEXT"},
};

constexpr table_spec ledger{"schema_migrations", ledger_columns, {}};

enum class ledger_state { absent, ours, foreign };

expected<ledger_state> lookup(database& db, migration const& step) {
  auto stmt = db.prepare("SELECT name FROM schema_migrations WHERE version = ?1");
  if (!stmt) {
    return tl::unexpected<error>{stmt.error()};
  }
  if (auto bound = stmt->bind(1, step.version); !bound) {
    return tl::unexpected<error>{bound.error()};
  }
  auto row = stmt->step();
  if (!row) {
    return tl::unexpected<error>{row.error()};
  }
  if (!*row) {
    return ledger_state::absent;
  }
  std::optional<std::string> const name = stmt->column_optional_text(0);
  return !name.has_value() || *name == step.name ? ledger_state::ours : ledger_state::foreign;
}

expected<void> record(database& db, migration const& step) {
  auto stmt = db.prepare("INSERT INTO schema_migrations (version, applied_at, name) VALUES (?1, ?2, ?3)");
  if (!stmt) {
    return tl::unexpected<error>{stmt.error()};
  }
  if (auto bound = stmt->bind_all(step.version, core::now_iso_utc(), step.name); !bound) {
    return bound;
  }
  return stmt->execute();
}

expected<void> check_order(std::span<migration const> list) {
  std::int64_t previous = 0;
  for (migration const& step : list) {
    if (step.version <= previous || step.apply == nullptr) {
      return panel::fail(errc::internal, "migration list is not strictly increasing from 1 or has no step at " +
                                             std::to_string(step.version));
    }
    previous = step.version;
  }
  return {};
}

expected<void> ensure_ledger(database& db) {
  auto tx = transaction::begin(db);
  if (!tx) {
    return tl::unexpected<error>{tx.error()};
  }
  if (auto ensured = ensure_table(db, ledger); !ensured) {
    return ensured;
  }
  return tx->commit();
}

// Applies one step in its own transaction; nullopt when it was already recorded.
expected<std::optional<ledger_state>> apply_one(database& db, migration const& step) {
  auto tx = transaction::begin(db);
  if (!tx) {
    return tl::unexpected<error>{tx.error()};
  }
  auto state = lookup(db, step);
  if (!state) {
    return tl::unexpected<error>{state.error()};
  }
  if (*state == ledger_state::ours) {
    return std::optional<ledger_state>{};
  }
  if (auto applied = step.apply(db); !applied) {
    return tl::unexpected<error>{error{applied.error().code, "migration " + std::to_string(step.version) +
                                                                 " (" + std::string{step.name} +
                                                                 ") failed: " + applied.error().message}};
  }
  // A foreign row keeps its place: the other program still needs it.
  if (*state == ledger_state::absent) {
    if (auto recorded = record(db, step); !recorded) {
      return tl::unexpected<error>{recorded.error()};
    }
  }
  if (auto committed = tx->commit(); !committed) {
    return tl::unexpected<error>{committed.error()};
  }
  return std::optional<ledger_state>{*state};
}

} // namespace

std::span<migration const> builtin_migrations() noexcept {
  return builtin;
}

expected<migration_report> run_migrations(database& db, std::span<migration const> list) {
  if (auto ordered = check_order(list); !ordered) {
    return tl::unexpected<error>{ordered.error()};
  }
  if (db.in_transaction()) {
    return panel::fail(errc::internal, "migrations must not run inside an open transaction");
  }
  if (auto ready = ensure_ledger(db); !ready) {
    return tl::unexpected<error>{ready.error()};
  }
  migration_report report;
  for (migration const& step : list) {
    auto outcome = apply_one(db, step);
    if (!outcome) {
      return tl::unexpected<error>{outcome.error()};
    }
    if (!outcome->has_value()) {
      continue;
    }
    if (**outcome == ledger_state::absent) {
      report.applied.push_back(step.version);
    } else {
      report.replayed.push_back(step.version);
    }
  }
  return report;
}

expected<migration_report> run_migrations(database& db) {
  return run_migrations(db, builtin_migrations());
}

expected<std::vector<std::int64_t>> recorded_migrations(database& db) {
  auto exists = table_exists(db, "schema_migrations");
  if (!exists) {
    return tl::unexpected<error>{exists.error()};
  }
  std::vector<std::int64_t> versions;
  if (!*exists) {
    return versions;
  }
  auto stmt = db.prepare("SELECT version FROM schema_migrations ORDER BY version");
  if (!stmt) {
    return tl::unexpected<error>{stmt.error()};
  }
  while (true) {
    auto row = stmt->step();
    if (!row) {
      return tl::unexpected<error>{row.error()};
    }
    if (!*row) {
      break;
    }
    versions.push_back(stmt->column_int64(0));
  }
  return versions;
}

} // namespace panel::store
