#include "http/file_source.hpp"

#include <algorithm>
#include <cerrno>
#include <string>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace panel::http {

namespace {

constexpr std::uint64_t piece = 256 * 1024;

class file_range_source final : public body_source {
public:
  file_range_source(int fd, std::uint64_t offset, std::uint64_t length) : fd_(fd), pos_(offset), left_(length) {}
  ~file_range_source() override { ::close(fd_); }
  file_range_source(file_range_source const&) = delete;
  file_range_source& operator=(file_range_source const&) = delete;

  void next(std::function<void(body_chunk)> done) override {
    body_chunk chunk;
    auto const want = std::min(piece, left_);
    chunk.data.resize(static_cast<std::size_t>(want));
    std::size_t got = 0;
    while (got < want) {
      auto const n = ::pread(fd_, chunk.data.data() + got, want - got, static_cast<off_t>(pos_ + got));
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n <= 0) { // shrunk or unreadable under us: cut the body
        chunk.failed = true;
        done(std::move(chunk));
        return;
      }
      got += static_cast<std::size_t>(n);
    }
    pos_ += want;
    left_ -= want;
    chunk.last = left_ == 0;
    done(std::move(chunk));
  }

  [[nodiscard]] std::optional<file_region> region() const override { return file_region{fd_, pos_, left_}; }

private:
  int fd_;
  std::uint64_t pos_;
  std::uint64_t left_;
};

// An open regular file and its size; not_found for anything else.
expected<std::pair<int, std::uint64_t>> open_regular(std::filesystem::path const& path) {
  int const fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return fail(errc::not_found, "Not found");
  }
  struct stat st{};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return fail(errc::not_found, "Not found");
  }
  return std::pair{fd, static_cast<std::uint64_t>(st.st_size)};
}

} // namespace

expected<std::shared_ptr<body_source>> make_file_source(std::filesystem::path const& path, std::uint64_t offset,
                                                        std::uint64_t length) {
  auto opened = open_regular(path);
  if (!opened) {
    return tl::unexpected(opened.error());
  }
  auto const [fd, size] = *opened;
  if (offset > size || length > size - offset) {
    ::close(fd);
    return fail(errc::bad_request, "Range not satisfiable");
  }
  return std::make_shared<file_range_source>(fd, offset, length);
}

expected<opened_file> open_file_source(std::filesystem::path const& path) {
  auto opened = open_regular(path);
  if (!opened) {
    return tl::unexpected(opened.error());
  }
  auto const [fd, size] = *opened;
  return opened_file{std::make_shared<file_range_source>(fd, 0, size), size};
}

} // namespace panel::http
