#pragma once
// migrations: the versioned, forward-only schema changes and their runner.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/expected.hpp"

namespace panel::store {

class database;

/// One schema change. `apply` runs inside the runner's transaction and must
/// be idempotent (CREATE ... IF NOT EXISTS, add a column only when missing):
/// databases made by the original panel already hold some of it, and a
/// migration recorded under another name is replayed (see run_migrations).
struct migration {
  std::int64_t version;
  std::string_view name;
  expected<void> (*apply)(database& db);
};

/// What one run_migrations call did.
struct migration_report {
  /// Versions applied and recorded in schema_migrations by this call.
  std::vector<std::int64_t> applied;
  /// Versions whose ledger row was written by another program (the original
  /// panel keeps its own migrations in the same table): applied again,
  /// idempotently, and not recorded.
  std::vector<std::int64_t> replayed;
};

/// The panel's migrations in version order. 1 = "core_schema": every table,
/// index and the FTS index of spec/API.md §13.2. Static data, any thread.
[[nodiscard]] std::span<migration const> builtin_migrations() noexcept;

/// Creates the ledger `schema_migrations(version INTEGER PRIMARY KEY,
/// applied_at TEXT, name TEXT)` when missing (`name` keeps the table
/// compatible with the original panel's ledger), then applies each migration
/// of `list` that is not yet recorded, one IMMEDIATE transaction each: a
/// failing migration leaves neither its changes nor its ledger row, and the
/// run stops there. Versions must be positive and strictly increasing.
/// Runs on the writer; must not be called inside a transaction.
[[nodiscard]] expected<migration_report> run_migrations(database& db, std::span<migration const> list);

/// run_migrations with builtin_migrations().
[[nodiscard]] expected<migration_report> run_migrations(database& db);

/// Versions recorded in schema_migrations, ascending (empty when the ledger
/// does not exist yet).
[[nodiscard]] expected<std::vector<std::int64_t>> recorded_migrations(database& db);

} // namespace panel::store
