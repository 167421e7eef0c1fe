#pragma once
// Messages of the tracked ZIP exports (spec §3.10): what the HTTP handler asks
// export_supervisor for, and the progress an export_run reports. Plain values;
// they travel as local_ptr (actors/messages.hpp), never across processes.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "actors/messages.hpp"

namespace panel::actors {

/// POST /api/gallery/export-jobs after its 404 checks.
struct export_request {
  std::optional<std::vector<std::string>> ids; ///< the selection; nullopt = the whole gallery
  std::int64_t requested_count = 0;            ///< len(ids), or the gallery's size
};

/// One progress report of an export run; unset fields keep their value.
struct export_progress {
  std::string status;  ///< running | success | error
  std::string stage;   ///< preparing | packing | ready | error
  std::string message;
  std::int64_t progress = 0;
  std::optional<std::int64_t> requested_count;
  std::optional<std::int64_t> processed_count;
  std::optional<std::int64_t> exported_count;
  std::optional<std::int64_t> missing_count;
  std::optional<std::int64_t> bytes_total;
  std::optional<std::int64_t> bytes_written;
  std::optional<std::string> error;
};

} // namespace panel::actors
