#pragma once
// store_tasks: blocking work run on the store's threads on behalf of a handler.
//
// A handler that needs SQLite (or the disk) never blocks its io thread; it
// packs the work into a task and sends it with on_writer() (the one writer
// connection, for anything that changes the database) or on_reader() (one of
// the read-only connections of the reader pool, for queries and file reads).
// The task runs on that thread and answers through the responder it captured;
// if the task throws or the actor is gone, the bridge answers 500/503 instead
// (the responder ignores a second answer).

#include <cstddef>
#include <functional>

namespace panel::store {
class store;
class database;
} // namespace panel::store

namespace panel::actors {

/// Runs on the store actor's thread with the open store (its writer()).
using writer_task = std::function<void(store::store&)>;
/// Runs on a reader thread with that reader's read-only connection.
using reader_task = std::function<void(store::database&)>;

/// How many read-only connections the reader pool opens (each one a detached actor).
inline constexpr std::size_t default_reader_count = 4;

} // namespace panel::actors
