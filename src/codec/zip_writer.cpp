#include "codec/zip_writer.hpp"

#include <algorithm>
#include <ctime>

#include <zlib.h>

namespace panel::codec {

namespace {

// Record signatures and fixed sizes of APPNOTE.TXT (6.3.x).
constexpr std::uint32_t local_sig = 0x04034b50;
constexpr std::uint32_t descriptor_sig = 0x08074b50;
constexpr std::uint32_t central_sig = 0x02014b50;
constexpr std::uint32_t zip64_end_sig = 0x06064b50;
constexpr std::uint32_t zip64_locator_sig = 0x07064b50;
constexpr std::uint32_t end_sig = 0x06054b50;
constexpr std::size_t local_fixed = 30;
constexpr std::size_t central_fixed = 46;
constexpr std::size_t end_fixed = 22;
constexpr std::size_t zip64_end_fixed = 56;
constexpr std::size_t zip64_locator_fixed = 20;
constexpr std::uint32_t max32 = 0xFFFFFFFFu;
constexpr std::uint16_t max16 = 0xFFFFu;
// Bit 3: sizes and CRC follow the data; bit 11: the name is UTF-8.
constexpr std::uint16_t flags = 0x0008 | 0x0800;
constexpr std::uint16_t version_classic = 20;
constexpr std::uint16_t version_zip64 = 45;
// Made by Unix, so the external attributes are a mode: a regular file, 0644.
constexpr std::uint16_t made_by_unix = 3 << 8;
constexpr std::uint32_t external_attributes = 0100644u << 16;

void put16(std::string& out, std::uint16_t v) {
  out.push_back(static_cast<char>(v & 0xFF));
  out.push_back(static_cast<char>(v >> 8));
}

void put32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) {
    out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  }
}

void put64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) {
    out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  }
}

// An entry too large for 32-bit sizes is a Zip64 entry from its local header
// on: the header carries a Zip64 extra field and its descriptor 8-byte sizes.
bool zip64_entry(std::uint64_t size) {
  return size >= max32;
}

std::size_t local_extra_bytes(std::uint64_t size) {
  return zip64_entry(size) ? 4 + 16 : 0;
}

std::size_t descriptor_bytes(std::uint64_t size) {
  return zip64_entry(size) ? 4 + 4 + 8 + 8 : 4 + 4 + 4 + 4;
}

// The central Zip64 extra field holds only the fields whose classic slot
// overflowed, in the order uncompressed size, compressed size, offset.
std::size_t central_extra_bytes(std::uint64_t size, std::uint64_t offset) {
  std::size_t fields = 0;
  if (size >= max32) {
    fields += 2;
  }
  if (offset >= max32) {
    fields += 1;
  }
  return fields == 0 ? 0 : 4 + 8 * fields;
}

bool zip64_end_needed(std::uint64_t count, std::uint64_t directory_size, std::uint64_t directory_offset) {
  return count >= max16 || directory_size >= max32 || directory_offset >= max32;
}

std::uint32_t clamp32(std::uint64_t v) {
  return v >= max32 ? max32 : static_cast<std::uint32_t>(v);
}

} // namespace

std::uint64_t zip_archive_size(std::span<zip_member_size const> members) {
  std::uint64_t offset = 0;
  std::uint64_t directory = 0;
  for (auto const& m : members) {
    directory += central_fixed + m.name_bytes + central_extra_bytes(m.size, offset);
    offset += local_fixed + m.name_bytes + local_extra_bytes(m.size) + m.size + descriptor_bytes(m.size);
  }
  std::uint64_t total = offset + directory + end_fixed;
  if (zip64_end_needed(members.size(), directory, offset)) {
    total += zip64_end_fixed + zip64_locator_fixed;
  }
  return total;
}

zip_writer::zip_writer(std::chrono::system_clock::time_point modified) {
  auto const t = std::chrono::system_clock::to_time_t(modified);
  std::tm tm{};
  localtime_r(&t, &tm);
  int const year = tm.tm_year + 1900;
  if (year < 1980) {
    dos_date_ = (0 << 9) | (1 << 5) | 1; // 1980-01-01
    dos_time_ = 0;
    return;
  }
  if (year > 2107) {
    dos_date_ = static_cast<std::uint16_t>((127 << 9) | (12 << 5) | 31);
    dos_time_ = static_cast<std::uint16_t>((23 << 11) | (59 << 5) | 29);
    return;
  }
  dos_date_ = static_cast<std::uint16_t>(((year - 1980) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
  dos_time_ = static_cast<std::uint16_t>((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
}

expected<void> zip_writer::begin_entry(std::string name, std::uint64_t size, std::string& out) {
  if (open_ || finishing_) {
    return fail(errc::internal, "zip_writer: an entry is still open or the archive is finishing");
  }
  if (name.empty() || name.size() > max16) {
    return fail(errc::internal, "zip_writer: an entry name must have 1..65535 bytes");
  }
  bool const big = zip64_entry(size);
  auto const start = out.size();
  put32(out, local_sig);
  put16(out, big ? version_zip64 : version_classic);
  put16(out, flags);
  put16(out, 0); // stored
  put16(out, dos_time_);
  put16(out, dos_date_);
  put32(out, 0); // CRC, sizes: in the data descriptor (bit 3)
  put32(out, 0);
  put32(out, 0);
  put16(out, static_cast<std::uint16_t>(name.size()));
  put16(out, static_cast<std::uint16_t>(local_extra_bytes(size)));
  out += name;
  if (big) {
    put16(out, 0x0001);
    put16(out, 16);
    put64(out, 0);
    put64(out, 0);
  }
  entries_.push_back(entry{std::move(name), size, offset_, 0});
  offset_ += out.size() - start;
  open_ = true;
  fed_ = 0;
  crc_ = static_cast<std::uint32_t>(::crc32(0L, Z_NULL, 0));
  return {};
}

expected<void> zip_writer::update(std::string_view data) {
  if (!open_) {
    return fail(errc::internal, "zip_writer: no entry is open");
  }
  if (data.size() > entries_.back().size - fed_) {
    return fail(errc::internal, "zip_writer: more data than the entry declared");
  }
  // zlib's crc32 takes a uInt length: feed large pieces in slices.
  auto const* p = reinterpret_cast<Bytef const*>(data.data());
  std::size_t left = data.size();
  while (left > 0) {
    auto const n = static_cast<uInt>(std::min<std::size_t>(left, 1u << 30));
    crc_ = static_cast<std::uint32_t>(::crc32(crc_, p, n));
    p += n;
    left -= n;
  }
  fed_ += data.size();
  offset_ += data.size();
  return {};
}

expected<void> zip_writer::end_entry(std::string& out) {
  if (!open_) {
    return fail(errc::internal, "zip_writer: no entry is open");
  }
  auto& e = entries_.back();
  if (fed_ != e.size) {
    return fail(errc::internal, "zip_writer: the entry got fewer bytes than it declared");
  }
  e.crc = crc_;
  auto const start = out.size();
  put32(out, descriptor_sig);
  put32(out, e.crc);
  if (zip64_entry(e.size)) {
    put64(out, e.size);
    put64(out, e.size);
  } else {
    put32(out, static_cast<std::uint32_t>(e.size));
    put32(out, static_cast<std::uint32_t>(e.size));
  }
  offset_ += out.size() - start;
  open_ = false;
  return {};
}

expected<bool> zip_writer::finish_some(std::string& out, std::size_t budget) {
  if (open_) {
    return fail(errc::internal, "zip_writer: an entry is still open");
  }
  if (finished_) {
    return true;
  }
  if (!finishing_) {
    finishing_ = true;
    directory_offset_ = offset_;
  }
  auto const start = out.size();
  while (directory_cursor_ < entries_.size() && out.size() < budget) {
    auto const& e = entries_[directory_cursor_++];
    bool const big_size = e.size >= max32;
    bool const big_offset = e.offset >= max32;
    auto const extra = central_extra_bytes(e.size, e.offset);
    bool const big = zip64_entry(e.size) || big_offset;
    put32(out, central_sig);
    put16(out, made_by_unix | (big ? version_zip64 : version_classic));
    put16(out, big ? version_zip64 : version_classic);
    put16(out, flags);
    put16(out, 0);
    put16(out, dos_time_);
    put16(out, dos_date_);
    put32(out, e.crc);
    put32(out, clamp32(e.size));
    put32(out, clamp32(e.size));
    put16(out, static_cast<std::uint16_t>(e.name.size()));
    put16(out, static_cast<std::uint16_t>(extra));
    put16(out, 0); // comment
    put16(out, 0); // disk
    put16(out, 0); // internal attributes
    put32(out, external_attributes);
    put32(out, clamp32(e.offset));
    out += e.name;
    if (extra > 0) {
      put16(out, 0x0001);
      put16(out, static_cast<std::uint16_t>(extra - 4));
      if (big_size) {
        put64(out, e.size);
        put64(out, e.size);
      }
      if (big_offset) {
        put64(out, e.offset);
      }
    }
  }
  offset_ += out.size() - start;
  if (directory_cursor_ < entries_.size()) {
    return false;
  }
  auto const end_start = out.size();
  std::uint64_t const count = entries_.size();
  std::uint64_t const directory_size = offset_ - directory_offset_;
  if (zip64_end_needed(count, directory_size, directory_offset_)) {
    auto const zip64_end_offset = offset_;
    put32(out, zip64_end_sig);
    put64(out, zip64_end_fixed - 12); // the record's size after this field
    put16(out, made_by_unix | version_zip64);
    put16(out, version_zip64);
    put32(out, 0);
    put32(out, 0);
    put64(out, count);
    put64(out, count);
    put64(out, directory_size);
    put64(out, directory_offset_);
    put32(out, zip64_locator_sig);
    put32(out, 0);
    put64(out, zip64_end_offset);
    put32(out, 1);
  }
  put32(out, end_sig);
  put16(out, 0);
  put16(out, 0);
  put16(out, static_cast<std::uint16_t>(count >= max16 ? max16 : count));
  put16(out, static_cast<std::uint16_t>(count >= max16 ? max16 : count));
  put32(out, clamp32(directory_size));
  put32(out, clamp32(directory_offset_));
  put16(out, 0);
  offset_ += out.size() - end_start;
  finished_ = true;
  return true;
}

} // namespace panel::codec
