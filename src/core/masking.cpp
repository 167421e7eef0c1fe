#include "core/masking.hpp"

#include "core/json_writer.hpp"
#include "core/secrets.hpp"
#include "core/strings.hpp"
#include "core/url.hpp"

namespace panel::core {

namespace {

constexpr std::string_view stars = "***";

bool is_continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// How many UTF-8 code points `s` holds.
std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (char const c : s) {
    n += is_continuation(c) ? 0 : 1;
  }
  return n;
}

// The first `n` code points of `s`.
std::string_view head(std::string_view s, std::size_t n) {
  std::size_t i = 0;
  for (std::size_t seen = 0; i < s.size(); ++i) {
    if (!is_continuation(s[i]) && seen++ == n) {
      break;
    }
  }
  return s.substr(0, i);
}

// The last `n` code points of `s`.
std::string_view tail(std::string_view s, std::size_t n) {
  std::size_t i = s.size();
  for (std::size_t seen = 0; i > 0 && seen < n;) {
    --i;
    if (!is_continuation(s[i])) {
      ++seen;
    }
  }
  return s.substr(i);
}

} // namespace

std::string_view to_string(secret_source s) {
  switch (s) {
  case secret_source::empty:
    return "empty";
  case secret_source::stored:
    return "stored";
  case secret_source::env:
    return "env";
  }
  return "empty";
}

masked_secret mask_credential(std::string_view stored) {
  masked_secret out;
  auto const value = trim(stored);
  if (value.empty()) {
    out.masked = std::string{stars};
    return out;
  }
  out.present = true;
  if (auto name = env_ref_name(value)) {
    out.masked = std::string{value};
    out.source = secret_source::env;
    out.env_var = std::move(*name);
    return out;
  }
  out.source = secret_source::stored;
  if (code_points(value) <= 8) {
    out.masked = std::string{stars};
  } else {
    out.masked = std::string{head(value, 4)} + std::string{stars} + std::string{tail(value, 4)};
  }
  return out;
}

std::string mask_socks5_proxy(std::string_view stored) {
  auto const value = trim(stored);
  if (value.empty()) {
    return {};
  }
  if (is_env_ref(value)) {
    return std::string{value};
  }
  auto parsed = parse_url(value);
  if (!parsed || parsed->host.empty()) {
    return std::string{stars};
  }
  std::string out = parsed->scheme + "://";
  if (parsed->userinfo) {
    auto const& info = *parsed->userinfo;
    auto const colon = info.find(':');
    // A lone user name may itself be the credential: hide it too.
    out += colon == std::string::npos ? std::string{stars} : info.substr(0, colon) + ":" + std::string{stars};
    out += '@';
  }
  out += parsed->host_and_port();
  return out;
}

std::string mask_webhook_url(std::string_view stored) {
  auto const value = trim(stored);
  if (value.empty()) {
    return {};
  }
  if (is_env_ref(value)) {
    return std::string{value};
  }
  auto parsed = parse_url(value);
  if (!parsed || parsed->host.empty()) {
    return std::string{stars};
  }
  std::string out = parsed->scheme + "://";
  if (parsed->userinfo) {
    out += "***@";
  }
  out += parsed->host_and_port();
  if (!parsed->path.empty() && parsed->path != "/") {
    out += "/***";
  }
  if (parsed->query) {
    out += "?***";
  }
  if (parsed->fragment) {
    out += "#***";
  }
  return out;
}

void write_masked_credential(json_writer& w, std::string_view prefix, masked_secret const& m) {
  std::string const p{prefix};
  w.field(p + "_masked", m.masked);
  w.field("has_" + p, m.present);
  w.field(p + "_source", to_string(m.source));
  w.key(p + "_env_var");
  if (m.env_var.empty()) {
    w.null();
  } else {
    w.value(m.env_var);
  }
}

} // namespace panel::core
