// job_request: what one child call of a job sends upstream (spec §6.2-§6.6) and
// the §4.3 stage texts around it. Pure, apart from read_edit_body's file reads.

#include "actors/job_request.hpp"

#include <fstream>
#include <iterator>

#include "upstream/edit_form.hpp"
#include "upstream/size_guard.hpp"

namespace panel::actors {

std::string_view extract_stage(upstream::api_path p) {
  switch (p) {
  case upstream::api_path::images_edits: return "extracting_edit_data";
  case upstream::api_path::responses: return "extracting_response_image_output";
  case upstream::api_path::chat_completions: return "extracting_chat_completion_image_output";
  default: return "extracting_generation_data";
  }
}

std::string_view extract_message(upstream::api_path p) {
  switch (p) {
  case upstream::api_path::images_edits: return "Extracting edited image data array";
  case upstream::api_path::responses: return "Extracting image_generation_call output";
  case upstream::api_path::chat_completions: return "Extracting Chat Completions image output";
  default: return "Extracting image data array";
  }
}

upstream_post_request make_upstream_request(job_spec const& spec, std::shared_ptr<const std::string> edit_body,
                                            std::string const& edit_content_type) {
  upstream_post_request req;
  req.url = spec.url;
  req.headers = {"Authorization: Bearer " + spec.api_key, "User-Agent: opencode"};
  switch (spec.path) {
  case upstream::api_path::images_edits:
    req.body = shared_text{std::move(edit_body)};
    req.content_type = edit_content_type;
    break;
  case upstream::api_path::responses:
    req.body = shared_text{std::make_shared<const std::string>(upstream::build_responses_payload(spec.params))};
    req.content_type = "application/json";
    break;
  case upstream::api_path::chat_completions:
    req.body = shared_text{std::make_shared<const std::string>(upstream::build_chat_completions_payload(spec.params))};
    req.content_type = "application/json";
    req.size_label = std::string(upstream::chat_response_label);
    break;
  default:
    req.body = shared_text{std::make_shared<const std::string>(upstream::build_generations_payload(spec.params))};
    req.content_type = "application/json";
    break;
  }
  req.timeout_ms = spec.upstream_timeout_ms;
  req.socks5_proxy = spec.socks5_proxy;
  req.context = core::url_context::upstream_api;
  req.cancel_key = spec.job_id;
  return req;
}

std::pair<std::string, std::string> building_stage(job_spec const& spec) {
  switch (spec.path) {
  case upstream::api_path::images_edits: return {"building_edit_form", "Building multipart edit request"};
  case upstream::api_path::responses: return {"building_responses_payload", "Building Responses API payload"};
  case upstream::api_path::chat_completions:
    return {"building_chat_completions_payload", "Building Chat Completions API payload"};
  default: return {"building_generation_payload", "Building image generation payload"};
  }
}

local_ptr<edit_body> read_edit_body(job_spec const& spec) {
  edit_body out;
  std::vector<upstream::edit_source> sources;
  for (auto const& s : spec.sources) {
    std::ifstream in{s.path, std::ios::binary};
    if (!in) {
      out.error = "Failed to read staged edit source image";
      return make_local(std::move(out));
    }
    auto bytes = std::make_shared<std::vector<std::uint8_t>>(std::istreambuf_iterator<char>{in},
                                                             std::istreambuf_iterator<char>{});
    if (in.bad()) {
      out.error = "Failed to read staged edit source image";
      return make_local(std::move(out));
    }
    sources.push_back(upstream::edit_source{std::move(bytes), s.filename, s.content_type});
  }
  auto const boundary = upstream::make_multipart_boundary();
  out.content_type = upstream::multipart_content_type(boundary);
  out.body = std::make_shared<const std::string>(upstream::build_edit_form(spec.params, sources, boundary));
  return make_local(std::move(out));
}

} // namespace panel::actors
