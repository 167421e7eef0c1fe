// store_actor
//   close_atom -> bool: checkpoints the WAL, closes the writer and quits.
//   (gallery_get_atom, id) -> local_ptr<gallery_row>: null when there is no such row.

#include "actors/store_actor.hpp"

#include "actors/errors.hpp"
#include "core/logging.hpp"
#include "store/gallery_repo.hpp"
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
        [db](gallery_get_atom, std::string const& id) -> caf::result<local_ptr<store::gallery_row>> {
          auto row = store::gallery_repo{db->writer()}.get(id);
          if (!row) {
            return to_caf_error(row.error());
          }
          if (!*row) {
            return local_ptr<store::gallery_row>{};
          }
          return make_local(std::move(**row));
        },
    };
  });
}

} // namespace panel::actors
