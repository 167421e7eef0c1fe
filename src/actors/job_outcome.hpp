#pragma once
// The outcome rules of a batch job (spec §4.5): from the children's results to the
// terminal status, message and error text. Pure.

#include <string>
#include <vector>

namespace panel::actors {

/// One child upstream call that failed.
struct child_failure {
  int index = 0;              ///< 1-based position in the batch
  std::string message;
  bool upstream = true;       ///< an upstream error (vs a local one)
};

struct job_outcome {
  std::string status;         ///< success | upstream_error | error
  std::string stage;          ///< completed | generation_failed | edit_failed
  std::string message;
  std::string error;          ///< empty when none
};

/// Decides the outcome of a job that asked for `requested` images, saved `saved`
/// of them and had `failures`; `edit` picks the edit wording.
[[nodiscard]] job_outcome decide_outcome(int requested, int saved, std::vector<child_failure> const& failures,
                                         bool edit);

} // namespace panel::actors
