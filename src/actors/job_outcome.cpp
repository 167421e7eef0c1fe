#include "actors/job_outcome.hpp"

#include <algorithm>

namespace panel::actors {

namespace {

// "<F> of <N> image generation requests failed: #i: msg; ...; ... and r more" (N > 1),
// or the single failure's own message (N = 1).
std::string failure_summary(int requested, std::vector<child_failure> const& failures, bool edit) {
  if (requested <= 1 && failures.size() == 1) {
    return failures.front().message;
  }
  auto const count = static_cast<int>(failures.size());
  std::string out = std::to_string(count) + " of " + std::to_string(requested) +
                    (edit ? " image edit requests failed: " : " image generation requests failed: ");
  auto const shown = std::min(count, 3);
  for (int i = 0; i < shown; ++i) {
    out += (i == 0 ? "#" : "; #") + std::to_string(failures[static_cast<std::size_t>(i)].index) + ": " +
           failures[static_cast<std::size_t>(i)].message;
  }
  if (count > shown) {
    out += "; ... and " + std::to_string(count - shown) + " more";
  }
  return out;
}

} // namespace

job_outcome decide_outcome(int requested, int saved, std::vector<child_failure> const& failures, bool edit) {
  job_outcome out;
  if (saved >= 1) {
    out.status = "success";
    out.stage = "completed";
    if (failures.empty()) {
      out.message = edit ? "Image edit completed" : "Image generation completed";
    } else {
      out.message = "Generated " + std::to_string(saved) + " of " + std::to_string(requested) +
                    " requested images; " + std::to_string(failures.size()) + " failed";
      out.error = failure_summary(requested, failures, edit);
    }
    return out;
  }
  out.stage = edit ? "edit_failed" : "generation_failed";
  if (failures.empty()) {
    out.status = "upstream_error";
    out.message = out.error = "No image data in upstream response";
    return out;
  }
  bool const all_upstream =
      std::all_of(failures.begin(), failures.end(), [](child_failure const& f) { return f.upstream; });
  out.status = all_upstream ? "upstream_error" : "error";
  out.message = out.error = failure_summary(requested, failures, edit);
  return out;
}

} // namespace panel::actors
