#include "actors/sync_status.hpp"

#include <algorithm>
#include <cmath>

#include "core/json_writer.hpp"

namespace panel::actors {

std::string to_json(sync_status const& s) {
  core::json_writer w;
  w.begin_object();
  w.field("job_id", s.job_id).field("status", s.status).field("stage", s.stage).field("message", s.message);
  w.field("progress", s.progress).field("created_at", s.created_at).field("updated_at", s.updated_at);
  w.field("error", s.error);
  w.field("total_count", s.total_count).field("compared_count", s.compared_count);
  w.field("uploaded_count", s.uploaded_count).field("skipped_existing_count", s.skipped_existing_count);
  w.field("missing_local_count", s.missing_local_count).field("failed_count", s.failed_count);
  w.field("bytes_total", s.bytes_total).field("bytes_uploaded", s.bytes_uploaded);
  w.end_object();
  return std::move(w).str();
}

int sync_progress(std::int64_t compared, std::int64_t total) {
  if (total <= 0) {
    return 100;
  }
  auto const done = static_cast<double>(std::clamp<std::int64_t>(compared, 0, total));
  // Python's round() rounds halves to even; std::nearbyint does too (default mode).
  return static_cast<int>(std::nearbyint(done / static_cast<double>(total) * 100.0));
}

std::string compared_message(std::int64_t compared) {
  return "Compared " + std::to_string(compared) + " gallery image(s)";
}

std::string upload_failure_summary(std::vector<upload_failure> const& samples, std::int64_t failed) {
  std::string out = "R2 sync failed for " + std::to_string(failed) + " image(s): ";
  std::size_t shown = 0;
  for (auto const& [file, why] : samples) {
    if (shown == 3) {
      break;
    }
    if (shown > 0) {
      out += "; ";
    }
    out += file + ": " + why;
    ++shown;
  }
  if (failed > static_cast<std::int64_t>(shown)) {
    out += "; " + std::to_string(failed - static_cast<std::int64_t>(shown)) + " more";
  }
  return out;
}

void mark_interrupted(sync_status& s, std::string const& now) {
  s.status = "error";
  s.stage = "error";
  s.message = "R2 gallery sync failed";
  s.error = std::string{interrupted_error};
  s.updated_at = now;
  s.completed_at = now;
}

} // namespace panel::actors
