#include "store/image_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "core/crypto.hpp"

namespace panel::store {

namespace {

// RAII for one POSIX descriptor.
class fd_guard {
 public:
  explicit fd_guard(int fd) noexcept : fd_{fd} {}
  fd_guard(fd_guard const&) = delete;
  fd_guard& operator=(fd_guard const&) = delete;
  ~fd_guard() { reset(); }
  [[nodiscard]] int get() const noexcept { return fd_; }
  int reset() noexcept {
    int rc = 0;
    if (fd_ >= 0) {
      rc = ::close(fd_);
      fd_ = -1;
    }
    return rc;
  }

 private:
  int fd_;
};

error io_error(std::string_view what, std::string const& name, int err) {
  return error{errc::internal, std::string(what) + " " + name + ": " + std::strerror(err)};
}

} // namespace

bool is_safe_filename(std::string_view name) noexcept {
  if (name.empty() || name == "." || name == "..") {
    return false;
  }
  return name.find('/') == std::string_view::npos && name.find('\\') == std::string_view::npos &&
         name.find('\0') == std::string_view::npos;
}

expected<void> write_file_atomically(std::filesystem::path const& dir, std::string_view filename,
                                     std::uint8_t const* data, std::size_t size) {
  std::string const name{filename};
  if (!is_safe_filename(name)) {
    return fail(errc::internal, "unsafe image file name");
  }
  auto const final_path = dir / name;
  auto const temp_path = dir / ("." + name + ".tmp-" + core::random_hex32());
  fd_guard fd{::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)};
  if (fd.get() < 0) {
    return tl::unexpected(io_error("cannot create", name, errno));
  }
  auto cleanup = [&] {
    std::error_code ec;
    std::filesystem::remove(temp_path, ec);
  };
  std::size_t done = 0;
  while (done < size) {
    auto const n = ::write(fd.get(), data + done, size - done);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      auto const err = errno;
      fd.reset();
      cleanup();
      return tl::unexpected(io_error("cannot write", name, err));
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd.get()) != 0 || fd.reset() != 0) {
    auto const err = errno;
    fd.reset();
    cleanup();
    return tl::unexpected(io_error("cannot sync", name, err));
  }
  if (::rename(temp_path.c_str(), final_path.c_str()) != 0) {
    auto const err = errno;
    cleanup();
    return tl::unexpected(io_error("cannot rename", name, err));
  }
  // The rename is durable only once the directory entry is.
  fd_guard dir_fd{::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  if (dir_fd.get() < 0 || ::fsync(dir_fd.get()) != 0) {
    auto const err = errno;
    std::error_code ec;
    std::filesystem::remove(final_path, ec);
    return tl::unexpected(io_error("cannot sync the directory of", name, err));
  }
  return {};
}

std::size_t remove_files(std::vector<std::string> const& paths) noexcept {
  std::size_t removed = 0;
  for (auto const& p : paths) {
    std::error_code ec;
    if (!p.empty() && std::filesystem::remove(p, ec)) {
      ++removed;
    }
  }
  return removed;
}

std::size_t remove_staged_edit_sources(std::filesystem::path const& dir) noexcept {
  std::size_t removed = 0;
  std::error_code ec;
  std::filesystem::directory_iterator it{dir, ec};
  if (ec) {
    return 0;
  }
  for (auto const& entry : it) {
    auto const name = entry.path().filename().string();
    std::error_code rm_ec;
    if (name.rfind("edit-source-", 0) == 0 && !entry.is_directory(rm_ec) && std::filesystem::remove(entry.path(), rm_ec)) {
      ++removed;
    }
  }
  return removed;
}

job_image make_job_image(std::string const& image_id, std::string const& filename,
                         std::optional<std::int64_t> width, std::optional<std::int64_t> height) {
  job_image img;
  img.image_id = image_id;
  img.filename = filename;
  img.image_url = "/api/image/" + url_quote(filename);
  img.image_width = width;
  img.image_height = height;
  return img;
}

} // namespace panel::store
