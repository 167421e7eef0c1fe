#pragma once
// jobs_repo: the generate_jobs table (spec/API.md §4.7, §13.2).

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/expected.hpp"
#include "store/job_record.hpp"

namespace panel::store {

class database;

/// How many jobs history keeps (spec §4.7).
inline constexpr std::int64_t job_history_limit = 100;

/// Reads and writes generate_jobs through one borrowed connection (the writer
/// for changes, any connection for reads). Used on that connection's thread;
/// it must not outlive the database. Each call is one statement, so it joins a
/// surrounding transaction when one is open.
class jobs_repo {
 public:
  /// Borrows `db`.
  explicit jobs_repo(database& db) noexcept : db_{&db} {}

  /// Inserts a new row (normally the queued state); a duplicate job_id is an error.
  [[nodiscard]] expected<void> insert(job_record const& job);
  /// Rewrites every column of the row with `job.job_id`; false when no such row.
  [[nodiscard]] expected<bool> update(job_record const& job);
  /// The job, or nullopt. Applies the §13.2 read rule: no stored images but an
  /// image_id/image_url gives a one-element `images` list.
  [[nodiscard]] expected<std::optional<job_record>> get(std::string_view job_id) const;
  /// Jobs newest `updated_at` first. Only queued/running unless
  /// `include_finished`; only error/upstream_error when `failed_only`.
  /// A negative `limit` means no limit.
  [[nodiscard]] expected<std::vector<job_record>> list(bool include_finished, std::int64_t limit,
                                                       std::int64_t offset, bool failed_only) const;
  /// Deletes every terminal job (queued/running stay); returns how many went.
  [[nodiscard]] expected<std::int64_t> delete_finished();
  /// Startup reconciliation (§4.7): queued/running become interrupted with
  /// completed_at/updated_at = `now_iso`; returns how many changed.
  [[nodiscard]] expected<std::int64_t> mark_interrupted_on_startup(std::string_view now_iso);
  /// When more than `keep` rows exist, deletes the oldest terminal jobs (by
  /// updated_at) until `keep` remain or only active ones are left; returns how many went.
  [[nodiscard]] expected<std::int64_t> trim_history(std::int64_t keep = job_history_limit);

 private:
  database* db_;
};

} // namespace panel::store
