#pragma once
// Admission of generation/edit jobs (spec §4.4): queue units and edit-source byte
// reservations, checked together so that a refusal leaves nothing behind. Plain
// state, owned by the job_supervisor actor (one thread at a time).

#include <cstdint>
#include <string>
#include <unordered_map>

#include "core/expected.hpp"

namespace panel::actors {

struct admission_limits {
  int max_active = 2;                  ///< MAX_ACTIVE_GENERATE_JOBS
  int max_queued = 20;                 ///< MAX_QUEUED_GENERATE_JOBS
  std::int64_t max_edit_bytes = 0;     ///< MAX_PENDING_EDIT_SOURCE_MB in bytes; 0 disables
};

class admission {
public:
  explicit admission(admission_limits limits);

  /// Admits a job costing `units` (its n) with `edit_bytes` of staged sources, or
  /// refuses with 429 "Generation job queue is full" / "Edit source queue is full".
  /// A refusal changes nothing.
  [[nodiscard]] expected<void> admit(std::string const& job_id, int units, std::int64_t edit_bytes);

  /// Releases a job's units and bytes (any terminal state). Unknown ids are ignored,
  /// so releasing twice is harmless.
  void release(std::string const& job_id);

  [[nodiscard]] int outstanding_units() const { return units_; }
  [[nodiscard]] std::int64_t reserved_bytes() const { return bytes_; }
  [[nodiscard]] int capacity() const { return limits_.max_active + limits_.max_queued; }

private:
  struct held {
    int units = 0;
    std::int64_t bytes = 0;
  };
  admission_limits limits_;
  std::unordered_map<std::string, held> jobs_;
  int units_ = 0;
  std::int64_t bytes_ = 0;
};

} // namespace panel::actors
