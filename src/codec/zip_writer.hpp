#pragma once
// zip_writer: a streaming encoder for "stored" ZIP archives (spec §9.1). Every
// entry is written as it arrives: its local header (sizes known up front, CRC
// still unknown, so general-purpose flag bit 3 is set and a data descriptor
// follows the data), the data, then the descriptor. The central directory and
// the end records come last, with Zip64 records wherever a size, an offset or
// the entry count does not fit the classic fields. Names are UTF-8 (flag bit
// 11). Pure: it produces bytes and never touches a file.

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"

namespace panel::codec {

/// What the size of one member depends on: its name's length and its size.
struct zip_member_size {
  std::size_t name_bytes = 0;
  std::uint64_t size = 0;
};

/// The exact size of the archive zip_writer produces for these members, in
/// this order: what download-all sends as Content-Length before any byte.
[[nodiscard]] std::uint64_t zip_archive_size(std::span<zip_member_size const> members);

/// One archive being written. Owned by one producer (a body source, an
/// export run) and used on one thread at a time.
class zip_writer {
public:
  /// Entries carry `modified` as their DOS date and time (local time, as zip
  /// tools do; clamped to 1980..2107).
  explicit zip_writer(std::chrono::system_clock::time_point modified = std::chrono::system_clock::now());

  /// Starts an entry of exactly `size` bytes; appends its local header to `out`.
  /// Fails while another entry is open or after finish() began.
  [[nodiscard]] expected<void> begin_entry(std::string name, std::uint64_t size, std::string& out);

  /// Feeds the next bytes of the open entry (they are not copied into `out`:
  /// the caller writes them itself). Fails past the declared size.
  [[nodiscard]] expected<void> update(std::string_view data);

  /// Ends the open entry: appends its data descriptor. Fails unless exactly
  /// the declared size was fed.
  [[nodiscard]] expected<void> end_entry(std::string& out);

  /// Appends central-directory records to `out` until `out` holds at least
  /// `budget` bytes, then the end records once the directory is complete.
  /// Returns true when the archive is finished (call until it does).
  [[nodiscard]] expected<bool> finish_some(std::string& out, std::size_t budget);

  /// Bytes produced so far (headers, declared data, descriptors, directory).
  [[nodiscard]] std::uint64_t offset() const { return offset_; }
  /// Entries begun so far.
  [[nodiscard]] std::size_t entry_count() const { return entries_.size(); }

private:
  struct entry {
    std::string name;
    std::uint64_t size = 0;
    std::uint64_t offset = 0; ///< of its local header
    std::uint32_t crc = 0;
  };

  std::uint16_t dos_time_ = 0;
  std::uint16_t dos_date_ = 0;
  std::vector<entry> entries_;
  std::uint64_t offset_ = 0;
  bool open_ = false;             ///< an entry is being fed
  std::uint64_t fed_ = 0;         ///< bytes fed to the open entry
  std::uint32_t crc_ = 0;         ///< running CRC of the open entry
  bool finishing_ = false;
  bool finished_ = false;
  std::size_t directory_cursor_ = 0;
  std::uint64_t directory_offset_ = 0;
};

} // namespace panel::codec
