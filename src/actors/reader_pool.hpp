#pragma once
// reader_pool: a few detached actors, each owning one read-only SQLite
// connection (WAL lets them read while the writer writes). They serve gallery
// queries and other blocking reads (files, thumbnails) off the io threads.

#include <atomic>
#include <memory>
#include <vector>

#include "actors/type_ids.hpp"

namespace panel::actors {

/// * (read_atom, task) -> true once `task` ran with this reader's connection.
/// * (read_atom, errand): runs a handler's errand; no reply (store_tasks.hpp).
using reader_actor = caf::typed_actor<caf::replies_to<read_atom, local_ptr<reader_task>>::with<bool>,
                                      caf::reacts_to<read_atom, local_ptr<reader_errand>>>;

/// The readers and a round-robin cursor. Copyable handle; every copy shares the cursor.
struct reader_pool {
  std::vector<reader_actor> readers;
  std::shared_ptr<std::atomic<std::size_t>> cursor = std::make_shared<std::atomic<std::size_t>>(0);

  /// The next reader in turn (the pool is never empty once spawned).
  [[nodiscard]] reader_actor const& next() const {
    return readers[cursor->fetch_add(1, std::memory_order_relaxed) % readers.size()];
  }
};

/// Opens `count` read-only connections with store::open_reader (busy timeout
/// set), each owned by its own detached actor. A reader whose connection failed
/// to open answers every task with an error (the task does not run). Stop the
/// readers (anon_send_exit) before closing the store, so its checkpoint can finish.
[[nodiscard]] reader_pool spawn_reader_pool(caf::actor_system& sys, store::store const& db, std::size_t count);

} // namespace panel::actors
