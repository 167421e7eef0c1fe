#include "codec/bmff.hpp"

#include <cstring>

namespace panel::codec::detail {

namespace {

std::uint32_t be32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

struct box {
  char type[4];
  byte_view body;
};

// Reads the box at `at` inside `within`; false when it does not fit.
bool read_box(byte_view within, std::size_t at, box& out, std::size_t& next) {
  if (at > within.size() || within.size() - at < 8) {
    return false;
  }
  const std::uint8_t* p = within.data() + at;
  std::uint64_t size = be32(p);
  std::size_t header = 8;
  if (size == 1) {
    if (within.size() - at < 16) {
      return false;
    }
    size = (std::uint64_t{be32(p + 8)} << 32) | be32(p + 12);
    header = 16;
  } else if (size == 0) {
    size = within.size() - at; // to the end of the enclosing box
  }
  if (size < header || size > within.size() - at) {
    return false;
  }
  std::memcpy(out.type, p + 4, 4);
  out.body = within.subspan(at + header, static_cast<std::size_t>(size) - header);
  next = at + static_cast<std::size_t>(size);
  return true;
}

// The body of the first child of type `type`, skipping `skip` bytes of the
// parent's own header (FullBox version and flags).
std::optional<byte_view> child(byte_view parent, const char* type, std::size_t skip = 0) {
  if (parent.size() < skip) {
    return std::nullopt;
  }
  const byte_view children = parent.subspan(skip);
  box b{};
  for (std::size_t at = 0, next = 0; read_box(children, at, b, next); at = next) {
    if (std::memcmp(b.type, type, 4) == 0) {
      return b.body;
    }
  }
  return std::nullopt;
}

} // namespace

std::optional<std::pair<std::uint32_t, std::uint32_t>> bmff_largest_ispe(byte_view bytes) {
  const auto meta = child(bytes, "meta");
  const auto iprp = meta ? child(*meta, "iprp", 4) : std::nullopt;
  const auto ipco = iprp ? child(*iprp, "ipco") : std::nullopt;
  if (!ipco) {
    return std::nullopt;
  }
  std::optional<std::pair<std::uint32_t, std::uint32_t>> largest;
  box b{};
  for (std::size_t at = 0, next = 0; read_box(*ipco, at, b, next); at = next) {
    if (std::memcmp(b.type, "ispe", 4) != 0 || b.body.size() < 12) {
      continue;
    }
    const std::uint32_t w = be32(b.body.data() + 4);
    const std::uint32_t h = be32(b.body.data() + 8);
    if (!largest || std::uint64_t{w} * h > std::uint64_t{largest->first} * largest->second) {
      largest = std::pair{w, h};
    }
  }
  return largest;
}

} // namespace panel::codec::detail
