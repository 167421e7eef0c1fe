#include "core/secrets.hpp"

#include <cstdlib>

#include "core/strings.hpp"
#include "core/url.hpp"

namespace panel::core {

namespace {

bool is_name_start(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9');
}

tl::unexpected<error> refuse(std::string message) {
  return fail(errc::validation, std::move(message));
}

// The parser's own words for a URL it cannot read at all, under the field's name.
tl::unexpected<error> unreadable(std::string_view field, error const& why) {
  return refuse(std::string{field} + " must be a valid URL (" + why.message + ")");
}

constexpr std::string_view no_hostname = "Invalid URL: no hostname";
constexpr std::string_view invalid_port = "Invalid URL: invalid port";

} // namespace

bool is_env_ref(std::string_view text) {
  return env_ref_name(text).has_value();
}

std::optional<std::string> env_ref_name(std::string_view text) {
  auto const t = trim(text);
  if (t.size() < 4 || !t.starts_with("${") || !t.ends_with('}')) {
    return std::nullopt;
  }
  auto const name = t.substr(2, t.size() - 3);
  if (!is_name_start(name.front())) {
    return std::nullopt;
  }
  for (char const c : name) {
    if (!is_name_char(c)) {
      return std::nullopt;
    }
  }
  return std::string{name};
}

secret_value resolve_secret(std::string_view stored) {
  secret_value out;
  if (auto name = env_ref_name(stored)) {
    // getenv is safe to call concurrently: nothing modifies the environment
    // after startup (export_dotenv runs before any thread).
    char const* raw = std::getenv(name->c_str());
    out.value = raw == nullptr ? std::string{} : std::string{trim(raw)};
    out.missing = out.value.empty();
    out.env_var = std::move(*name);
    return out;
  }
  out.value = std::string{trim(stored)};
  return out;
}

expected<std::string> normalise_api_url(std::string_view text) {
  auto const trimmed = trim(text);
  if (trimmed.empty()) {
    return refuse("API URL must not be empty");
  }
  // The original reads the port before anything else, so a bad port wins.
  auto parsed = parse_url(trimmed);
  if (!parsed && parsed.error().message == invalid_port) {
    return refuse("API URL must include a valid port");
  }
  if (url_scheme_of(trimmed) != "https") {
    return refuse("API URL must use https://");
  }
  if (!parsed) {
    if (parsed.error().message == no_hostname) {
      return refuse("API URL must include a hostname");
    }
    return unreadable("API URL", parsed.error());
  }
  if (parsed->host.empty()) {
    return refuse("API URL must include a hostname");
  }
  if (parsed->userinfo) {
    return refuse("API URL must not include username or password");
  }
  if (parsed->query || parsed->fragment) {
    return refuse("API URL must not include query strings or fragments");
  }
  std::string_view path = parsed->path;
  while (!path.empty() && path.back() == '/') {
    path.remove_suffix(1);
  }
  std::string out{"https://"};
  out += parsed->host_and_port();
  out += path;
  return out;
}

expected<std::string> normalise_webhook_url(std::string_view text) {
  auto const trimmed = trim(text);
  if (url_scheme_of(trimmed) != "https") {
    return refuse("Webhook URL must use https://");
  }
  auto parsed = parse_url(trimmed);
  if (!parsed) {
    if (parsed.error().message == no_hostname) {
      return refuse("Webhook URL must include a hostname");
    }
    if (parsed.error().message == invalid_port) {
      return refuse("Webhook URL must include a valid port");
    }
    return unreadable("Webhook URL", parsed.error());
  }
  if (parsed->host.empty()) {
    return refuse("Webhook URL must include a hostname");
  }
  return parsed->to_string();
}

expected<std::string> normalise_socks5_url(std::string_view text) {
  auto const trimmed = trim(text);
  if (url_scheme_of(trimmed) != "socks5") {
    return refuse("SOCKS5 proxy URL must use socks5://");
  }
  auto parsed = parse_url(trimmed);
  if (!parsed) {
    if (parsed.error().message == no_hostname) {
      return refuse("SOCKS5 proxy URL must include a hostname");
    }
    if (parsed.error().message == invalid_port) {
      return refuse("SOCKS5 proxy URL must include a valid port");
    }
    return unreadable("SOCKS5 proxy URL", parsed.error());
  }
  if (parsed->host.empty()) {
    return refuse("SOCKS5 proxy URL must include a hostname");
  }
  if (!parsed->port) {
    return refuse("SOCKS5 proxy URL must include a port");
  }
  if (parsed->query || parsed->fragment) {
    return refuse("SOCKS5 proxy URL must not include query strings or fragments");
  }
  if (!parsed->path.empty() && parsed->path != "/") {
    return refuse("SOCKS5 proxy URL must not include a path");
  }
  std::string out{"socks5://"};
  if (parsed->userinfo) {
    out += *parsed->userinfo;
    out += '@';
  }
  out += parsed->host_for_url();
  out += ':';
  out += std::to_string(*parsed->port);
  return out;
}

void export_dotenv(std::map<std::string, std::string> const& dotenv) {
  for (auto const& [name, value] : dotenv) {
    if (name.empty() || name.find('=') != std::string::npos) {
      continue;
    }
    // overwrite = 0: a variable already in the environment wins over .env.
    ::setenv(name.c_str(), value.c_str(), 0);
  }
}

} // namespace panel::core
