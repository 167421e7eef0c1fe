#pragma once
// zip_reader: reads ZIP archives with libzip (imports, spec §9.2). RAII over
// zip_t; member names are decoded as the format says (UTF-8 when flag bit 11
// is set, CP437 otherwise), as Python's zipfile does. Blocking file reads: use
// it on a detached actor's thread.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/expected.hpp"

struct zip;

namespace panel::codec {

/// One member as the central directory describes it.
struct zip_member_info {
  std::uint64_t index = 0;
  std::string name;
  std::uint64_t size = 0;            ///< uncompressed
  std::uint64_t compressed_size = 0;
  bool directory = false;            ///< the name ends with '/'
};

class zip_reader {
public:
  /// Opens `path` read-only. errc::bad_request when it is not a readable ZIP.
  [[nodiscard]] static expected<zip_reader> open(std::filesystem::path const& path);

  zip_reader(zip_reader&&) noexcept = default;
  zip_reader& operator=(zip_reader&&) noexcept = default;
  ~zip_reader();

  /// Every member in archive order. errc::bad_request when the directory is unreadable.
  [[nodiscard]] expected<std::vector<zip_member_info>> members() const;

  /// The member's bytes, decompressed and CRC-checked, but never more than
  /// `max_bytes` + 1 (the caller sees the excess and refuses it).
  /// errc::bad_request when the data is corrupt.
  [[nodiscard]] expected<std::vector<std::uint8_t>> read(std::uint64_t index, std::uint64_t max_bytes) const;

private:
  struct closer {
    void operator()(::zip* z) const noexcept;
  };
  explicit zip_reader(::zip* z) : zip_(z) {}

  std::unique_ptr<::zip, closer> zip_;
};

} // namespace panel::codec
