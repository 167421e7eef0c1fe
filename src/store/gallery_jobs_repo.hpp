#pragma once
// gallery_jobs_repo: the gallery_jobs table (spec §13.2): tracked ZIP exports
// (kind "export") and R2 sync runs (kind "sync"), persisted so their status
// survives restarts. Generic over the kind; each kind has its own JSON (§3.10
// GalleryExportJobStatus here; the sync status lives with the sync code).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"

namespace panel::store {

class database;

/// One gallery_jobs row; every column, so a row read and written back is unchanged.
struct gallery_job_record {
  std::string job_id;  ///< 32 hex
  std::string kind;    ///< "export" | "sync"
  std::string status;  ///< "queued" | "running" | "success" | "error"
  std::optional<std::string> stage;
  std::optional<std::string> message;
  std::int64_t progress = 0;
  std::optional<std::string> filename;
  std::optional<std::string> download_url;
  std::optional<std::string> path;
  std::int64_t requested_count = 0;
  std::int64_t processed_count = 0;
  std::int64_t exported_count = 0;
  std::int64_t missing_count = 0;
  std::int64_t total_count = 0;
  std::int64_t compared_count = 0;
  std::int64_t uploaded_count = 0;
  std::int64_t skipped_existing_count = 0;
  std::int64_t missing_local_count = 0;
  std::int64_t failed_count = 0;
  std::int64_t bytes_total = 0;
  std::int64_t bytes_written = 0;
  std::int64_t bytes_uploaded = 0;
  std::string created_at;
  std::optional<std::string> started_at;
  std::optional<std::string> completed_at;
  std::string updated_at;
  std::optional<std::string> error;
  std::optional<std::string> lease_owner;
  std::optional<std::string> lease_expires_at;
  std::optional<std::string> payload_json;

  /// success or error: the job will not change any more.
  [[nodiscard]] bool terminal() const { return status == "success" || status == "error"; }

  friend bool operator==(gallery_job_record const&, gallery_job_record const&) = default;
};

/// GalleryExportJobStatus (§3.10): compact JSON, every key always present.
[[nodiscard]] std::string export_job_json(gallery_job_record const& job);

/// Reads and writes gallery_jobs through one borrowed connection (the writer
/// for changes), on that connection's thread. One statement per call, so it
/// joins a surrounding transaction.
class gallery_jobs_repo {
 public:
  explicit gallery_jobs_repo(database& db) noexcept : db_{&db} {}

  /// Inserts a new row; a duplicate job_id is an error.
  [[nodiscard]] expected<void> insert(gallery_job_record const& job);
  /// Rewrites every column of the row with job.job_id; false when it is gone.
  [[nodiscard]] expected<bool> update(gallery_job_record const& job);
  /// The job of `kind` with `job_id`, or nullopt.
  [[nodiscard]] expected<std::optional<gallery_job_record>> get(std::string_view kind, std::string_view job_id) const;
  /// Deletes the row; returns it (its `path` names the file to remove), or nullopt.
  [[nodiscard]] expected<std::optional<gallery_job_record>> remove(std::string_view kind, std::string_view job_id);
  /// Jobs of `kind` that are queued or running.
  [[nodiscard]] expected<std::int64_t> count_active(std::string_view kind) const;
  /// Every job of `kind`, oldest first.
  [[nodiscard]] expected<std::vector<gallery_job_record>> list(std::string_view kind) const;
  /// Terminal jobs of `kind` whose updated_at is before `cutoff_iso` (UTC ISO).
  [[nodiscard]] expected<std::vector<gallery_job_record>> finished_before(std::string_view kind,
                                                                          std::string_view cutoff_iso) const;
  /// Startup: queued/running jobs of `kind` become status/stage "error" with
  /// `message` and `error`, completed_at/updated_at = `now_iso`; returns how many.
  [[nodiscard]] expected<std::int64_t> fail_unfinished(std::string_view kind, std::string_view now_iso,
                                                       std::string_view message, std::string_view error);

 private:
  database* db_;
};

} // namespace panel::store
