#pragma once
// IP addresses and CIDR networks as plain values (no asio in this header).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"

namespace panel::core {

/// An IPv4 or IPv6 address. IPv4 is kept as 4 bytes, IPv6 as 16.
struct ip_address {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{}; ///< IPv4 uses bytes[0..3]

  /// Parses dotted IPv4 or textual IPv6 (optionally bracketed, optional zone id dropped).
  [[nodiscard]] static std::optional<ip_address> parse(std::string_view text);

  /// Canonical text: dotted quad, or RFC 5952 IPv6 (lower case, longest zero run compressed).
  [[nodiscard]] std::string to_string() const;

  /// For an IPv4-mapped IPv6 address (::ffff:a.b.c.d) the IPv4 address; else nullopt.
  [[nodiscard]] std::optional<ip_address> mapped_v4() const;

  friend bool operator==(ip_address const&, ip_address const&) = default;
};

/// An address prefix such as 10.0.0.0/8 or fc00::/7. A bare address is a /32 or /128.
struct ip_network {
  ip_address base;    ///< host bits cleared
  unsigned prefix = 0;

  /// Parses "addr" or "addr/len". Host bits set in addr are accepted and cleared.
  [[nodiscard]] static std::optional<ip_network> parse(std::string_view text);

  /// True when `a` is inside. An IPv4-mapped IPv6 address also matches an IPv4 network.
  [[nodiscard]] bool contains(ip_address const& a) const;

  [[nodiscard]] std::string to_string() const;
};

/// Parses a `,`/`;` separated list of IPs/CIDRs (IP_ALLOWLIST, TRUSTED_PROXY_IPS).
/// Fails with a message naming the first bad entry.
[[nodiscard]] expected<std::vector<ip_network>> parse_network_list(std::string_view text);

/// True when `a` lies in any of `nets`.
[[nodiscard]] bool in_any(std::vector<ip_network> const& nets, ip_address const& a);

/// The private/internal ranges of spec §6.8 (loopback, RFC 1918, link-local,
/// 0/8, multicast, broadcast, ::1, fc00::/7, fe80::/10, ::ffff:0:0/96 checked
/// against the IPv4 ranges, ff00::/8).
[[nodiscard]] bool is_private_or_internal(ip_address const& a);

} // namespace panel::core
