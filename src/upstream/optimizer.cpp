#include "upstream/optimizer.hpp"

#include <cctype>

#include <simdjson.h>

#include "core/json_writer.hpp"
#include "core/strings.hpp"
#include "upstream/text_util.hpp"

namespace panel::upstream {

namespace {

std::string_view target_language_line(std::string_view lang) {
  const auto t = core::trim(lang);
  if (t == "zh-CN") {
    return "zh-CN";
  }
  if (t == "same") {
    return "same as user's input language";
  }
  return "en";
}

std::string_view or_unspecified(const std::optional<std::string>& v) {
  return v && !v->empty() ? std::string_view{*v} : std::string_view{"unspecified"};
}

// A fence line is "```" plus an optional language tag.
bool is_fence_line(std::string_view line) {
  if (!line.starts_with("```")) {
    return false;
  }
  for (const char c : line.substr(3)) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) == 0 && c != '-' && c != '_' && c != '+') {
      return false;
    }
  }
  return true;
}

std::string_view strip_char(std::string_view s, char c) {
  while (!s.empty() && s.front() == c) {
    s.remove_prefix(1);
  }
  while (!s.empty() && s.back() == c) {
    s.remove_suffix(1);
  }
  return s;
}

} // namespace

std::string build_optimizer_user_message(const optimizer_request& r) {
  std::string out;
  out += "Target language: ";
  out += target_language_line(r.target_language);
  out += "\nImage API path: ";
  out += or_unspecified(r.api_path);
  out += "\nImage model: ";
  out += or_unspecified(r.image_model);
  out += "\nSize: ";
  out += or_unspecified(r.size);
  out += "\nQuality: ";
  out += or_unspecified(r.quality);
  out += "\n\nUser image idea:\n";
  out += r.prompt;
  return out;
}

std::string build_optimizer_payload(const optimizer_request& r) {
  core::json_writer w;
  w.begin_object().field("model", r.model).key("messages").begin_array();
  w.begin_object().field("role", "system").field("content", r.system_prompt).end_object();
  w.begin_object().field("role", "user").field("content", build_optimizer_user_message(r)).end_object();
  w.end_array().field("temperature", 0.4).field("max_tokens", 900).field("stream", false).end_object();
  return std::move(w).str();
}

std::string clean_optimizer_output(std::string_view text, std::size_t max_chars) {
  auto t = core::trim(text);
  if (const auto nl = t.find('\n'); is_fence_line(t.substr(0, nl))) {
    t = nl == std::string_view::npos ? std::string_view{} : t.substr(nl + 1);
  }
  if (const auto nl = t.rfind('\n'); nl != std::string_view::npos && is_fence_line(core::trim(t.substr(nl + 1)))) {
    t = t.substr(0, nl);
  } else if (t == "```") {
    t = {};
  }
  t = core::trim(t);
  t = core::trim(strip_char(strip_char(t, '"'), '\''));
  return std::string(detail::utf8_prefix(t, max_chars));
}

expected<optimizer_reply> parse_optimizer_response(int status, std::string_view body,
                                                   std::string_view configured_model,
                                                   std::size_t max_output_chars) {
  if (status != 200) {
    return fail(errc::upstream, "Optimizer upstream returned HTTP " + std::to_string(status));
  }
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(body.data(), body.size()).get(doc) != simdjson::SUCCESS) {
    return fail(errc::upstream, "Optimizer returned non-JSON response");
  }
  simdjson::dom::element content;
  if (doc["choices"].at(0)["message"]["content"].get(content) != simdjson::SUCCESS) {
    return fail(errc::upstream, "Optimizer response missing choices[0].message.content");
  }
  if (content.is_null()) {
    return fail(errc::upstream, "Optimizer returned empty content");
  }
  std::string_view text;
  if (content.get_string().get(text) != simdjson::SUCCESS) {
    return fail(errc::upstream, "Optimizer response missing choices[0].message.content");
  }
  if (core::trim(text).empty()) {
    return fail(errc::upstream, "Optimizer returned empty content");
  }
  optimizer_reply reply;
  reply.optimized_prompt = clean_optimizer_output(text, max_output_chars);
  std::string_view model;
  reply.model = doc["model"].get_string().get(model) == simdjson::SUCCESS ? std::string(model)
                                                                         : std::string(configured_model);
  return reply;
}

} // namespace panel::upstream
