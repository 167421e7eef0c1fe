#include "store/gallery_import.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <unordered_set>

#include "core/crypto.hpp"
#include "core/file_names.hpp"
#include "store/database.hpp"
#include "store/statement.hpp"
#include "store/transaction.hpp"

namespace panel::store {

namespace {

expected<bool> exists(database& db, std::string_view sql, std::string const& value) {
  auto stmt = db.prepare(sql);
  if (!stmt) {
    return tl::unexpected(stmt.error());
  }
  if (auto bound = stmt->bind(1, value); !bound) {
    return tl::unexpected(bound.error());
  }
  return stmt->step();
}

bool on_disk(std::filesystem::path const& p) {
  struct stat st{};
  return ::lstat(p.c_str(), &st) == 0 || errno != ENOENT;
}

// rename(2) that fails with EEXIST instead of replacing the target.
int rename_no_replace(std::filesystem::path const& from, std::filesystem::path const& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) {
    return 0;
  }
  if (errno != EINVAL && errno != ENOSYS) {
    return errno;
  }
  // A filesystem without RENAME_NOREPLACE: link() refuses an existing target too.
  if (::link(from.c_str(), to.c_str()) != 0) {
    return errno;
  }
  ::unlink(from.c_str());
  return 0;
}

// Removes the files an unfinished import put in place.
struct placed_files {
  std::vector<std::filesystem::path> paths;
  bool keep = false;
  ~placed_files() {
    if (keep) {
      return;
    }
    for (auto const& p : paths) {
      std::error_code ec;
      std::filesystem::remove(p, ec);
    }
  }
};

} // namespace

std::filesystem::path import_staging_path(std::filesystem::path const& images_dir) {
  return images_dir / (".import.tmp-" + core::random_hex32());
}

expected<std::vector<gallery_row>> commit_import(database& db, std::filesystem::path const& images_dir,
                                                 std::vector<import_item> const& items) {
  auto tx = transaction::begin(db);
  if (!tx) {
    return tl::unexpected(tx.error());
  }
  placed_files placed;
  std::unordered_set<std::string> ids;
  std::unordered_set<std::string> names;
  std::optional<error> failure;
  auto id_taken = [&](std::string const& id) {
    if (ids.contains(id)) {
      return true;
    }
    auto found = exists(db, "SELECT 1 FROM gallery_entries WHERE id = ?1", id);
    if (!found && !failure) {
      failure = found.error();
    }
    return !found || *found;
  };
  auto name_taken = [&](std::string const& name) {
    if (names.contains(name) || on_disk(images_dir / name)) {
      return true;
    }
    auto found = exists(db, "SELECT 1 FROM gallery_entries WHERE filename = ?1 LIMIT 1", name);
    if (!found && !failure) {
      failure = found.error();
    }
    return !found || *found;
  };

  std::vector<gallery_row> rows;
  rows.reserve(items.size());
  for (auto const& item : items) {
    auto id = item.id.value_or(core::uuid4());
    while (id_taken(id) && !failure) {
      id = core::uuid4();
    }
    std::string name;
    while (!failure) {
      name = core::unique_name(item.filename, name_taken);
      if (failure) {
        break;
      }
      auto const err = rename_no_replace(item.staged, images_dir / name);
      if (err == 0) {
        break;
      }
      if (err != EEXIST) {
        failure = error{errc::internal, "cannot move an imported image into place: " + name};
        break;
      }
      names.insert(name); // appeared meanwhile: try the next suffix
    }
    if (failure) {
      return tl::unexpected(*failure);
    }
    placed.paths.push_back(images_dir / name);
    ids.insert(id);
    names.insert(name);
    auto row = item.row;
    row.id = std::move(id);
    row.filename = std::move(name);
    row.thumbnail_filename.reset();
    if (auto inserted = gallery_repo{db}.insert(row); !inserted) {
      return tl::unexpected(inserted.error());
    }
    rows.push_back(std::move(row));
  }
  // The renames are durable only once the directory is, and before the rows commit.
  int const dir_fd = ::open(images_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  bool const synced = dir_fd >= 0 && ::fsync(dir_fd) == 0;
  if (dir_fd >= 0) {
    ::close(dir_fd);
  }
  if (!synced) {
    return fail(errc::internal, "cannot sync the images directory");
  }
  if (auto committed = tx->commit(); !committed) {
    return tl::unexpected(committed.error());
  }
  placed.keep = true;
  return rows;
}

} // namespace panel::store
