#include "codec/bmff.hpp"

#include <algorithm>
#include <cstring>
#include <unordered_map>
#include <vector>

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

bool bmff_has_item_type(byte_view bytes, const char (&item_type)[5]) {
  const auto meta = child(bytes, "meta");
  const auto iinf = meta ? child(*meta, "iinf", 4) : std::nullopt;
  if (!iinf || iinf->empty()) {
    return false;
  }
  // iinf version 0 counts entries in 16 bits, later versions in 32.
  const std::size_t header = (*iinf)[0] == 0 ? 6 : 8;
  if (iinf->size() < header) {
    return false;
  }
  box b{};
  for (std::size_t at = 0, next = 0; read_box(iinf->subspan(header), at, b, next); at = next) {
    if (std::memcmp(b.type, "infe", 4) != 0 || b.body.empty() || b.body[0] < 2) {
      continue; // item types exist from infe version 2 on
    }
    const std::size_t type_at = 4 + (b.body[0] == 2 ? 2 : 4) + 2;
    if (b.body.size() >= type_at + 4 && std::memcmp(b.body.data() + type_at, item_type, 4) == 0) {
      return true;
    }
  }
  return false;
}

bool bmff_references_unsafe(byte_view bytes, std::size_t max_depth) {
  const auto meta = child(bytes, "meta");
  if (!meta || meta->size() < 4) {
    return false;
  }
  // Edges point from an image to what decoding it needs, over every iref box.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;
  box m{};
  for (std::size_t at = 0, next = 0; read_box(meta->subspan(4), at, m, next); at = next) {
    if (std::memcmp(m.type, "iref", 4) != 0 || m.body.size() < 4) {
      continue;
    }
    const bool wide = m.body[0] != 0; // iref version 1: 32-bit item IDs
    const std::size_t id_size = wide ? 4 : 2;
    const auto read_id = [&](byte_view b, std::size_t pos) -> std::uint32_t {
      return wide ? be32(b.data() + pos) : static_cast<std::uint32_t>((b[pos] << 8) | b[pos + 1]);
    };
    box b{};
    for (std::size_t r = 0, rnext = 0; read_box(m.body.subspan(4), r, b, rnext); r = rnext) {
      const bool dimg = std::memcmp(b.type, "dimg", 4) == 0;
      const bool auxl = std::memcmp(b.type, "auxl", 4) == 0;
      if ((!dimg && !auxl) || b.body.size() < id_size + 2) {
        continue;
      }
      const std::uint32_t from = read_id(b.body, 0);
      const std::uint32_t count = (b.body[id_size] << 8) | b.body[id_size + 1];
      for (std::uint32_t i = 0; i < count; ++i) {
        const std::size_t pos = id_size + 2 + std::size_t{i} * id_size;
        if (pos + id_size > b.body.size()) {
          break;
        }
        const std::uint32_t to = read_id(b.body, pos);
        edges.emplace_back(dimg ? from : to, dimg ? to : from);
      }
    }
  }
  if (edges.empty()) {
    return false;
  }
  // Kahn's algorithm, iteratively (our own stack must not be the next
  // victim): nodes left over are on a cycle; depth is the longest chain.
  std::unordered_map<std::uint32_t, std::size_t> index;
  for (const auto& [from, to] : edges) {
    index.emplace(from, index.size());
    index.emplace(to, index.size());
  }
  const std::size_t n = index.size();
  std::vector<std::vector<std::size_t>> out(n);
  std::vector<std::size_t> indegree(n, 0);
  for (const auto& [from, to] : edges) {
    out[index[from]].push_back(index[to]);
    ++indegree[index[to]];
  }
  std::vector<std::size_t> ready;
  std::vector<std::size_t> depth(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    if (indegree[i] == 0) {
      ready.push_back(i);
    }
  }
  std::size_t seen = 0;
  while (!ready.empty()) {
    const std::size_t v = ready.back();
    ready.pop_back();
    ++seen;
    for (const std::size_t w : out[v]) {
      depth[w] = std::max(depth[w], depth[v] + 1);
      if (depth[w] > max_depth) {
        return true;
      }
      if (--indegree[w] == 0) {
        ready.push_back(w);
      }
    }
  }
  return seen != n;
}

} // namespace panel::codec::detail
