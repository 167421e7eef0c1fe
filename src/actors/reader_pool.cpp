// reader_pool: detached reader actors, one read-only connection each.
//   (read_atom, task) -> true: runs task(connection) on the reader's thread.
//   (read_atom, errand): the same for a handler, answering through the errand.

#include "actors/reader_pool.hpp"

#include <exception>

#include "actors/errors.hpp"
#include "core/logging.hpp"
#include "store/store.hpp"

namespace panel::actors {

reader_pool spawn_reader_pool(caf::actor_system& sys, store::store const& db, std::size_t count) {
  reader_pool pool;
  for (std::size_t i = 0; i < count; ++i) {
    auto opened = db.open_reader();
    if (!opened) {
      core::log_error("opening a read-only database connection failed: " + opened.error().message);
    }
    auto conn = opened ? std::make_shared<store::database>(std::move(*opened)) : nullptr;
    pool.readers.push_back(
        sys.spawn<caf::detached>([conn](reader_actor::pointer) -> reader_actor::behavior_type {
          return {
              [conn](read_atom, local_ptr<reader_task> const& task) -> caf::result<bool> {
                if (!conn) {
                  return actor_error(errc::unavailable, "The database is not available");
                }
                if (!task || !*task) {
                  return actor_error(errc::internal, "no read task");
                }
                try {
                  (*task)(*conn);
                } catch (std::exception const& e) {
                  core::log_error(std::string{"a read task failed: "} + e.what());
                  return actor_error(errc::internal, "Internal server error");
                }
                return true;
              },
              [conn](read_atom, local_ptr<reader_errand> const& errand) {
                if (!errand) {
                  return;
                }
                if (!conn) {
                  errand->fail(error{errc::unavailable, "The database is not available"});
                  return;
                }
                errand->run(*conn);
              },
          };
        }));
  }
  return pool;
}

} // namespace panel::actors
