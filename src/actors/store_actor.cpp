// store_actor
//   close_atom -> bool: checkpoints the WAL, closes the writer and quits.

#include "actors/store_actor.hpp"

#include "core/logging.hpp"
#include "store/store.hpp"

namespace panel::actors {

store_actor spawn_store_actor(caf::actor_system& sys, std::shared_ptr<store::store> db) {
  return sys.spawn<caf::detached>([db](store_actor::pointer self) -> store_actor::behavior_type {
    return {
        [self, db](close_atom) {
          auto const closed = db->close();
          if (!closed) {
            core::log_error("closing the database failed: " + closed.error().message);
          }
          self->quit();
          return closed.has_value();
        },
    };
  });
}

} // namespace panel::actors
