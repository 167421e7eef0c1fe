#include "actors/sync_record.hpp"

#include <vector>

#include "core/crypto.hpp"
#include "store/gallery_jobs_repo.hpp"

namespace panel::actors {

namespace {

constexpr std::string_view kind = sync_record_kind;

std::optional<std::string> text_or_null(std::string const& s) {
  if (s.empty()) {
    return std::nullopt;
  }
  return s;
}

store::gallery_job_record to_record(sync_status const& s, std::string_view owner) {
  store::gallery_job_record r;
  r.job_id = s.job_id;
  r.kind = std::string{kind};
  r.status = s.status;
  r.stage = s.stage;
  r.message = s.message;
  r.progress = s.progress;
  r.total_count = s.total_count;
  r.compared_count = s.compared_count;
  r.uploaded_count = s.uploaded_count;
  r.skipped_existing_count = s.skipped_existing_count;
  r.missing_local_count = s.missing_local_count;
  r.failed_count = s.failed_count;
  r.bytes_total = s.bytes_total;
  r.bytes_uploaded = s.bytes_uploaded;
  r.created_at = s.created_at;
  r.started_at = text_or_null(s.started_at);
  r.completed_at = text_or_null(s.completed_at);
  r.updated_at = s.updated_at;
  r.error = s.error;
  r.lease_owner = std::string{owner};
  r.payload_json = R"({"full_reconcile":false})";
  return r;
}

stored_sync from_record(store::gallery_job_record const& r) {
  stored_sync out;
  auto& s = out.status;
  s.job_id = r.job_id;
  s.status = r.status;
  s.stage = r.stage.value_or("");
  s.message = r.message.value_or("");
  s.progress = static_cast<int>(r.progress);
  s.created_at = r.created_at;
  s.updated_at = r.updated_at;
  s.started_at = r.started_at.value_or("");
  s.completed_at = r.completed_at.value_or("");
  s.error = r.error;
  s.total_count = r.total_count;
  s.compared_count = r.compared_count;
  s.uploaded_count = r.uploaded_count;
  s.skipped_existing_count = r.skipped_existing_count;
  s.missing_local_count = r.missing_local_count;
  s.failed_count = r.failed_count;
  s.bytes_total = r.bytes_total;
  s.bytes_uploaded = r.bytes_uploaded;
  out.owner = r.lease_owner.value_or("");
  return out;
}

bool active(std::string const& status) {
  return status == "queued" || status == "running";
}

} // namespace

std::string const& sync_process_owner() {
  static std::string const owner = core::random_hex32();
  return owner;
}

expected<void> insert_sync_record(store::database& db, sync_status const& s, std::string_view owner) {
  return store::gallery_jobs_repo{db}.insert(to_record(s, owner));
}

expected<void> save_sync_record(store::database& db, sync_status const& s, std::string_view owner) {
  auto updated = store::gallery_jobs_repo{db}.update(to_record(s, owner));
  if (!updated) {
    return tl::unexpected{updated.error()};
  }
  // A row removed meanwhile (nobody does that today) stays removed.
  return {};
}

expected<std::optional<stored_sync>> load_sync_record(store::database& db, std::string_view job_id) {
  auto row = store::gallery_jobs_repo{db}.get(kind, job_id);
  if (!row) {
    return tl::unexpected{row.error()};
  }
  if (!*row) {
    return std::optional<stored_sync>{};
  }
  return std::optional<stored_sync>{from_record(**row)};
}

expected<bool> has_active_sync(store::database& db, std::string_view owner) {
  auto rows = store::gallery_jobs_repo{db}.list(kind);
  if (!rows) {
    return tl::unexpected{rows.error()};
  }
  for (auto const& r : *rows) {
    if (active(r.status) && r.lease_owner.value_or("") == owner) {
      return true;
    }
  }
  return false;
}

expected<int> interrupt_stale_syncs(store::database& db, std::string_view owner, std::string const& now) {
  store::gallery_jobs_repo repo{db};
  auto rows = repo.list(kind);
  if (!rows) {
    return tl::unexpected{rows.error()};
  }
  int n = 0;
  for (auto const& r : *rows) {
    if (!active(r.status) || r.lease_owner.value_or("") == owner) {
      continue;
    }
    auto row = from_record(r);
    mark_interrupted(row.status, now);
    if (auto saved = save_sync_record(db, row.status, row.owner); !saved) {
      return tl::unexpected{saved.error()};
    }
    ++n;
  }
  return n;
}

sync_status visible_status(stored_sync const& row, std::string_view owner, std::string const& now) {
  auto s = row.status;
  if (active(s.status) && row.owner != owner) {
    mark_interrupted(s, now);
  }
  return s;
}

} // namespace panel::actors
