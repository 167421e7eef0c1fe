#pragma once
// release_checker: answers "what is the latest release?" (§3.1). Each check runs in
// a detached worker (blocking libcurl with a timeout), so the checker itself never
// blocks and concurrent checks do not queue behind each other.

#include <string>

#include "actors/type_ids.hpp"

namespace panel::actors {

/// Typed interface: (`latest_atom`, current version) -> release_info. Never an
/// error: any failure gives the all-null answer.
using release_checker_actor = caf::typed_actor<caf::replies_to<latest_atom, std::string>::with<release_info>>;

/// Where and how to look for releases.
struct release_source {
  bool enabled = false;            ///< ENABLE_VERSION_CHECK and a GITHUB_REPO
  std::string repo;                ///< owner/repo
  std::string branch = "main";     ///< VERSION_CHECK_BRANCH
  std::string api_base = "https://api.github.com";
  std::string raw_base = "https://raw.githubusercontent.com";
  int timeout_seconds = 3;
  std::string extra_ca_file;       ///< EXTRA_CA_FILE
};

/// Spawns the checker for a fixed source.
[[nodiscard]] release_checker_actor spawn_release_checker(caf::actor_system& sys, release_source source);

/// The blocking check itself (runs in a detached worker; exposed for tests).
[[nodiscard]] release_info check_latest_release(release_source const& source, std::string const& current);

/// True when version `latest` is newer than `current` (dot-separated integers;
/// non-numeric parts count as 0; a leading v/V is ignored).
[[nodiscard]] bool version_newer(std::string const& latest, std::string const& current);

} // namespace panel::actors
