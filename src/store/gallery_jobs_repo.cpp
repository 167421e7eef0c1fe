#include "store/gallery_jobs_repo.hpp"

#include "core/json_writer.hpp"
#include "store/database.hpp"
#include "store/statement.hpp"

namespace panel::store {

namespace {

// One column order for INSERT, UPDATE and SELECT: parameter i+1 is column i.
constexpr std::string_view columns =
    "job_id, kind, status, stage, message, progress, filename, download_url, path, requested_count, "
    "processed_count, exported_count, missing_count, total_count, compared_count, uploaded_count, "
    "skipped_existing_count, missing_local_count, failed_count, bytes_total, bytes_written, bytes_uploaded, "
    "created_at, started_at, completed_at, updated_at, error, lease_owner, lease_expires_at, payload_json";

constexpr std::string_view insert_sql =
    "INSERT INTO gallery_jobs (job_id, kind, status, stage, message, progress, filename, download_url, path, "
    "requested_count, processed_count, exported_count, missing_count, total_count, compared_count, "
    "uploaded_count, skipped_existing_count, missing_local_count, failed_count, bytes_total, bytes_written, "
    "bytes_uploaded, created_at, started_at, completed_at, updated_at, error, lease_owner, lease_expires_at, "
    "payload_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
    "?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30)";

constexpr std::string_view update_sql =
    "UPDATE gallery_jobs SET kind = ?2, status = ?3, stage = ?4, message = ?5, progress = ?6, filename = ?7, "
    "download_url = ?8, path = ?9, requested_count = ?10, processed_count = ?11, exported_count = ?12, "
    "missing_count = ?13, total_count = ?14, compared_count = ?15, uploaded_count = ?16, "
    "skipped_existing_count = ?17, missing_local_count = ?18, failed_count = ?19, bytes_total = ?20, "
    "bytes_written = ?21, bytes_uploaded = ?22, created_at = ?23, started_at = ?24, completed_at = ?25, "
    "updated_at = ?26, error = ?27, lease_owner = ?28, lease_expires_at = ?29, payload_json = ?30 "
    "WHERE job_id = ?1";

expected<void> bind_record(statement& stmt, gallery_job_record const& j) {
  return stmt.bind_all(j.job_id, j.kind, j.status, j.stage, j.message, j.progress, j.filename, j.download_url,
                       j.path, j.requested_count, j.processed_count, j.exported_count, j.missing_count,
                       j.total_count, j.compared_count, j.uploaded_count, j.skipped_existing_count,
                       j.missing_local_count, j.failed_count, j.bytes_total, j.bytes_written, j.bytes_uploaded,
                       j.created_at, j.started_at, j.completed_at, j.updated_at, j.error, j.lease_owner,
                       j.lease_expires_at, j.payload_json);
}

gallery_job_record read_record(statement const& s) {
  gallery_job_record j;
  j.job_id = s.column_text(0);
  j.kind = s.column_text(1);
  j.status = s.column_text(2);
  j.stage = s.column_optional_text(3);
  j.message = s.column_optional_text(4);
  j.progress = s.column_int64(5);
  j.filename = s.column_optional_text(6);
  j.download_url = s.column_optional_text(7);
  j.path = s.column_optional_text(8);
  j.requested_count = s.column_int64(9);
  j.processed_count = s.column_int64(10);
  j.exported_count = s.column_int64(11);
  j.missing_count = s.column_int64(12);
  j.total_count = s.column_int64(13);
  j.compared_count = s.column_int64(14);
  j.uploaded_count = s.column_int64(15);
  j.skipped_existing_count = s.column_int64(16);
  j.missing_local_count = s.column_int64(17);
  j.failed_count = s.column_int64(18);
  j.bytes_total = s.column_int64(19);
  j.bytes_written = s.column_int64(20);
  j.bytes_uploaded = s.column_int64(21);
  j.created_at = s.column_text(22);
  j.started_at = s.column_optional_text(23);
  j.completed_at = s.column_optional_text(24);
  j.updated_at = s.column_text(25);
  j.error = s.column_optional_text(26);
  j.lease_owner = s.column_optional_text(27);
  j.lease_expires_at = s.column_optional_text(28);
  j.payload_json = s.column_optional_text(29);
  return j;
}

template <class... Values>
expected<std::vector<gallery_job_record>> select_all(database& db, std::string_view where, Values const&... values) {
  auto stmt = db.prepare("SELECT " + std::string(columns) + " FROM gallery_jobs WHERE " + std::string(where));
  if (!stmt) {
    return tl::unexpected(stmt.error());
  }
  if (auto bound = stmt->bind_all(values...); !bound) {
    return tl::unexpected(bound.error());
  }
  return stmt->fetch_all(read_record);
}

} // namespace

std::string export_job_json(gallery_job_record const& j) {
  core::json_writer out;
  out.begin_object();
  out.field("job_id", std::string_view{j.job_id});
  out.field("status", std::string_view{j.status});
  out.field("stage", j.stage);
  out.field("message", j.message);
  out.field("progress", j.progress);
  out.field("filename", j.filename);
  out.field("download_url", j.download_url);
  out.field("requested_count", j.requested_count);
  out.field("processed_count", j.processed_count);
  out.field("exported_count", j.exported_count);
  out.field("missing_count", j.missing_count);
  out.field("bytes_total", j.bytes_total);
  out.field("bytes_written", j.bytes_written);
  out.field("created_at", std::string_view{j.created_at});
  out.field("updated_at", std::string_view{j.updated_at});
  out.field("error", j.error);
  out.end_object();
  return out.take();
}

expected<void> gallery_jobs_repo::insert(gallery_job_record const& job) {
  auto stmt = db_->prepare(insert_sql);
  if (!stmt) {
    return tl::unexpected(stmt.error());
  }
  if (auto bound = bind_record(*stmt, job); !bound) {
    return bound;
  }
  return stmt->execute();
}

expected<bool> gallery_jobs_repo::update(gallery_job_record const& job) {
  auto stmt = db_->prepare(update_sql);
  if (!stmt) {
    return tl::unexpected(stmt.error());
  }
  if (auto bound = bind_record(*stmt, job); !bound) {
    return tl::unexpected(bound.error());
  }
  if (auto done = stmt->execute(); !done) {
    return tl::unexpected(done.error());
  }
  return db_->changes() > 0;
}

expected<std::optional<gallery_job_record>> gallery_jobs_repo::get(std::string_view kind,
                                                                   std::string_view job_id) const {
  auto rows = select_all(*db_, "kind = ?1 AND job_id = ?2", kind, job_id);
  if (!rows) {
    return tl::unexpected(rows.error());
  }
  if (rows->empty()) {
    return std::optional<gallery_job_record>{};
  }
  return std::optional<gallery_job_record>{std::move(rows->front())};
}

expected<std::optional<gallery_job_record>> gallery_jobs_repo::remove(std::string_view kind, std::string_view job_id) {
  auto found = get(kind, job_id);
  if (!found || !*found) {
    return found;
  }
  auto stmt = db_->prepare("DELETE FROM gallery_jobs WHERE kind = ?1 AND job_id = ?2");
  if (!stmt) {
    return tl::unexpected(stmt.error());
  }
  if (auto bound = stmt->bind_all(kind, job_id); !bound) {
    return tl::unexpected(bound.error());
  }
  if (auto done = stmt->execute(); !done) {
    return tl::unexpected(done.error());
  }
  return found;
}

expected<std::int64_t> gallery_jobs_repo::count_active(std::string_view kind) const {
  auto stmt = db_->prepare("SELECT COUNT(*) FROM gallery_jobs WHERE kind = ?1 AND status IN ('queued', 'running')");
  if (!stmt) {
    return tl::unexpected(stmt.error());
  }
  if (auto bound = stmt->bind(1, kind); !bound) {
    return tl::unexpected(bound.error());
  }
  auto row = stmt->step();
  if (!row) {
    return tl::unexpected(row.error());
  }
  return stmt->column_int64(0);
}

expected<std::vector<gallery_job_record>> gallery_jobs_repo::list(std::string_view kind) const {
  return select_all(*db_, "kind = ?1 ORDER BY created_at, rowid", kind);
}

expected<std::vector<gallery_job_record>> gallery_jobs_repo::finished_before(std::string_view kind,
                                                                             std::string_view cutoff_iso) const {
  return select_all(*db_, "kind = ?1 AND status IN ('success', 'error') AND updated_at < ?2 ORDER BY updated_at",
                    kind, cutoff_iso);
}

expected<std::int64_t> gallery_jobs_repo::fail_unfinished(std::string_view kind, std::string_view now_iso,
                                                          std::string_view message, std::string_view error) {
  auto stmt = db_->prepare(
      "UPDATE gallery_jobs SET status = 'error', stage = 'error', message = ?2, error = ?3, completed_at = ?4, "
      "updated_at = ?4, download_url = NULL WHERE kind = ?1 AND status IN ('queued', 'running')");
  if (!stmt) {
    return tl::unexpected(stmt.error());
  }
  if (auto bound = stmt->bind_all(kind, message, error, now_iso); !bound) {
    return tl::unexpected(bound.error());
  }
  if (auto done = stmt->execute(); !done) {
    return tl::unexpected(done.error());
  }
  return db_->changes();
}

} // namespace panel::store
