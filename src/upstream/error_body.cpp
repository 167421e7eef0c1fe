#include "upstream/error_body.hpp"

#include <array>
#include <cctype>
#include <optional>

#include <simdjson.h>

#include "core/strings.hpp"
#include "upstream/results.hpp"
#include "upstream/text_util.hpp"

namespace panel::upstream {

namespace {

constexpr std::size_t max_raw_chars = 500;
constexpr std::size_t max_message_chars = 2000; // what a job row keeps

std::optional<std::string> string_at(const simdjson::dom::object& obj, std::string_view key) {
  std::string_view s;
  if (obj.at_key(key).get_string().get(s) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return std::string(s);
}

// The OpenAI, FastAPI and generic shapes, in that order of trust.
std::optional<std::string> json_message(std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  simdjson::dom::object obj;
  if (parser.parse(body.data(), body.size()).get(doc) != simdjson::SUCCESS ||
      doc.get_object().get(obj) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  simdjson::dom::object err;
  if (obj.at_key("error").get_object().get(err) == simdjson::SUCCESS) {
    if (auto m = string_at(err, "message")) {
      return m;
    }
  }
  if (auto m = string_at(obj, "error")) {
    return m;
  }
  simdjson::dom::element detail;
  if (obj.at_key("detail").get(detail) == simdjson::SUCCESS && !detail.is_null()) {
    std::string_view s;
    if (detail.get_string().get(s) == simdjson::SUCCESS) {
      return std::string(s);
    }
    return simdjson::to_string(detail);
  }
  return string_at(obj, "message");
}

// RFC 7235 token68: what a bearer credential is made of.
bool is_token_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) != 0 || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/' || c == '=';
}

void replace_all(std::string& text, std::string_view needle, std::string_view with) {
  std::size_t pos = 0;
  while ((pos = text.find(needle, pos)) != std::string::npos) {
    text.replace(pos, needle.size(), with);
    pos += with.size();
  }
}

} // namespace

std::string redact_secrets(std::string_view text, std::string_view secret) {
  std::string out(text);
  if (secret.size() >= 4) {
    replace_all(out, secret, "***");
  }
  std::size_t pos = 0;
  while (pos < out.size()) {
    if (!detail::istarts_with_at(out, pos, "bearer ")) {
      ++pos;
      continue;
    }
    const std::size_t begin = pos + 7;
    std::size_t end = begin;
    while (end < out.size() && is_token_char(out[end])) {
      ++end;
    }
    if (end > begin) {
      out.replace(begin, end - begin, "***");
      pos = begin + 3;
    } else {
      pos = begin;
    }
  }
  return out;
}

std::string upstream_error_message(int status, std::string_view content_type, std::string_view body,
                                   std::string_view secret) {
  std::string message;
  if (is_json_response(content_type, body)) {
    if (auto m = json_message(body); m && !core::trim(*m).empty()) {
      message = std::move(*m);
    }
  }
  if (message.empty()) {
    message = std::string(detail::utf8_prefix(core::trim(body), max_raw_chars));
  }
  if (message.empty()) {
    message = "HTTP " + std::to_string(status);
  }
  message = redact_secrets(message, secret);
  return std::string(detail::utf8_prefix(message, max_message_chars));
}

bool is_edits_unsupported(int status, std::string_view message) {
  if (status == 404 || status == 405 || status == 501) {
    return true;
  }
  constexpr std::array<std::string_view, 6> markers{"not support", "not_supported", "unsupported",
                                                    "not found",   "unknown endpoint", "no route"};
  const auto lower = core::to_lower(message);
  for (const auto m : markers) {
    if (lower.find(m) != std::string::npos) {
      return true;
    }
  }
  return false;
}

error upstream_http_error(api_path path, int status, std::string_view content_type, std::string_view body,
                          std::string_view secret) {
  const auto message = upstream_error_message(status, content_type, body, secret);
  const auto code = std::to_string(status);
  if (path == api_path::images_edits && is_edits_unsupported(status, message)) {
    return error{errc::upstream, "Upstream API does not support /v1/images/edits (" + code + "): " + message};
  }
  return error{errc::upstream, "Upstream API error (" + code + "): " + message};
}

} // namespace panel::upstream
