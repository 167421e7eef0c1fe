#include "store/gallery_files.hpp"

#include <cerrno>
#include <cstring>

#include <unistd.h>

#include "core/crypto.hpp"
#include "core/logging.hpp"
#include "store/image_files.hpp"

namespace panel::store {

namespace {

bool keeps(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.';
}

std::string_view strip_dots_and_underscores(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == '.' || s.front() == '_')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == '.' || s.back() == '_')) {
    s.remove_suffix(1);
  }
  return s;
}

// 1 removed, 0 already gone, -1 failed (errno kept for the log).
int unlink_file(std::filesystem::path const& path) noexcept {
  if (::unlink(path.c_str()) == 0) {
    return 1;
  }
  return errno == ENOENT ? 0 : -1;
}

void remove_thumbnail(std::filesystem::path const& dir, std::string const& name) noexcept {
  if (!is_safe_filename(name) || unlink_file(dir / name) >= 0) {
    return;
  }
  core::log_warning("Failed to delete gallery thumbnail file " + name + ": " + std::strerror(errno));
}

} // namespace

std::string thumbnail_name(std::string_view filename) {
  // The stem as Python's Path(filename).stem: a leading dot does not start a suffix.
  std::string_view stem = filename;
  if (auto const dot = stem.rfind('.'); dot != std::string_view::npos && dot > 0) {
    stem = stem.substr(0, dot);
  }
  std::string clean;
  clean.reserve(stem.size());
  for (char const c : stem) {
    clean += keeps(c) ? c : '_';
  }
  std::string safe{strip_dots_and_underscores(clean)};
  if (safe.size() > 80) {
    safe.resize(80);
  }
  if (safe.empty()) {
    safe = "image";
  }
  return safe + "-" + core::to_hex(core::sha256(filename)).substr(0, 12) + ".webp";
}

std::int64_t remove_orphaned_files(gallery_dirs const& dirs, std::vector<orphaned_file> const& orphaned) noexcept {
  std::int64_t removed = 0;
  for (auto const& file : orphaned) {
    try {
      if (!is_safe_filename(file.filename)) {
        // A name such as "../x.png" never came from us; whatever it points at stays.
        continue;
      }
      switch (unlink_file(dirs.images / file.filename)) {
      case 1:
        ++removed;
        break;
      case 0:
        break;
      default:
        core::log_warning("Failed to delete gallery image file " + file.filename + ": " + std::strerror(errno));
        break;
      }
      auto const derived = thumbnail_name(file.filename);
      if (file.thumbnail_filename && *file.thumbnail_filename != derived) {
        remove_thumbnail(dirs.thumbnails, *file.thumbnail_filename);
      }
      remove_thumbnail(dirs.thumbnails, derived);
    } catch (std::exception const&) {
      core::log_warning("Failed to delete gallery image file " + file.filename);
    }
  }
  return removed;
}

} // namespace panel::store
