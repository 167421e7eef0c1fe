#pragma once
// transaction: RAII scope of one SQLite transaction; rolls back unless committed.

#include "core/expected.hpp"

namespace panel::store {

class database;

/// How a transaction takes its lock.
enum class transaction_kind {
  deferred,   ///< lock on first access (read-mostly work on readers)
  immediate,  ///< write lock at once, so a writer never fails halfway on BUSY
};

/// One open transaction on a database. Made by begin(), owned by the caller's
/// scope on the connection's thread; it must not outlive the database. If
/// neither commit() nor rollback() ran, the destructor rolls back.
class transaction {
 public:
  /// Starts a transaction; fails if `db` already has one open.
  [[nodiscard]] static expected<transaction> begin(database& db,
                                                   transaction_kind kind = transaction_kind::immediate);

  /// Takes over `other`'s open transaction; `other` becomes inactive.
  transaction(transaction&& other) noexcept;
  transaction& operator=(transaction&& other) = delete;
  transaction(transaction const&) = delete;
  transaction& operator=(transaction const&) = delete;
  /// Rolls back if still active.
  ~transaction();

  /// True until commit() or rollback() has run.
  [[nodiscard]] bool active() const noexcept { return db_ != nullptr; }
  /// Commits; on failure the transaction is rolled back.
  [[nodiscard]] expected<void> commit();
  /// Rolls back now.
  [[nodiscard]] expected<void> rollback();

 private:
  explicit transaction(database& db) noexcept : db_{&db} {}

  database* db_ = nullptr;
};

} // namespace panel::store
