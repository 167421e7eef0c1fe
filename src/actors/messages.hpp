#pragma once
// Message structs shared between actors and the HTTP handlers. Plain values with
// inspect() so CAF can carry them; no CAF headers needed to use them.

#include <string>

namespace panel::actors {

/// Result of the optional latest-release check (§3.1 /api/version/latest).
/// Empty strings stand for JSON null (CAF 0.17 cannot carry std::optional).
struct release_info {
  std::string latest_version;
  bool has_update = false;
  std::string checked_at;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, release_info& x) {
  return f(x.latest_version, x.has_update, x.checked_at);
}

} // namespace panel::actors
