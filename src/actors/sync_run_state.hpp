#pragma once
// Private to sync_run: the run's state and the steps its two source files share
// (sync_run.cpp: lifecycle, listing, comparing; sync_run_upload.cpp: one upload).
// Everything here runs in the sync_run actor.

#include <chrono>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "actors/sync_run.hpp"

namespace panel::actors::sync_detail {

using steady = std::chrono::steady_clock;

/// How long a store task or a read may take.
inline constexpr auto store_timeout = std::chrono::seconds{60};
/// Extra time an ask to the pool waits beyond the transfer's own timeout.
inline constexpr auto ask_margin = std::chrono::milliseconds{10'000};

/// One gallery row as the run sees it: size < 0 means missing locally.
struct candidate {
  std::string id;
  std::string filename;
  std::int64_t size = -1;
};

/// A row whose object the bucket lacks.
struct upload_job {
  std::string id;
  std::string filename;
  std::string key;
};

struct run_state {
  // Not an aggregate: CAF would try to build it from the actor pointer.
  run_state() = default;

  std::shared_ptr<sync_status> status; ///< shared with the exit guard
  r2_target target;
  std::filesystem::path images_dir;
  std::size_t concurrency = 1; ///< uploads in flight at most
  handles deps;
  std::vector<candidate> rows;
  std::size_t cursor = 0;                 ///< next row to compare
  std::unordered_set<std::string> remote; ///< keys already in the bucket
  std::unordered_set<std::string> seen;   ///< filenames handled by an earlier row
  std::deque<upload_job> queue;
  std::size_t in_flight = 0;
  std::vector<upload_failure> failures;   ///< the first three, for the summary
  steady::time_point last_persist{};
  steady::time_point last_publish{};
  bool ended = false;
  static inline char const* name = "sync_run";
};

using run_actor = sync_run_actor::stateful_pointer<run_state>;

/// The run's status (owned by the state).
[[nodiscard]] sync_status& status_of(run_actor self);
/// "sync:<job id>": the hub topic and the pool's cancel key.
[[nodiscard]] std::string topic_of(run_actor self);
/// The `<e>` of a failed S3 answer, credentials scrubbed.
[[nodiscard]] std::string failure_text(run_actor self, s3_reply const& reply);
/// Counters changed: record and stream follow, throttled unless `force`.
void touch(run_actor self, bool force);
/// One row is settled (uploaded, skipped, missing or failed): start the next.
void upload_done(run_actor self);
/// HeadObject, then (when missing) hash on a reader and PutObject from the file.
void start_upload(run_actor self, upload_job job);

} // namespace panel::actors::sync_detail
