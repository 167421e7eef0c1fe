#include "actors/admission.hpp"

#include <algorithm>

namespace panel::actors {

admission::admission(admission_limits limits) : limits_(limits) {
  limits_.max_active = std::max(1, limits_.max_active);
  limits_.max_queued = std::max(0, limits_.max_queued);
  limits_.max_edit_bytes = std::max<std::int64_t>(0, limits_.max_edit_bytes);
}

expected<void> admission::admit(std::string const& job_id, int units, std::int64_t edit_bytes) {
  if (units < 1 || edit_bytes < 0) {
    return fail(errc::validation, "n must be at least 1");
  }
  if (jobs_.contains(job_id)) {
    return fail(errc::conflict, "Job already admitted");
  }
  if (units_ + units > capacity()) {
    return fail(errc::rate_limited, "Generation job queue is full");
  }
  if (limits_.max_edit_bytes > 0 && edit_bytes > 0 && bytes_ + edit_bytes > limits_.max_edit_bytes) {
    return fail(errc::rate_limited, "Edit source queue is full");
  }
  jobs_.emplace(job_id, held{units, edit_bytes});
  units_ += units;
  bytes_ += edit_bytes;
  return {};
}

void admission::release(std::string const& job_id) {
  auto it = jobs_.find(job_id);
  if (it == jobs_.end()) {
    return;
  }
  units_ -= it->second.units;
  bytes_ -= it->second.bytes;
  jobs_.erase(it);
}

} // namespace panel::actors
