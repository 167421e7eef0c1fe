#include "store/store.hpp"

#include <string>
#include <system_error>
#include <utility>

#include "store/gallery_fts.hpp"

namespace panel::store {

namespace fs = std::filesystem;

namespace {

constexpr fs::perms dir_mode = fs::perms::owner_all;
constexpr fs::perms file_mode = fs::perms::owner_read | fs::perms::owner_write;

// Paths are not secrets and tell the operator which directory to fix.
panel::error fs_error(std::string_view what, fs::path const& path, std::error_code const& ec) {
  std::string message{what};
  message += " ";
  message += path.string();
  message += ": ";
  message += ec.message();
  return panel::error{errc::internal, std::move(message)};
}

expected<void> ensure_directory(fs::path const& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    return tl::unexpected<error>{fs_error("cannot create directory", dir, ec)};
  }
  if (!fs::is_directory(dir, ec)) {
    return tl::unexpected<error>{
        fs_error("not a directory", dir, ec ? ec : std::make_error_code(std::errc::not_a_directory))};
  }
  return {};
}

expected<void> restrict_mode(fs::path const& path, fs::perms mode) {
  std::error_code ec;
  fs::permissions(path, mode, fs::perm_options::replace, ec);
  if (ec) {
    return tl::unexpected<error>{fs_error("cannot chmod", path, ec)};
  }
  return {};
}

expected<void> apply_writer_pragmas(database& db) {
  // Busy timeout first, so the pragmas below wait for a lock instead of failing.
  if (auto waited = db.set_busy_timeout(busy_timeout); !waited) {
    return waited;
  }
  auto mode = db.pragma("journal_mode=WAL");
  if (!mode) {
    return tl::unexpected<error>{mode.error()};
  }
  // SQLite answers with the mode it ended up in (e.g. "memory" or "delete"
  // when WAL is impossible); the store's concurrency relies on WAL.
  if (*mode != "wal") {
    return panel::fail(errc::internal, "SQLite refused WAL journal mode (got " + *mode + ")");
  }
  for (std::string_view body : {"synchronous=NORMAL", "foreign_keys=ON"}) {
    if (auto set = db.pragma(body); !set) {
      return tl::unexpected<error>{set.error()};
    }
  }
  return {};
}

} // namespace

fs::path resolve_database_file(store_paths const& paths) {
  return paths.database_file.empty() ? paths.data_dir / "app.sqlite3" : paths.database_file;
}

store::store(database writer, fs::path database_file) noexcept
    : writer_{std::move(writer)}, database_file_{std::move(database_file)} {}

store::~store() {
  if (writer_.is_open()) {
    // Shutdown paths should call close() and look at its result; this is the
    // fallback for early exits, with nobody left to tell.
    (void)close();
  }
}

expected<database> store::open_reader() const {
  auto reader = database::open(database_file_, open_mode::read_only);
  if (!reader) {
    return reader;
  }
  if (auto waited = reader->set_busy_timeout(busy_timeout); !waited) {
    return tl::unexpected<error>{waited.error()};
  }
  return reader;
}

expected<void> store::secure_files() const {
  if (auto main_file = restrict_mode(database_file_, file_mode); !main_file) {
    return main_file;
  }
  for (char const* suffix : {"-wal", "-shm"}) {
    fs::path sidecar = database_file_;
    sidecar += suffix;
    std::error_code ec;
    if (!fs::exists(sidecar, ec)) {
      continue;
    }
    if (auto restricted = restrict_mode(sidecar, file_mode); !restricted) {
      return restricted;
    }
  }
  return {};
}

expected<void> store::close() {
  if (!writer_.is_open()) {
    return {};
  }
  // TRUNCATE folds the WAL into the main file and empties it, so a copy of
  // app.sqlite3 alone (backups, exports) is complete after shutdown.
  auto checkpoint = writer_.pragma("wal_checkpoint(TRUNCATE)");
  auto closed = writer_.close();
  if (!checkpoint) {
    return tl::unexpected<error>{checkpoint.error()};
  }
  return closed;
}

expected<store> open_store(store_paths const& paths) {
  if (paths.data_dir.empty()) {
    return panel::fail(errc::internal, "DATA_DIR is empty");
  }
  if (auto made = ensure_directory(paths.data_dir); !made) {
    return tl::unexpected<error>{made.error()};
  }
  if (auto restricted = restrict_mode(paths.data_dir, dir_mode); !restricted) {
    return tl::unexpected<error>{restricted.error()};
  }
  fs::path const file = resolve_database_file(paths);
  if (file.has_parent_path()) {
    if (auto made = ensure_directory(file.parent_path()); !made) {
      return tl::unexpected<error>{made.error()};
    }
  }
  auto writer = database::open(file, open_mode::create);
  if (!writer) {
    return tl::unexpected<error>{writer.error()};
  }
  store opened{std::move(*writer), file};
  // Before the first pragma: SQLite creates -wal/-shm with the main file's
  // mode, so they are born 0600 too.
  if (auto secured = opened.secure_files(); !secured) {
    return tl::unexpected<error>{secured.error()};
  }
  if (auto pragmas = apply_writer_pragmas(opened.writer_); !pragmas) {
    return tl::unexpected<error>{pragmas.error()};
  }
  auto report = run_migrations(opened.writer_);
  if (!report) {
    return tl::unexpected<error>{report.error()};
  }
  opened.migrations_ = std::move(*report);
  // Also on every open, not only in migration 1: another program (the
  // original panel, an older build) may have changed the index since.
  auto fts = ensure_gallery_fts(opened.writer_);
  if (!fts) {
    return tl::unexpected<error>{fts.error()};
  }
  opened.fts_available_ = *fts;
  if (auto secured = opened.secure_files(); !secured) {
    return tl::unexpected<error>{secured.error()};
  }
  return opened;
}

} // namespace panel::store
