#pragma once
// store_actor: owns the SQLite writer connection on its own (detached) thread.
// Later repos hang their messages here; today it opens, migrates and closes.

#include <memory>

#include "actors/type_ids.hpp"

namespace panel::store {
class store;
}

namespace panel::actors {

/// * `close_atom` -> bool (true when the checkpoint and close succeeded).
/// * (gallery_get_atom, id) -> the gallery row, or a null local_ptr when there is none.
/// (The job system adds its own messages below.)
using store_actor = caf::typed_actor<caf::replies_to<close_atom>::with<bool>,
                                     caf::replies_to<gallery_get_atom, std::string>::with<local_ptr<store::gallery_row>>>;

/// Spawns the actor, which takes ownership of the opened store.
[[nodiscard]] store_actor spawn_store_actor(caf::actor_system& sys, std::shared_ptr<store::store> db);

} // namespace panel::actors
