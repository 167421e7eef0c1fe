#include "core/ip_address.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>

#include "core/strings.hpp"

namespace panel::core {

namespace {

constexpr unsigned v4_bits = 32;
constexpr unsigned v6_bits = 128;

std::optional<ip_address> parse_v4(std::string_view text) {
  // inet_pton needs a NUL-terminated string; 15 chars is the longest dotted quad.
  if (text.empty() || text.size() > 15) {
    return std::nullopt;
  }
  char buf[16] = {};
  std::memcpy(buf, text.data(), text.size());
  in_addr raw{};
  // glibc's inet_pton accepts exactly a.b.c.d in decimal, without leading zeros,
  // so "010.1.1.1" (octal to inet_aton) cannot sneak in.
  if (inet_pton(AF_INET, buf, &raw) != 1) {
    return std::nullopt;
  }
  ip_address a;
  std::memcpy(a.bytes.data(), &raw, 4);
  return a;
}

std::optional<ip_address> parse_v6(std::string_view text) {
  // The longest IPv6 text form (with an embedded dotted quad) is 45 chars.
  if (text.empty() || text.size() > 45) {
    return std::nullopt;
  }
  char buf[46] = {};
  std::memcpy(buf, text.data(), text.size());
  in6_addr raw{};
  if (inet_pton(AF_INET6, buf, &raw) != 1) {
    return std::nullopt;
  }
  ip_address a;
  a.v6 = true;
  std::memcpy(a.bytes.data(), &raw, 16);
  return a;
}

ip_address to_mapped_v6(ip_address const& v4) {
  ip_address a;
  a.v6 = true;
  a.bytes[10] = 0xff;
  a.bytes[11] = 0xff;
  std::copy_n(v4.bytes.begin(), 4, a.bytes.begin() + 12);
  return a;
}

/// True when the first `prefix` bits of `a` and `b` agree.
bool same_prefix(std::array<std::uint8_t, 16> const& a, std::array<std::uint8_t, 16> const& b, unsigned prefix) {
  unsigned const full = prefix / 8;
  for (unsigned i = 0; i < full; ++i) {
    if (a[i] != b[i]) {
      return false;
    }
  }
  unsigned const rest = prefix % 8;
  if (rest == 0) {
    return true;
  }
  auto const mask = static_cast<std::uint8_t>(0xff << (8 - rest));
  return (a[full] & mask) == (b[full] & mask);
}

void clear_host_bits(ip_address& a, unsigned prefix) {
  unsigned const width = a.v6 ? 16 : 4;
  for (unsigned i = 0; i < width; ++i) {
    unsigned const bit_start = i * 8;
    if (bit_start + 8 <= prefix) {
      continue;
    }
    if (bit_start >= prefix) {
      a.bytes[i] = 0;
    } else {
      a.bytes[i] &= static_cast<std::uint8_t>(0xff << (8 - (prefix - bit_start)));
    }
  }
}

/// Prefix length of a dotted IPv4 netmask ("255.255.0.0") or hostmask ("0.0.255.255"),
/// which Python's ip_network also accepts after the slash.
std::optional<unsigned> prefix_from_v4_mask(std::string_view text) {
  auto const mask = parse_v4(text);
  if (!mask) {
    return std::nullopt;
  }
  std::uint32_t m = 0;
  for (unsigned i = 0; i < 4; ++i) {
    m = (m << 8) | mask->bytes[i];
  }
  auto const leading_ones = [](std::uint32_t x) {
    unsigned n = 0;
    while (n < 32 && (x & (0x80000000u >> n)) != 0) {
      ++n;
    }
    return n;
  };
  unsigned const ones = leading_ones(m);
  if (ones == 32 || (m << ones) == 0) {
    return ones;
  }
  // A hostmask is the complement of a netmask.
  std::uint32_t const inv = ~m;
  unsigned const inv_ones = leading_ones(inv);
  if (inv_ones == 32 || (inv << inv_ones) == 0) {
    return inv_ones;
  }
  return std::nullopt;
}

std::optional<unsigned> parse_prefix(std::string_view text, bool v6) {
  bool const all_digits = std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (text.empty() || text.size() > 3 || !all_digits) {
    if (!v6) {
      return prefix_from_v4_mask(text);
    }
    return std::nullopt;
  }
  unsigned value = 0;
  for (char const c : text) {
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value > (v6 ? v6_bits : v4_bits)) {
    return std::nullopt;
  }
  return value;
}

struct private_ranges {
  std::vector<ip_network> v4;
  std::vector<ip_network> v6;
};

private_ranges const& spec_private_ranges() {
  // Spec §6.8, verbatim.
  static private_ranges const ranges = [] {
    private_ranges r;
    for (char const* text : {"127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16",
                             "0.0.0.0/8", "224.0.0.0/4", "255.255.255.255/32"}) {
      r.v4.push_back(*ip_network::parse(text));
    }
    for (char const* text : {"::1/128", "fc00::/7", "fe80::/10", "::ffff:0:0/96", "ff00::/8"}) {
      r.v6.push_back(*ip_network::parse(text));
    }
    return r;
  }();
  return ranges;
}

bool in_same_family(std::vector<ip_network> const& nets, ip_address const& a) {
  return std::any_of(nets.begin(), nets.end(), [&](ip_network const& n) {
    return n.base.v6 == a.v6 && same_prefix(n.base.bytes, a.bytes, n.prefix);
  });
}

} // namespace

std::optional<ip_address> ip_address::parse(std::string_view text) {
  bool bracketed = false;
  if (!text.empty() && text.front() == '[') {
    if (text.size() < 2 || text.back() != ']') {
      return std::nullopt;
    }
    text = text.substr(1, text.size() - 2);
    bracketed = true;
  }
  if (auto const pct = text.find('%'); pct != std::string_view::npos) {
    // A zone id ("fe80::1%eth0") only exists on IPv6 and must not be empty.
    if (pct + 1 == text.size()) {
      return std::nullopt;
    }
    return parse_v6(text.substr(0, pct));
  }
  if (text.find(':') != std::string_view::npos) {
    return parse_v6(text);
  }
  if (bracketed) {
    // Brackets are IPv6 literal syntax (RFC 3986); "[1.2.3.4]" is not an address.
    return std::nullopt;
  }
  return parse_v4(text);
}

std::string ip_address::to_string() const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (v6) {
    in6_addr raw{};
    std::memcpy(&raw, bytes.data(), 16);
    // glibc's inet_ntop already follows RFC 5952 (lower case, longest zero run, ::ffff:a.b.c.d).
    if (inet_ntop(AF_INET6, &raw, buf, sizeof buf) == nullptr) {
      return {};
    }
  } else {
    in_addr raw{};
    std::memcpy(&raw, bytes.data(), 4);
    if (inet_ntop(AF_INET, &raw, buf, sizeof buf) == nullptr) {
      return {};
    }
  }
  return buf;
}

std::optional<ip_address> ip_address::mapped_v4() const {
  if (!v6) {
    return std::nullopt;
  }
  bool const zero_head = std::all_of(bytes.begin(), bytes.begin() + 10, [](std::uint8_t b) { return b == 0; });
  if (!zero_head || bytes[10] != 0xff || bytes[11] != 0xff) {
    return std::nullopt;
  }
  ip_address a;
  std::copy_n(bytes.begin() + 12, 4, a.bytes.begin());
  return a;
}

std::optional<ip_network> ip_network::parse(std::string_view text) {
  auto const slash = text.find('/');
  auto const addr = ip_address::parse(text.substr(0, slash));
  if (!addr) {
    return std::nullopt;
  }
  ip_network n;
  n.base = *addr;
  n.prefix = addr->v6 ? v6_bits : v4_bits;
  if (slash != std::string_view::npos) {
    auto const prefix = parse_prefix(text.substr(slash + 1), addr->v6);
    if (!prefix) {
      return std::nullopt;
    }
    n.prefix = *prefix;
  }
  clear_host_bits(n.base, n.prefix);
  return n;
}

bool ip_network::contains(ip_address const& a) const {
  if (base.v6 == a.v6) {
    return same_prefix(base.bytes, a.bytes, prefix);
  }
  if (!base.v6) {
    auto const v4 = a.mapped_v4();
    return v4 && same_prefix(base.bytes, v4->bytes, prefix);
  }
  // An IPv4 address against an IPv6 network: compare its ::ffff:a.b.c.d form.
  return same_prefix(base.bytes, to_mapped_v6(a).bytes, prefix);
}

std::string ip_network::to_string() const {
  return base.to_string() + "/" + std::to_string(prefix);
}

expected<std::vector<ip_network>> parse_network_list(std::string_view text) {
  std::vector<ip_network> nets;
  for (auto const& entry : split_list(text, ",;")) {
    auto n = ip_network::parse(entry);
    if (!n) {
      return fail(errc::validation, "invalid IP or CIDR entry: '" + entry + "'");
    }
    nets.push_back(*n);
  }
  return nets;
}

bool in_any(std::vector<ip_network> const& nets, ip_address const& a) {
  return std::any_of(nets.begin(), nets.end(), [&](ip_network const& n) { return n.contains(a); });
}

bool is_private_or_internal(ip_address const& a) {
  auto const& ranges = spec_private_ranges();
  // Families are matched strictly here: ip_network::contains would put every IPv4
  // address inside ::ffff:0:0/96 and call the whole IPv4 internet private.
  if (!a.v6) {
    return in_same_family(ranges.v4, a);
  }
  if (auto const v4 = a.mapped_v4(); v4 && in_same_family(ranges.v4, *v4)) {
    return true;
  }
  return in_same_family(ranges.v6, a);
}

} // namespace panel::core
