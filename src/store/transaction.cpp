#include "store/transaction.hpp"

#include <utility>

#include "store/database.hpp"

namespace panel::store {

expected<transaction> transaction::begin(database& db, transaction_kind kind) {
  if (!db.is_open()) {
    return panel::fail(errc::internal, "SQLite transaction on a closed database");
  }
  if (db.in_transaction()) {
    return panel::fail(errc::internal, "SQLite transaction: one is already open on this connection");
  }
  auto begun = db.exec(kind == transaction_kind::immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
  if (!begun) {
    return tl::unexpected<error>{begun.error()};
  }
  return transaction{db};
}

transaction::transaction(transaction&& other) noexcept : db_{std::exchange(other.db_, nullptr)} {}

transaction::~transaction() {
  if (db_ != nullptr) {
    // Nothing to report to from a destructor; the rollback result is moot
    // because SQLite also rolls back when the connection closes.
    (void)rollback();
  }
}

expected<void> transaction::commit() {
  if (db_ == nullptr) {
    return panel::fail(errc::internal, "SQLite commit: the transaction is no longer active");
  }
  auto committed = db_->exec("COMMIT");
  if (!committed) {
    // COMMIT can fail with BUSY and leave the transaction open; close it so
    // the connection is usable again.
    if (db_->in_transaction()) {
      (void)db_->exec("ROLLBACK");
    }
    db_ = nullptr;
    return committed;
  }
  db_ = nullptr;
  return {};
}

expected<void> transaction::rollback() {
  if (db_ == nullptr) {
    return {};
  }
  database* db = std::exchange(db_, nullptr);
  // Some errors (e.g. SQLITE_FULL) already rolled the transaction back.
  if (!db->in_transaction()) {
    return {};
  }
  return db->exec("ROLLBACK");
}

} // namespace panel::store
