#include "http/access_token.hpp"

#include <simdjson.h>

#include "core/crypto.hpp"
#include "core/strings.hpp"

namespace panel::http {

expected<std::string> mint_access_token(std::string_view key, std::int64_t exp) {
  if (key.empty()) {
    return fail(errc::internal, "access token signing key is not configured");
  }
  auto const payload = R"({"exp":)" + std::to_string(exp) + R"(,"scope":"access"})";
  auto const body = core::base64url_encode(payload);
  return body + "." + core::base64url_encode(core::hmac_sha256(key, body));
}

std::optional<std::int64_t> verify_access_token(std::string_view key, std::string_view token, std::int64_t now) {
  if (key.empty()) {
    return std::nullopt;
  }
  auto const dot = token.find('.');
  if (dot == std::string_view::npos) {
    return std::nullopt;
  }
  auto const body = token.substr(0, dot);
  auto const mac = token.substr(dot + 1);
  std::string given_mac;
  if (!core::base64url_decode(mac, given_mac) ||
      !core::constant_time_equal(given_mac, core::hmac_sha256(key, body))) {
    return std::nullopt;
  }
  std::string payload;
  if (!core::base64url_decode(body, payload)) {
    return std::nullopt;
  }
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(payload).get(doc) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  std::string_view scope;
  std::int64_t exp = 0;
  if (doc["scope"].get(scope) != simdjson::SUCCESS || scope != "access" ||
      doc["exp"].get(exp) != simdjson::SUCCESS || exp <= now) {
    return std::nullopt;
  }
  return exp;
}

std::optional<std::string> find_cookie(std::string_view cookie_header, std::string_view name) {
  for (auto const& part : core::split_list(cookie_header, ";")) {
    auto const eq = part.find('=');
    if (eq == std::string::npos) {
      continue;
    }
    if (core::trim(std::string_view{part}.substr(0, eq)) == name) {
      auto value = std::string(core::trim(std::string_view{part}.substr(eq + 1)));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      return value;
    }
  }
  return std::nullopt;
}

} // namespace panel::http
