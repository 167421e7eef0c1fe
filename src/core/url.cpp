#include "core/url.hpp"

#include <algorithm>
#include <charconv>

#include "core/ip_address.hpp"
#include "core/strings.hpp"

namespace panel::core {

namespace {

tl::unexpected<error> invalid(std::string_view why) {
  return fail(errc::validation, "Invalid URL: " + std::string{why});
}

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool is_scheme_char(char c) {
  return is_alpha(c) || is_digit(c) || c == '+' || c == '-' || c == '.';
}

// Length of the scheme at the front of `text` (0 when there is none), the
// Python urlsplit way: a letter, then scheme characters, then ':'.
std::size_t scheme_length(std::string_view text) {
  auto const colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || !is_alpha(text[0])) {
    return 0;
  }
  for (std::size_t i = 0; i < colon; ++i) {
    if (!is_scheme_char(text[i])) {
      return 0;
    }
  }
  return colon;
}

// Spaces, controls and backslashes are where URL parsers disagree (WHATWG turns
// '\' into '/', curl and Python do not), so none of them is accepted anywhere.
bool has_forbidden_char(std::string_view text) {
  for (char const ch : text) {
    auto const c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == 0x7f || c == '\\') {
      return true;
    }
  }
  return false;
}

bool is_host_char(char ch) {
  auto const c = static_cast<unsigned char>(ch);
  // Bytes >= 0x80 are an IDN written in UTF-8; it is kept as is, never converted.
  return c >= 0x80 || is_alpha(ch) || is_digit(ch) || ch == '-' || ch == '_' || ch == '.';
}

// WHATWG's "ends in a number": such a host is an IPv4 attempt, and getaddrinfo,
// curl and browsers each read forms like 0x7f.1 or 2130706433 differently.
bool ends_in_number(std::string_view host) {
  auto const dot = host.rfind('.');
  auto const last = dot == std::string_view::npos ? host : host.substr(dot + 1);
  if (last.empty()) {
    return false;
  }
  if (std::all_of(last.begin(), last.end(), is_digit)) {
    return true;
  }
  if (last.size() >= 2 && last[0] == '0' && (last[1] == 'x' || last[1] == 'X')) {
    return std::all_of(last.begin() + 2, last.end(), is_hex);
  }
  return false;
}

expected<std::string> normalise_reg_name(std::string_view raw) {
  auto host = to_lower(raw);
  while (!host.empty() && host.back() == '.') {
    host.pop_back();
  }
  if (host.empty()) {
    return invalid("no hostname");
  }
  if (!std::all_of(host.begin(), host.end(), is_host_char)) {
    return invalid("invalid hostname");
  }
  if (host.front() == '.' || host.find("..") != std::string::npos) {
    return invalid("invalid hostname");
  }
  if (ends_in_number(host)) {
    auto const ip = ip_address::parse(host);
    if (!ip || ip->v6) {
      return invalid("invalid IPv4 address");
    }
  }
  return host;
}

expected<std::optional<std::uint16_t>> parse_port(std::string_view text) {
  // An empty port after ':' is allowed by RFC 3986 and means the default.
  if (text.empty()) {
    return std::optional<std::uint16_t>{};
  }
  unsigned value = 0;
  if (text.size() > 5 || !std::all_of(text.begin(), text.end(), is_digit)) {
    return invalid("invalid port");
  }
  std::from_chars(text.data(), text.data() + text.size(), value);
  if (value == 0 || value > 65535) {
    return invalid("invalid port");
  }
  return std::optional<std::uint16_t>{static_cast<std::uint16_t>(value)};
}

// Parses "host", "host:port", "[v6]" or "[v6]:port" into `out`.
expected<void> parse_host_port(std::string_view text, url& out) {
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    auto const close = text.find(']');
    if (close == std::string_view::npos) {
      return invalid("invalid hostname");
    }
    auto const inside = text.substr(1, close - 1);
    // Zone ids ("%25eth0") name an interface of this machine: never wanted here.
    auto const ip = inside.find('%') == std::string_view::npos ? ip_address::parse(inside) : std::nullopt;
    if (!ip || !ip->v6) {
      return invalid("invalid IPv6 address");
    }
    auto const rest = text.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') {
      return invalid("invalid port");
    }
    port_text = rest.empty() ? rest : rest.substr(1);
    out.host = to_lower(inside);
    out.host_is_ipv6 = true;
  } else {
    auto const colon = text.find(':');
    auto host = normalise_reg_name(text.substr(0, colon));
    if (!host) {
      return tl::unexpected{host.error()};
    }
    out.host = std::move(*host);
    port_text = colon == std::string_view::npos ? std::string_view{} : text.substr(colon + 1);
  }
  auto port = parse_port(port_text);
  if (!port) {
    return tl::unexpected{port.error()};
  }
  out.port = *port;
  return {};
}

// Splits "path?query#fragment" into `out`.
void parse_tail(std::string_view tail, url& out) {
  auto const hash = tail.find('#');
  if (hash != std::string_view::npos) {
    out.fragment = std::string{tail.substr(hash + 1)};
    tail = tail.substr(0, hash);
  }
  auto const question = tail.find('?');
  if (question != std::string_view::npos) {
    out.query = std::string{tail.substr(question + 1)};
    tail = tail.substr(0, question);
  }
  out.path = std::string{tail};
}

// RFC 3986 §5.2.4.
std::string remove_dot_segments(std::string_view in) {
  std::string out;
  while (!in.empty()) {
    if (in.starts_with("../")) {
      in.remove_prefix(3);
    } else if (in.starts_with("./")) {
      in.remove_prefix(2);
    } else if (in.starts_with("/./")) {
      in.remove_prefix(2);
    } else if (in == "/.") {
      in = "/";
    } else if (in.starts_with("/../") || in == "/..") {
      in = in.size() == 3 ? std::string_view{"/"} : in.substr(3);
      auto const slash = out.rfind('/');
      out.erase(slash == std::string::npos ? 0 : slash);
    } else if (in == "." || in == "..") {
      in = {};
    } else {
      auto const next = in.find('/', 1);
      auto const segment = in.substr(0, next);
      out.append(segment);
      in.remove_prefix(segment.size());
    }
  }
  return out;
}

// RFC 3986 §5.2.3.
std::string merge_paths(url const& base, std::string_view reference_path) {
  if (base.path.empty()) {
    return "/" + std::string{reference_path};
  }
  auto const slash = base.path.rfind('/');
  auto const dir = slash == std::string::npos ? std::string{} : base.path.substr(0, slash + 1);
  return dir + std::string{reference_path};
}

} // namespace

std::uint16_t url::effective_port() const {
  if (port) {
    return *port;
  }
  if (scheme == "https") {
    return 443;
  }
  return scheme == "http" ? 80 : 0;
}

std::string url::host_for_url() const {
  return host_is_ipv6 ? "[" + host + "]" : host;
}

std::string url::host_and_port() const {
  auto out = host_for_url();
  if (port) {
    out += ":" + std::to_string(*port);
  }
  return out;
}

std::string url::request_url() const {
  auto out = scheme + "://";
  if (userinfo) {
    out += *userinfo + "@";
  }
  out += host_and_port() + path;
  if (query) {
    out += "?" + *query;
  }
  return out;
}

std::string url::to_string() const {
  auto out = request_url();
  if (fragment) {
    out += "#" + *fragment;
  }
  return out;
}

std::string url_scheme_of(std::string_view text) {
  text = trim(text);
  return to_lower(text.substr(0, scheme_length(text)));
}

expected<url> parse_url(std::string_view text) {
  text = trim(text);
  if (has_forbidden_char(text)) {
    return invalid("invalid character");
  }
  auto const scheme_len = scheme_length(text);
  if (scheme_len == 0) {
    return invalid("missing scheme");
  }
  url out;
  out.scheme = to_lower(text.substr(0, scheme_len));
  auto rest = text.substr(scheme_len + 1);
  if (!rest.starts_with("//")) {
    return invalid("no hostname");
  }
  rest.remove_prefix(2);
  auto const authority_end = rest.find_first_of("/?#");
  auto authority = rest.substr(0, authority_end);
  auto const at = authority.find('@');
  if (at != std::string_view::npos) {
    // Python takes the last '@', curl the first: with two, they name different hosts.
    if (authority.find('@', at + 1) != std::string_view::npos) {
      return invalid("invalid userinfo");
    }
    out.userinfo = std::string{authority.substr(0, at)};
    authority.remove_prefix(at + 1);
  }
  if (authority.empty()) {
    return invalid("no hostname");
  }
  if (auto ok = parse_host_port(authority, out); !ok) {
    return tl::unexpected{ok.error()};
  }
  parse_tail(authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end), out);
  return out;
}

expected<url> resolve_reference(url const& base, std::string_view reference) {
  reference = trim(reference);
  if (has_forbidden_char(reference)) {
    return invalid("invalid character");
  }
  if (scheme_length(reference) != 0) {
    return parse_url(reference);
  }
  if (reference.starts_with("//")) {
    return parse_url(base.scheme + ":" + std::string{reference});
  }
  url target;
  parse_tail(reference, target);
  auto const ref_path = target.path;
  url out = base;
  out.fragment = target.fragment;
  if (ref_path.empty()) {
    out.query = target.query ? target.query : base.query;
  } else {
    out.path = remove_dot_segments(ref_path.front() == '/' ? ref_path : merge_paths(base, ref_path));
    out.query = target.query;
  }
  // Re-parse the result so that a resolved URL obeys exactly the same rules.
  return parse_url(out.to_string());
}

} // namespace panel::core
