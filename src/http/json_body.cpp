#include "http/json_body.hpp"

#include <algorithm>

namespace panel::http {

namespace {
std::size_t utf8_length(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}
} // namespace

error validation_error(std::string_view field, std::string_view message) {
  return error{errc::validation, std::string(field) + " - " + std::string(message)};
}

expected<std::unique_ptr<json_body>> json_body::parse(std::string_view body,
                                                      std::initializer_list<std::string_view> allowed) {
  auto out = std::unique_ptr<json_body>(new json_body());
  out->text_ = simdjson::padded_string(body);
  simdjson::dom::element doc;
  if (out->parser_.parse(out->text_).get(doc) != simdjson::SUCCESS) {
    return tl::unexpected(validation_error("body", "JSON decode error"));
  }
  if (doc.get(out->root_) != simdjson::SUCCESS) {
    return tl::unexpected(validation_error("body", "Input should be a valid dictionary"));
  }
  std::string problems;
  for (auto field : out->root_) {
    if (std::find(allowed.begin(), allowed.end(), field.key) == allowed.end()) {
      problems += (problems.empty() ? "" : "; ") + std::string(field.key) + " - Extra inputs are not permitted";
    }
  }
  if (!problems.empty()) {
    return fail(errc::validation, problems);
  }
  return out;
}

expected<std::string> json_body::required_string(std::string_view key, std::size_t min_len,
                                                 std::size_t max_len) const {
  simdjson::dom::element v;
  if (root_.at_key(key).get(v) != simdjson::SUCCESS) {
    return tl::unexpected(validation_error(key, "Field required"));
  }
  std::string_view s;
  if (v.get(s) != simdjson::SUCCESS) {
    return tl::unexpected(validation_error(key, "Input should be a valid string"));
  }
  auto const n = utf8_length(s);
  if (n < min_len) {
    return tl::unexpected(validation_error(
        key, "String should have at least " + std::to_string(min_len) + (min_len == 1 ? " character" : " characters")));
  }
  if (n > max_len) {
    return tl::unexpected(validation_error(key, "String should have at most " + std::to_string(max_len) + " characters"));
  }
  return std::string(s);
}

expected<std::optional<std::string>> json_body::optional_string(std::string_view key) const {
  simdjson::dom::element v;
  if (root_.at_key(key).get(v) != simdjson::SUCCESS || v.is_null()) {
    return std::optional<std::string>{};
  }
  std::string_view s;
  if (v.get(s) != simdjson::SUCCESS) {
    return tl::unexpected(validation_error(key, "Input should be a valid string"));
  }
  return std::optional<std::string>{std::string(s)};
}

} // namespace panel::http
