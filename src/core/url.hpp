#pragma once
// A strict absolute-URL parser for outgoing requests, and RFC 3986 reference
// resolution for redirect `Location` values. Strict on purpose: whatever could be
// read two ways (by us and by libcurl) is refused rather than guessed.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/expected.hpp"

namespace panel::core {

/// One parsed absolute URL (`scheme://[userinfo@]host[:port]path[?query][#fragment]`).
/// A plain value; no I/O. Built by `parse_url` or `resolve_reference`.
struct url {
  std::string scheme;                   ///< lower case, e.g. "https"
  std::optional<std::string> userinfo;  ///< raw text before '@'; set whenever '@' was present
  std::string host;                     ///< lower case, no brackets, trailing dots removed, IDN as is
  bool host_is_ipv6 = false;            ///< host was a bracketed IPv6 literal
  std::optional<std::uint16_t> port;    ///< explicit port, when given
  std::string path;                     ///< as written (may be empty); never contains '?' or '#'
  std::optional<std::string> query;     ///< text after '?', when a '?' was present
  std::optional<std::string> fragment;  ///< text after '#', when a '#' was present

  /// The explicit port, else 443 for https and 80 for http (0 for other schemes).
  [[nodiscard]] std::uint16_t effective_port() const;

  /// `host` as it appears in a URL: IPv6 literals in brackets.
  [[nodiscard]] std::string host_for_url() const;

  /// `host_for_url()` plus `:port` when a port was given.
  [[nodiscard]] std::string host_and_port() const;

  /// The whole URL, re-serialised from the parts (normalised host, everything else as written).
  [[nodiscard]] std::string to_string() const;

  /// `to_string()` without the fragment: what goes on the wire.
  [[nodiscard]] std::string request_url() const;

  friend bool operator==(url const&, url const&) = default;
};

/// The scheme of `text` read the way Python's urlsplit reads it (letters, digits,
/// `+-.` before the first ':', starting with a letter), lower case; "" when none.
/// Used to report a wrong scheme before anything else is judged.
[[nodiscard]] std::string url_scheme_of(std::string_view text);

/// Parses an absolute URL with an authority. Leading/trailing ASCII whitespace is
/// ignored; inside, spaces, control characters and backslashes are refused; the
/// port must be 1-65535; a host that ends in a numeric label must be a canonical
/// dotted quad (no `0x7f.1`, `2130706433`, `010.0.0.1`); zone ids are refused.
/// Errors are errc::validation with messages starting "Invalid URL: "; a missing
/// or empty host is exactly "Invalid URL: no hostname", a bad port
/// "Invalid URL: invalid port".
[[nodiscard]] expected<url> parse_url(std::string_view text);

/// Resolves `reference` (a redirect `Location`: absolute, `//host/...`, `/path`,
/// `path`, `?query`, `#fragment` or empty) against `base` per RFC 3986 §5.2,
/// including dot-segment removal, then parses the result strictly.
[[nodiscard]] expected<url> resolve_reference(url const& base, std::string_view reference);

} // namespace panel::core
