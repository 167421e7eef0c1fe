#include "store/jobs_repo.hpp"

#include <string>

#include "store/database.hpp"
#include "store/statement.hpp"

namespace panel::store {

namespace {

// One column order for INSERT, UPDATE and SELECT so that bind_record and
// read_record stay in step (parameter i+1 is column i).
constexpr std::string_view columns =
    "job_id, status, stage, message, operation, prompt, size, created_at, started_at, "
    "completed_at, updated_at, model, quality, output_format, output_compression, n, "
    "response_format, api_path, api_preset_name, duration, stage_timings_json, image_id, "
    "image_url, images_json, image_width, image_height, error, webhook_url";

constexpr std::string_view insert_sql =
    "INSERT INTO generate_jobs (job_id, status, stage, message, operation, prompt, size, "
    "created_at, started_at, completed_at, updated_at, model, quality, output_format, "
    "output_compression, n, response_format, api_path, api_preset_name, duration, "
    "stage_timings_json, image_id, image_url, images_json, image_width, image_height, error, "
    "webhook_url) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
    "?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28)";

constexpr std::string_view update_sql =
    "UPDATE generate_jobs SET status = ?2, stage = ?3, message = ?4, operation = ?5, "
    "prompt = ?6, size = ?7, created_at = ?8, started_at = ?9, completed_at = ?10, "
    "updated_at = ?11, model = ?12, quality = ?13, output_format = ?14, "
    "output_compression = ?15, n = ?16, response_format = ?17, api_path = ?18, "
    "api_preset_name = ?19, duration = ?20, stage_timings_json = ?21, image_id = ?22, "
    "image_url = ?23, images_json = ?24, image_width = ?25, image_height = ?26, error = ?27, "
    "webhook_url = ?28 WHERE job_id = ?1";

constexpr std::string_view active_list = "('queued', 'running')";

expected<void> bind_record(statement& stmt, job_record const& job) {
  return stmt.bind_all(job.job_id, job.status, job.stage, job.message, job.operation, job.prompt,
                       job.size, job.created_at, job.started_at, job.completed_at, job.updated_at,
                       job.model, job.quality, job.output_format, job.output_compression, job.n,
                       job.response_format, job.api_path, job.api_preset_name, job.duration,
                       stage_timings_to_json(job.stage_timings), job.image_id, job.image_url,
                       images_to_json(job.images), job.image_width, job.image_height, job.error,
                       job.webhook_url);
}

job_record read_record(statement const& stmt) {
  job_record job;
  job.job_id = stmt.column_text(0);
  job.status = stmt.column_text(1);
  job.stage = stmt.column_optional_text(2);
  job.message = stmt.column_optional_text(3);
  job.operation = stmt.column_optional_text(4);
  job.prompt = stmt.column_optional_text(5);
  job.size = stmt.column_optional_text(6);
  job.created_at = stmt.column_text(7);
  job.started_at = stmt.column_optional_text(8);
  job.completed_at = stmt.column_optional_text(9);
  job.updated_at = stmt.column_text(10);
  job.model = stmt.column_optional_text(11);
  job.quality = stmt.column_optional_text(12);
  job.output_format = stmt.column_optional_text(13);
  job.output_compression = stmt.column_optional_int64(14);
  job.n = stmt.column_optional_int64(15);
  job.response_format = stmt.column_optional_text(16);
  job.api_path = stmt.column_optional_text(17);
  job.api_preset_name = stmt.column_optional_text(18);
  job.duration = stmt.column_optional_text(19);
  job.stage_timings = parse_stage_timings_json(stmt.column_text(20));
  job.image_id = stmt.column_optional_text(21);
  job.image_url = stmt.column_optional_text(22);
  job.images = parse_images_json(stmt.column_text(23));
  job.image_width = stmt.column_optional_int64(24);
  job.image_height = stmt.column_optional_int64(25);
  job.error = stmt.column_optional_text(26);
  job.webhook_url = stmt.column_optional_text(27);
  // Rows written before images_json existed only carry the first image.
  if (job.images.empty() && (job.image_id || job.image_url)) {
    job_image image;
    image.image_id = job.image_id.value_or("");
    image.image_url = job.image_url.value_or("");
    image.filename = last_path_segment(image.image_url);
    image.image_width = job.image_width;
    image.image_height = job.image_height;
    job.images.push_back(std::move(image));
  }
  return job;
}

// Runs a prepared, fully bound change statement; returns the rows it changed.
expected<std::int64_t> run_change(database& db, statement& stmt) {
  if (auto done = stmt.execute(); !done) {
    return tl::unexpected<error>{done.error()};
  }
  return db.changes();
}

} // namespace

expected<void> jobs_repo::insert(job_record const& job) {
  auto stmt = db_->prepare(insert_sql);
  if (!stmt) {
    return tl::unexpected<error>{stmt.error()};
  }
  if (auto bound = bind_record(*stmt, job); !bound) {
    return bound;
  }
  return stmt->execute();
}

expected<bool> jobs_repo::update(job_record const& job) {
  auto stmt = db_->prepare(update_sql);
  if (!stmt) {
    return tl::unexpected<error>{stmt.error()};
  }
  if (auto bound = bind_record(*stmt, job); !bound) {
    return tl::unexpected<error>{bound.error()};
  }
  auto changed = run_change(*db_, *stmt);
  if (!changed) {
    return tl::unexpected<error>{changed.error()};
  }
  return *changed > 0;
}

expected<std::optional<job_record>> jobs_repo::get(std::string_view job_id) const {
  std::string sql{"SELECT "};
  sql += columns;
  sql += " FROM generate_jobs WHERE job_id = ?1";
  auto stmt = db_->prepare(sql);
  if (!stmt) {
    return tl::unexpected<error>{stmt.error()};
  }
  if (auto bound = stmt->bind(1, job_id); !bound) {
    return tl::unexpected<error>{bound.error()};
  }
  return stmt->fetch_one(read_record);
}

expected<std::vector<job_record>> jobs_repo::list(bool include_finished, std::int64_t limit,
                                                  std::int64_t offset, bool failed_only) const {
  // The filters are fixed SQL fragments chosen by flags; values stay bound.
  std::string sql{"SELECT "};
  sql += columns;
  sql += " FROM generate_jobs WHERE 1 = 1";
  if (!include_finished) {
    sql += " AND status IN ";
    sql += active_list;
  }
  if (failed_only) {
    sql += " AND status IN ('error', 'upstream_error')";
  }
  // rowid breaks ties between jobs persisted within the same microsecond.
  sql += " ORDER BY updated_at DESC, rowid DESC LIMIT ?1 OFFSET ?2";
  auto stmt = db_->prepare(sql);
  if (!stmt) {
    return tl::unexpected<error>{stmt.error()};
  }
  std::int64_t const bound_limit = limit < 0 ? -1 : limit;
  std::int64_t const bound_offset = offset < 0 ? 0 : offset;
  if (auto bound = stmt->bind_all(bound_limit, bound_offset); !bound) {
    return tl::unexpected<error>{bound.error()};
  }
  return stmt->fetch_all(read_record);
}

expected<std::int64_t> jobs_repo::delete_finished() {
  std::string sql{"DELETE FROM generate_jobs WHERE status NOT IN "};
  sql += active_list;
  auto stmt = db_->prepare(sql);
  if (!stmt) {
    return tl::unexpected<error>{stmt.error()};
  }
  return run_change(*db_, *stmt);
}

expected<std::int64_t> jobs_repo::mark_interrupted_on_startup(std::string_view now_iso) {
  std::string sql{
      "UPDATE generate_jobs SET status = ?1, stage = ?1, message = ?2, error = ?2, "
      "completed_at = ?3, updated_at = ?3 WHERE status IN "};
  sql += active_list;
  auto stmt = db_->prepare(sql);
  if (!stmt) {
    return tl::unexpected<error>{stmt.error()};
  }
  if (auto bound = stmt->bind_all(job_status::interrupted, interrupted_message, now_iso); !bound) {
    return tl::unexpected<error>{bound.error()};
  }
  return run_change(*db_, *stmt);
}

expected<std::int64_t> jobs_repo::trim_history(std::int64_t keep) {
  // max(0, …) matters: a negative LIMIT would mean "no limit" to SQLite.
  std::string sql{
      "DELETE FROM generate_jobs WHERE rowid IN (SELECT rowid FROM generate_jobs "
      "WHERE status NOT IN "};
  sql += active_list;
  sql += " ORDER BY updated_at ASC, rowid ASC "
         "LIMIT max(0, (SELECT COUNT(*) FROM generate_jobs) - ?1))";
  auto stmt = db_->prepare(sql);
  if (!stmt) {
    return tl::unexpected<error>{stmt.error()};
  }
  if (auto bound = stmt->bind(1, keep < 0 ? std::int64_t{0} : keep); !bound) {
    return tl::unexpected<error>{bound.error()};
  }
  return run_change(*db_, *stmt);
}

} // namespace panel::store
