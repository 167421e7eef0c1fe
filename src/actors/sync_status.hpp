#pragma once
// The state of one R2 sync run (`GallerySyncJobStatus`, spec/API.md §3.11,
// §11.3) as a plain value: its JSON, its progress rule, the stage texts and the
// summary of failed uploads. Pure; any thread.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace panel::actors {

/// Every field of GallerySyncJobStatus, plus the bookkeeping the record keeps.
struct sync_status {
  std::string job_id;
  std::string status = "queued"; ///< queued, running, success, error
  std::string stage = "queued";  ///< queued, preparing, listing_remote, comparing, uploading, checkpoint, completed, error
  std::string message = "Queued R2 gallery sync";
  int progress = 0;
  std::string created_at;
  std::string updated_at;
  std::string started_at;   ///< "" until it runs (not in the JSON)
  std::string completed_at; ///< "" until it ends (not in the JSON)
  std::optional<std::string> error;
  std::int64_t total_count = 0;
  std::int64_t compared_count = 0;
  std::int64_t uploaded_count = 0;
  std::int64_t skipped_existing_count = 0;
  std::int64_t missing_local_count = 0;
  std::int64_t failed_count = 0;
  std::int64_t bytes_total = 0;
  std::int64_t bytes_uploaded = 0;

  /// success or error.
  [[nodiscard]] bool terminal() const { return status == "success" || status == "error"; }
};

/// The JSON object of §3.11 (every key always present, `error` null when unset).
[[nodiscard]] std::string to_json(sync_status const& s);

/// round(min(compared, total) / total × 100), 100 when total is 0 (§11.3).
[[nodiscard]] int sync_progress(std::int64_t compared, std::int64_t total);

/// "Compared <n> gallery image(s)".
[[nodiscard]] std::string compared_message(std::int64_t compared);

/// One failed upload: the gallery filename and why.
using upload_failure = std::pair<std::string, std::string>;

/// "R2 sync failed for <n> image(s): <file>: <err>; <file>: <err>; <file>: <err>"
/// with at most three samples, then "; <k> more" for the rest of the `failed` count.
[[nodiscard]] std::string upload_failure_summary(std::vector<upload_failure> const& samples, std::int64_t failed);

/// The text a queued/running record gets when no run owns it any more (the
/// process that ran it stopped or crashed).
inline constexpr std::string_view interrupted_error =
    "The sync was interrupted because the panel stopped; start it again to upload what is still missing";

/// Turns `s` into the terminal error of an interrupted run (counters kept).
void mark_interrupted(sync_status& s, std::string const& now);

} // namespace panel::actors
