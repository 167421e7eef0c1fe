#include "codec/zip_stream.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace panel::codec {

std::uint64_t zip_stream_size(std::vector<zip_source_member> const& members) {
  std::vector<zip_member_size> sizes;
  sizes.reserve(members.size());
  for (auto const& m : members) {
    sizes.push_back({m.name.size(), m.size});
  }
  return zip_archive_size(sizes);
}

zip_file_stream::zip_file_stream(std::vector<zip_source_member> members, std::chrono::system_clock::time_point modified)
    : members_(std::move(members)), writer_(modified), total_(zip_stream_size(members_)) {}

zip_file_stream::~zip_file_stream() {
  close_member();
}

void zip_file_stream::close_member() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

expected<void> zip_file_stream::open_member() {
  auto const& m = members_[index_];
  fd_ = ::open(m.path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st{};
  if (fd_ < 0 || ::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode) || static_cast<std::uint64_t>(st.st_size) < m.size) {
    close_member();
    return fail(errc::internal, "a file changed while it was being archived: " + m.name);
  }
  read_ = 0;
  return {};
}

expected<std::string> zip_file_stream::next() {
  std::string out;
  if (done_) {
    return out;
  }
  out.reserve(piece_bytes + 1024);
  while (out.size() < piece_bytes) {
    if (index_ == members_.size()) {
      auto finished = writer_.finish_some(out, piece_bytes);
      if (!finished) {
        return tl::unexpected(finished.error());
      }
      if (*finished) {
        done_ = true;
        break;
      }
      continue;
    }
    auto const& m = members_[index_];
    if (!in_member_) {
      if (auto opened = open_member(); !opened) {
        return tl::unexpected(opened.error());
      }
      if (auto begun = writer_.begin_entry(m.name, m.size, out); !begun) {
        return tl::unexpected(begun.error());
      }
      in_member_ = true;
    }
    if (read_ < m.size) {
      auto const want = static_cast<std::size_t>(std::min<std::uint64_t>(piece_bytes - out.size(), m.size - read_));
      auto const at = out.size();
      out.resize(at + want);
      std::size_t got = 0;
      while (got < want) {
        auto const n = ::pread(fd_, out.data() + at + got, want - got, static_cast<off_t>(read_ + got));
        if (n < 0 && errno == EINTR) {
          continue;
        }
        if (n <= 0) {
          close_member();
          return fail(errc::internal, "a file changed while it was being archived: " + m.name);
        }
        got += static_cast<std::size_t>(n);
      }
      if (auto fed = writer_.update(std::string_view(out).substr(at, want)); !fed) {
        return tl::unexpected(fed.error());
      }
      read_ += want;
      continue;
    }
    if (auto ended = writer_.end_entry(out); !ended) {
      return tl::unexpected(ended.error());
    }
    close_member();
    in_member_ = false;
    ++index_;
  }
  return out;
}

} // namespace panel::codec
