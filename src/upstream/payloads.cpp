#include "upstream/payloads.hpp"

#include "core/json_writer.hpp"
#include "core/strings.hpp"

namespace panel::upstream {

bool sends_response_format(const generation_params& p) {
  return p.response_format.has_value() && *p.response_format != "none";
}

bool sends_output_compression(const generation_params& p) {
  return p.output_compression.has_value() && p.output_format != "png";
}

std::string build_generations_payload(const generation_params& p) {
  core::json_writer w;
  w.begin_object()
      .field("model", p.model)
      .field("prompt", p.prompt)
      .field("size", p.size)
      // Batches fan out as n calls of one image each (§4.4).
      .field("n", 1)
      .field("quality", p.quality)
      .field("output_format", p.output_format);
  if (sends_response_format(p)) {
    w.field("response_format", *p.response_format);
  }
  if (sends_output_compression(p)) {
    w.field("output_compression", *p.output_compression);
  }
  w.end_object();
  return std::move(w).str();
}

std::string build_responses_payload(const generation_params& p, std::string_view fallback_model) {
  const std::string_view model = core::trim(p.model).empty() ? fallback_model : std::string_view{p.model};
  core::json_writer w;
  w.begin_object().field("prompt", p.prompt).field("model", model).end_object();
  return std::move(w).str();
}

std::string build_chat_completions_payload(const generation_params& p) {
  core::json_writer w;
  w.begin_object().field("model", p.model).key("messages").begin_array();
  w.begin_object().field("role", "user").field("content", p.prompt).end_object();
  w.end_array().field("stream", false).end_object();
  return std::move(w).str();
}

} // namespace panel::upstream
