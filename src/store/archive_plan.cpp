#include "store/archive_plan.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <fstream>
#include <iterator>
#include <unordered_set>

#include "core/crypto.hpp"
#include "core/file_names.hpp"
#include "store/database.hpp"
#include "store/image_files.hpp"
#include "store/statement.hpp"

namespace panel::store {

namespace {

constexpr std::size_t flush_at = 64 * 1024;

// metadata.json on disk, written through a small buffer; removed unless kept.
class metadata_file {
public:
  explicit metadata_file(std::filesystem::path path) : path_(std::move(path)) {}
  metadata_file(metadata_file const&) = delete;
  metadata_file& operator=(metadata_file const&) = delete;
  ~metadata_file() {
    close_fd();
    if (created_ && !keep_) {
      std::error_code ec;
      std::filesystem::remove(path_, ec);
    }
  }

  [[nodiscard]] expected<void> open() {
    std::error_code ec;
    std::filesystem::create_directories(path_.parent_path(), ec);
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd_ < 0) {
      return fail(errc::internal, "cannot create the export metadata file");
    }
    created_ = true;
    return {};
  }

  [[nodiscard]] expected<void> write(std::string_view text) {
    buffer_ += text;
    return buffer_.size() >= flush_at ? flush() : expected<void>{};
  }

  /// Flushes and closes; the file is kept from now on. Returns its size.
  [[nodiscard]] expected<std::uint64_t> finish() {
    if (auto flushed = flush(); !flushed) {
      return tl::unexpected(flushed.error());
    }
    close_fd();
    keep_ = true;
    return written_;
  }

private:
  expected<void> flush() {
    std::size_t done = 0;
    while (done < buffer_.size()) {
      auto const n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n <= 0) {
        return fail(errc::internal, "cannot write the export metadata file");
      }
      done += static_cast<std::size_t>(n);
    }
    written_ += buffer_.size();
    buffer_.clear();
    return {};
  }
  void close_fd() {
    if (fd_ >= 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }

  std::filesystem::path path_;
  int fd_ = -1;
  std::string buffer_;
  std::uint64_t written_ = 0;
  bool created_ = false; ///< ours to remove
  bool keep_ = false;
};

// The SHA-256 of a legacy row's file (rows saved by this panel have theirs).
std::optional<std::string> file_sha256(std::filesystem::path const& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in) {
    return std::nullopt;
  }
  std::string data{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) {
    return std::nullopt;
  }
  return core::to_hex(core::sha256(data));
}

// The size of a gallery file that can be exported, or nullopt (unsafe name,
// missing, not a regular file).
std::optional<std::uint64_t> exportable_size(std::filesystem::path const& dir, std::string const& filename) {
  if (!is_safe_filename(filename)) {
    return std::nullopt;
  }
  struct stat st{};
  if (::stat((dir / filename).c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return std::nullopt;
  }
  return static_cast<std::uint64_t>(st.st_size);
}

template <class... Values>
expected<std::int64_t> count_query(database& db, std::string_view sql, Values const&... values) {
  auto stmt = db.prepare(sql);
  if (!stmt) {
    return tl::unexpected(stmt.error());
  }
  if constexpr (sizeof...(values) > 0) {
    if (auto bound = stmt->bind_all(values...); !bound) {
      return tl::unexpected(bound.error());
    }
  }
  auto row = stmt->step();
  if (!row) {
    return tl::unexpected(row.error());
  }
  return stmt->column_int64(0);
}

} // namespace

expected<std::int64_t> gallery_row_count(database& db) {
  return count_query(db, "SELECT COUNT(*) FROM gallery_entries");
}

expected<std::int64_t> existing_row_count(database& db, std::vector<std::string> const& ids) {
  std::int64_t found = 0;
  for (auto const& id : ids) {
    auto n = count_query(db, "SELECT COUNT(*) FROM gallery_entries WHERE id = ?1", id);
    if (!n) {
      return n;
    }
    found += *n > 0 ? 1 : 0;
  }
  return found;
}

expected<archive_plan> build_archive_plan(database& db, plan_request const& req) {
  archive_plan plan;
  plan.metadata_path = req.metadata_path;
  metadata_file meta{req.metadata_path};
  if (auto opened = meta.open(); !opened) {
    return tl::unexpected(opened.error());
  }
  if (auto w = meta.write(metadata_header(req.exported_at, req.app_version)); !w) {
    return tl::unexpected(w.error());
  }
  std::unordered_set<std::string> used;
  std::int64_t processed = 0;
  std::int64_t initial_skipped = 0;
  std::string entry;

  auto report = [&] {
    if (!req.on_progress) {
      return;
    }
    auto const denominator = std::max<std::int64_t>({plan.requested_count, processed, 1});
    auto const prepared = std::min(denominator, processed + initial_skipped);
    if (processed == 1 || processed % 10 == 0 || prepared >= denominator) {
      plan_progress p;
      p.processed = prepared;
      p.requested = denominator;
      p.exported = static_cast<std::int64_t>(plan.images.size());
      p.missing = static_cast<std::int64_t>(plan.skipped.size());
      p.percent = std::min<std::int64_t>(
          20, std::lround(static_cast<double>(prepared) / static_cast<double>(denominator) * 20.0));
      req.on_progress(p);
    }
  };

  auto visit = [&](gallery_row row) -> expected<void> {
    ++processed;
    ++plan.found_rows;
    auto const size = exportable_size(req.images_dir, row.filename);
    if (!size) {
      plan.skipped.push_back({row.id, row.filename, "image_file_missing"});
      report();
      return {};
    }
    auto name = core::unique_name(row.filename, [&](std::string const& n) { return used.contains(n); });
    used.insert(name);
    // As the original: a row's recorded bytes and digest when it has both,
    // else the file's size (and its digest when the row has none).
    if (!(row.sha256 && row.bytes)) {
      row.bytes = static_cast<std::int64_t>(*size);
      if (!row.sha256) {
        row.sha256 = file_sha256(req.images_dir / row.filename);
      }
    }
    plan.images.push_back({name, row.filename, *size});
    row.filename = std::move(name);
    entry.clear();
    append_metadata_entry(entry, row, plan.images.size() == 1);
    if (auto w = meta.write(entry); !w) {
      return w;
    }
    report();
    return {};
  };

  if (req.ids) {
    plan.requested_count = static_cast<std::int64_t>(req.ids->size());
    auto rows = gallery_repo{db}.get_many(*req.ids);
    if (!rows) {
      return tl::unexpected(rows.error());
    }
    std::unordered_set<std::string> found;
    for (auto const& r : *rows) {
      found.insert(r.id);
    }
    for (auto const& id : *req.ids) {
      if (!found.contains(id)) {
        plan.skipped.push_back({id, std::nullopt, "gallery_entry_missing"});
      }
    }
    initial_skipped = static_cast<std::int64_t>(plan.skipped.size());
    for (auto& row : *rows) {
      if (auto v = visit(std::move(row)); !v) {
        return tl::unexpected(v.error());
      }
    }
  } else {
    plan.requested_count = req.requested_count;
    if (plan.requested_count <= 0) {
      auto count = gallery_row_count(db);
      if (!count) {
        return tl::unexpected(count.error());
      }
      plan.requested_count = *count;
    }
    auto stmt = db.prepare("SELECT " + std::string(gallery_columns) +
                           " FROM gallery_entries ORDER BY created_at DESC, rowid DESC");
    if (!stmt) {
      return tl::unexpected(stmt.error());
    }
    while (true) {
      auto more = stmt->step();
      if (!more) {
        return tl::unexpected(more.error());
      }
      if (!*more) {
        break;
      }
      if (auto v = visit(read_gallery_row(*stmt)); !v) {
        return tl::unexpected(v.error());
      }
    }
  }
  if (auto w = meta.write(metadata_footer(!plan.images.empty(), plan.skipped)); !w) {
    return tl::unexpected(w.error());
  }
  auto size = meta.finish();
  if (!size) {
    return tl::unexpected(size.error());
  }
  plan.metadata_bytes = *size;
  return plan;
}

} // namespace panel::store
