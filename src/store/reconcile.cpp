#include "store/reconcile.hpp"

#include <system_error>
#include <vector>

#include "core/logging.hpp"
#include "store/database.hpp"
#include "store/image_files.hpp"
#include "store/statement.hpp"
#include "store/transaction.hpp"

namespace panel::store {

namespace {

bool regular_file(std::filesystem::path const& path) noexcept {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec);
}

bool holds_any_file(std::filesystem::path const& dir) noexcept {
  std::error_code ec;
  std::filesystem::directory_iterator it{dir, ec};
  if (ec) {
    return false;
  }
  for (auto const& entry : it) {
    std::error_code type_ec;
    if (entry.is_regular_file(type_ec)) {
      return true;
    }
  }
  return false;
}

bool is_hex32(std::string_view s) noexcept {
  if (s.size() != 32) {
    return false;
  }
  for (char const c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

} // namespace

expected<missing_files_report> remove_rows_without_files(database& db, std::filesystem::path const& images_dir) {
  auto names = db.prepare("SELECT DISTINCT filename FROM gallery_entries");
  if (!names) {
    return tl::unexpected(names.error());
  }
  auto all = names->fetch_all([](statement const& r) { return r.column_text(0); });
  if (!all) {
    return tl::unexpected(all.error());
  }
  missing_files_report report;
  report.files_checked = static_cast<std::int64_t>(all->size());
  std::vector<std::string> missing;
  for (auto const& name : *all) {
    if (!is_safe_filename(name) || !regular_file(images_dir / name)) {
      missing.push_back(name);
    }
  }
  report.files_missing = static_cast<std::int64_t>(missing.size());
  if (missing.empty()) {
    return report;
  }
  if (missing.size() == all->size() && !holds_any_file(images_dir)) {
    report.refused_empty_dir = true;
    return report;
  }
  auto tx = transaction::begin(db);
  if (!tx) {
    return tl::unexpected(tx.error());
  }
  auto remove = db.prepare("DELETE FROM gallery_entries WHERE filename = ?1");
  if (!remove) {
    return tl::unexpected(remove.error());
  }
  for (auto const& name : missing) {
    if (auto bound = remove->bind(1, name); !bound) {
      return tl::unexpected(bound.error());
    }
    if (auto done = remove->execute(); !done) {
      return tl::unexpected(done.error());
    }
    report.rows_removed += db.changes();
  }
  if (auto committed = tx->commit(); !committed) {
    return tl::unexpected(committed.error());
  }
  return report;
}

bool is_atomic_write_temp_name(std::string_view name) noexcept {
  constexpr std::string_view marker = ".tmp-";
  // "." + at least one character of the final name + ".tmp-" + 32 hex digits.
  if (name.size() < 2 + marker.size() + 32 || name.front() != '.') {
    return false;
  }
  auto const before = name.substr(0, name.size() - 32);
  return is_hex32(name.substr(name.size() - 32)) && before.ends_with(marker);
}

std::size_t remove_stray_temp_files(std::filesystem::path const& dir) noexcept {
  std::size_t removed = 0;
  std::error_code ec;
  std::filesystem::directory_iterator it{dir, ec};
  if (ec) {
    return 0;
  }
  for (auto const& entry : it) {
    std::error_code entry_ec;
    if (!entry.is_regular_file(entry_ec) || !is_atomic_write_temp_name(entry.path().filename().string())) {
      continue;
    }
    if (std::filesystem::remove(entry.path(), entry_ec)) {
      ++removed;
    }
  }
  return removed;
}

expected<void> reconcile_gallery_on_startup(database& db, std::filesystem::path const& images_dir,
                                           std::filesystem::path const& thumbnails_dir) {
  auto report = remove_rows_without_files(db, images_dir);
  if (!report) {
    return tl::unexpected(report.error());
  }
  if (report->refused_empty_dir) {
    core::log_warning("IMAGES_DIR " + images_dir.string() + " holds no image file, yet " +
                      std::to_string(report->files_missing) +
                      " gallery file(s) are expected there: kept their rows (is the volume mounted?)");
  } else if (report->rows_removed > 0) {
    core::log_info("removed " + std::to_string(report->rows_removed) + " gallery row(s) whose image file is gone (" +
                   std::to_string(report->files_missing) + " file(s))");
  }
  auto const temps = remove_stray_temp_files(images_dir) +
                     (thumbnails_dir == images_dir ? 0 : remove_stray_temp_files(thumbnails_dir));
  if (temps > 0) {
    core::log_info("removed " + std::to_string(temps) + " temporary file(s) of interrupted image writes");
  }
  return {};
}

expected<void> backfill_bytes_batch(database& db, std::filesystem::path const& images_dir, backfill_cursor& cursor,
                                    std::int64_t limit) {
  // The partial index on filename WHERE bytes IS NULL keeps this a seek, however big the gallery.
  auto names = db.prepare(
      "SELECT DISTINCT filename FROM gallery_entries WHERE bytes IS NULL AND filename > ?1 "
      "ORDER BY filename LIMIT ?2");
  if (!names) {
    return tl::unexpected(names.error());
  }
  if (auto bound = names->bind_all(cursor.after, limit); !bound) {
    return bound;
  }
  auto batch = names->fetch_all([](statement const& r) { return r.column_text(0); });
  if (!batch) {
    return tl::unexpected(batch.error());
  }
  if (batch->empty()) {
    cursor.done = true;
    return {};
  }
  auto tx = transaction::begin(db);
  if (!tx) {
    return tl::unexpected(tx.error());
  }
  auto update = db.prepare("UPDATE gallery_entries SET bytes = ?1 WHERE filename = ?2 AND bytes IS NULL");
  if (!update) {
    return tl::unexpected(update.error());
  }
  for (auto const& name : *batch) {
    ++cursor.files_seen;
    if (!is_safe_filename(name)) {
      continue;
    }
    std::error_code ec;
    auto const path = images_dir / name;
    if (!std::filesystem::is_regular_file(path, ec)) {
      continue;
    }
    auto const size = std::filesystem::file_size(path, ec);
    if (ec) {
      continue;
    }
    if (auto bound = update->bind_all(static_cast<std::int64_t>(size), name); !bound) {
      return bound;
    }
    if (auto done = update->execute(); !done) {
      return done;
    }
    cursor.rows_updated += db.changes();
  }
  if (auto committed = tx->commit(); !committed) {
    return committed;
  }
  cursor.after = batch->back();
  cursor.done = static_cast<std::int64_t>(batch->size()) < limit;
  return {};
}

} // namespace panel::store
