#pragma once
// store_tasks: blocking work run on the store's threads on behalf of a handler.
//
// A handler that needs SQLite (or the disk) never blocks its io thread; it
// packs the work into a task and sends it with on_writer() (the one writer
// connection, for anything that changes the database) or on_reader() (one of
// the read-only connections of the reader pool, for queries and file reads).
// Handlers send an errand: the task and what to do when it cannot run. It
// travels one way (no reply, no short-lived actor in between); the task
// answers through the responder it captured. Actors that need to know when a
// task ran send the bare task as a request and get `true` back.

#include <cstddef>
#include <exception>
#include <functional>
#include <string>
#include <utility>

#include "core/expected.hpp"
#include "core/logging.hpp"

namespace panel::store {
class store;
class database;
} // namespace panel::store

namespace panel::actors {

/// Runs on the store actor's thread with the open store (its writer()).
using writer_task = std::function<void(store::store&)>;
/// Runs on a reader thread with that reader's read-only connection.
using reader_task = std::function<void(store::database&)>;

/// A task with its failure path. `failed` is called at most once: when the
/// task throws (internal), when the actor refuses it (fail()), or when the
/// errand is dropped without running because its actor is gone (unavailable,
/// from the destructor). A task that ran answers on its own, possibly later.
template <class Task>
class errand {
public:
  errand(Task task, std::function<void(error const&)> failed) : task_(std::move(task)), failed_(std::move(failed)) {}
  errand(errand&& other) noexcept : task_(std::move(other.task_)), failed_(std::exchange(other.failed_, nullptr)) {}
  errand(errand const&) = delete;
  errand& operator=(errand const&) = delete;
  errand& operator=(errand&&) = delete;
  ~errand() {
    if (failed_ && !done_) {
      failed_(error{errc::unavailable, "The server is shutting down"});
    }
  }

  /// Runs the task once with `args`.
  template <class... Args>
  void run(Args&... args) const {
    if (done_) {
      return;
    }
    done_ = true;
    try {
      task_(args...);
    } catch (std::exception const& e) {
      core::log_error(std::string{"a store task failed: "} + e.what());
      if (failed_) {
        failed_(error{errc::internal, "Internal server error"});
      }
    }
  }

  /// The task will not run: answers with `e` instead.
  void fail(error const& e) const {
    if (!done_) {
      done_ = true;
      if (failed_) {
        failed_(e);
      }
    }
  }

private:
  Task task_;
  std::function<void(error const&)> failed_;
  mutable bool done_ = false; // errands travel as local_ptr<const errand>; run once
};

using writer_errand = errand<writer_task>;
using reader_errand = errand<reader_task>;

/// How many read-only connections the reader pool opens (each one a detached actor).
inline constexpr std::size_t default_reader_count = 4;

} // namespace panel::actors
