#pragma once
// zip_file_stream: a stored ZIP archive of files on disk, produced piece by
// piece (zip_writer for the records, pread for the data). Memory stays bounded
// whatever the archive size: one piece of at most ~piece_bytes at a time plus
// one central-directory record per member. Reads files: call it where blocking
// file reads are allowed (an export run's thread; an io thread for 256 KiB
// pieces, as Beast's file_body does).

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "codec/zip_writer.hpp"
#include "core/expected.hpp"

namespace panel::codec {

/// One member: its name in the archive, the file holding its bytes and how
/// many bytes to take (the file's size when the plan was made).
struct zip_source_member {
  std::string name;
  std::filesystem::path path;
  std::uint64_t size = 0;
};

/// The exact archive size for `members` (zip_archive_size).
[[nodiscard]] std::uint64_t zip_stream_size(std::vector<zip_source_member> const& members);

class zip_file_stream {
public:
  /// The largest piece of file data read at once.
  static constexpr std::size_t piece_bytes = 256 * 1024;

  zip_file_stream(std::vector<zip_source_member> members,
                  std::chrono::system_clock::time_point modified = std::chrono::system_clock::now());
  ~zip_file_stream();
  zip_file_stream(zip_file_stream const&) = delete;
  zip_file_stream& operator=(zip_file_stream const&) = delete;

  /// The next piece (a few headers, or up to piece_bytes of data together with
  /// the records around it). An empty piece means the archive is complete.
  /// Fails when a file vanished, shrank or cannot be read: the archive can
  /// then not be finished (its size was promised up front).
  [[nodiscard]] expected<std::string> next();

  /// True once the last piece was produced.
  [[nodiscard]] bool done() const { return done_; }
  /// Bytes produced so far.
  [[nodiscard]] std::uint64_t produced() const { return writer_.offset(); }
  /// The exact size of the whole archive.
  [[nodiscard]] std::uint64_t total() const { return total_; }

private:
  expected<void> open_member();
  void close_member();

  std::vector<zip_source_member> members_;
  zip_writer writer_;
  std::uint64_t total_ = 0;
  std::size_t index_ = 0;      ///< the member being written
  bool in_member_ = false;     ///< its header was written
  int fd_ = -1;                ///< its file
  std::uint64_t read_ = 0;     ///< its bytes written so far
  bool done_ = false;
};

} // namespace panel::codec
