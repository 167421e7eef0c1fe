#pragma once
// Typed handles of the process-wide actors, for handlers that talk to them.

#include "actors/release_checker.hpp"
#include "actors/store_actor.hpp"

namespace panel::actors {

struct handles {
  release_checker_actor release_checker;
  store_actor store;
};

} // namespace panel::actors
