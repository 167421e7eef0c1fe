#include "codec/exif.hpp"

#include <cstring>

namespace panel::codec::detail {

namespace {

struct tiff_reader {
  byte_view bytes;
  bool little = true;

  [[nodiscard]] bool has(std::size_t offset, std::size_t n) const {
    return offset <= bytes.size() && n <= bytes.size() - offset;
  }
  [[nodiscard]] std::uint32_t u16(std::size_t o) const {
    const auto* p = bytes.data() + o;
    return little ? (p[0] | (p[1] << 8)) : ((p[0] << 8) | p[1]);
  }
  [[nodiscard]] std::uint32_t u32(std::size_t o) const {
    const auto* p = bytes.data() + o;
    return little ? (std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8) | (std::uint32_t{p[2]} << 16) |
                     (std::uint32_t{p[3]} << 24))
                  : ((std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
                     std::uint32_t{p[3]});
  }
};

constexpr std::uint32_t tag_orientation = 0x0112;
constexpr std::uint32_t type_short = 3;
constexpr std::uint32_t type_long = 4;

} // namespace

byte_view strip_exif_prefix(byte_view exif) {
  if (exif.size() >= 6 && std::memcmp(exif.data(), "Exif\0\0", 6) == 0) {
    return exif.subspan(6);
  }
  return exif;
}

std::uint8_t exif_orientation(byte_view tiff) {
  tiff_reader r{tiff};
  if (!r.has(0, 8)) {
    return 1;
  }
  if (tiff[0] == 'I' && tiff[1] == 'I') {
    r.little = true;
  } else if (tiff[0] == 'M' && tiff[1] == 'M') {
    r.little = false;
  } else {
    return 1;
  }
  if (r.u16(2) != 42) {
    return 1;
  }
  const std::size_t ifd = r.u32(4);
  if (ifd < 8 || !r.has(ifd, 2)) {
    return 1;
  }
  const std::uint32_t count = r.u16(ifd);
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::size_t entry = ifd + 2 + std::size_t{i} * 12;
    if (!r.has(entry, 12)) {
      return 1;
    }
    if (r.u16(entry) != tag_orientation) {
      continue;
    }
    const std::uint32_t type = r.u16(entry + 2);
    if (r.u32(entry + 4) < 1) {
      return 1;
    }
    // A single SHORT sits left-justified in the 4-byte value field.
    std::uint32_t value = 1;
    if (type == type_short) {
      value = r.u16(entry + 8);
    } else if (type == type_long) {
      value = r.u32(entry + 8);
    }
    return (value >= 1 && value <= 8) ? static_cast<std::uint8_t>(value) : 1;
  }
  return 1;
}

std::uint8_t jpeg_orientation(byte_view jpeg) {
  if (jpeg.size() < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8) {
    return 1;
  }
  std::size_t p = 2;
  while (p + 4 <= jpeg.size()) {
    if (jpeg[p] != 0xFF) {
      return 1;
    }
    const std::uint8_t marker = jpeg[p + 1];
    if (marker == 0xFF) {
      ++p; // fill byte
      continue;
    }
    if (marker == 0xDA || marker == 0xD9) {
      return 1; // entropy-coded data or the end: no Exif before it
    }
    if ((marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
      p += 2; // standalone markers carry no length
      continue;
    }
    const std::size_t len = (std::size_t{jpeg[p + 2]} << 8) | jpeg[p + 3];
    if (len < 2 || len - 2 > jpeg.size() - (p + 4)) {
      return 1;
    }
    const byte_view segment = jpeg.subspan(p + 4, len - 2);
    if (marker == 0xE1 && segment.size() >= 6 && std::memcmp(segment.data(), "Exif\0\0", 6) == 0) {
      return exif_orientation(segment.subspan(6));
    }
    p += 2 + len;
  }
  return 1;
}

} // namespace panel::codec::detail
