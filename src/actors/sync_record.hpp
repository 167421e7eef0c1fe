#pragma once
// sync_record: the persisted form of a sync run, a gallery_jobs row of kind
// "sync" (spec/API.md §13.2, through store::gallery_jobs_repo). `lease_owner` names the process that runs it, so
// a queued/running row left by a stopped or crashed process can be told from
// the live one. Blocking (SQLite): call it from a store task only.

#include <optional>
#include <string>
#include <string_view>

#include "actors/sync_status.hpp"
#include "core/expected.hpp"

namespace panel::store {
class database;
}

namespace panel::actors {

/// A stored sync run and the process that owns it.
struct stored_sync {
  sync_status status;
  std::string owner; ///< lease_owner
};

/// This process's owner id: 32 random hex characters, fixed at first use.
[[nodiscard]] std::string const& sync_process_owner();

/// The gallery_jobs kind of sync runs.
inline constexpr std::string_view sync_record_kind = "sync";

/// Inserts the row of a new run `s` (kind "sync", lease_owner `owner`).
[[nodiscard]] expected<void> insert_sync_record(store::database& db, sync_status const& s, std::string_view owner);

/// Rewrites the row of `s` (kind "sync", lease_owner `owner`).
[[nodiscard]] expected<void> save_sync_record(store::database& db, sync_status const& s, std::string_view owner);

/// The sync run `job_id`, or nullopt (also for ids of other kinds).
[[nodiscard]] expected<std::optional<stored_sync>> load_sync_record(store::database& db, std::string_view job_id);

/// True when a sync run owned by `owner` is queued or running.
[[nodiscard]] expected<bool> has_active_sync(store::database& db, std::string_view owner);

/// Marks every queued/running sync row NOT owned by `owner` as interrupted
/// (mark_interrupted); returns how many.
[[nodiscard]] expected<int> interrupt_stale_syncs(store::database& db, std::string_view owner, std::string const& now);

/// `s` as a reader should show it: a queued/running row that `owner` does not
/// own belongs to a run that is gone, so it reads as interrupted.
[[nodiscard]] sync_status visible_status(stored_sync const& row, std::string_view owner, std::string const& now);

} // namespace panel::actors
