#include "upstream/results.hpp"

#include <array>
#include <optional>

#include <simdjson.h>

#include "core/strings.hpp"
#include "upstream/error_body.hpp"
#include "upstream/image_text.hpp"
#include "upstream/results_detail.hpp"
#include "upstream/text_util.hpp"

namespace panel::upstream {

namespace detail {

std::string with_preview(std::string_view prefix, std::string_view body) {
  std::string out(prefix);
  out += ": ";
  out += utf8_prefix(body, 200);
  return out;
}

error no_image_data(std::string_view body) {
  return error{errc::upstream, with_preview("No image data in upstream response", body)};
}

error non_json(int status, std::string_view body) {
  return error{errc::upstream, with_preview("Upstream returned non-JSON (" + std::to_string(status) + ")", body)};
}

} // namespace detail

namespace {

using simdjson::dom::element;

std::string_view lstrip(std::string_view s) {
  while (!s.empty() && detail::is_space(s.front())) {
    s.remove_prefix(1);
  }
  return s;
}

// A data URL given as `url` is decoded inline: the download rules (§6.8)
// would only refuse it for not being https.
image_ref url_ref(std::string_view value) {
  if (detail::istarts_with_at(value, 0, "data:")) {
    if (auto ref = normalize_image_reference(value)) {
      return std::move(*ref);
    }
  }
  return image_ref{image_kind::url, std::string(value), {}};
}

std::string_view non_empty_string(const simdjson::dom::object& obj, std::string_view key) {
  std::string_view s;
  if (obj.at_key(key).get_string().get(s) != simdjson::SUCCESS) {
    return {};
  }
  return s;
}

// Parses a JSON object body under the §6.2 rules shared by the image paths.
expected<simdjson::dom::object> parse_object(simdjson::dom::parser& parser, int status,
                                             std::string_view content_type, std::string_view body) {
  if (!is_json_response(content_type, body)) {
    return tl::unexpected(error{
        errc::upstream,
        detail::with_preview("Upstream returned non-JSON content-type (" + std::to_string(status) + ")", body)});
  }
  element doc;
  if (parser.parse(body.data(), body.size()).get(doc) != simdjson::SUCCESS) {
    return tl::unexpected(detail::non_json(status, body));
  }
  simdjson::dom::object obj;
  if (doc.get_object().get(obj) != simdjson::SUCCESS) {
    return fail(errc::upstream, "Upstream JSON response must be an object");
  }
  return obj;
}

// §6.4: string -> URL or base64; object -> first of the known keys; array ->
// first element that yields an image.
std::optional<image_ref> response_result(element value) {
  std::string_view s;
  if (value.get_string().get(s) == simdjson::SUCCESS) {
    if (s.empty()) {
      return std::nullopt;
    }
    if (s.starts_with("http://") || s.starts_with("https://")) {
      return image_ref{image_kind::url, std::string(s), {}};
    }
    return inline_image_ref(s);
  }
  simdjson::dom::object obj;
  if (value.get_object().get(obj) == simdjson::SUCCESS) {
    constexpr std::array<std::string_view, 5> keys{"url", "b64_json", "base64", "data", "result"};
    for (const auto key : keys) {
      element child;
      if (obj.at_key(key).get(child) == simdjson::SUCCESS) {
        if (auto ref = response_result(child)) {
          return ref;
        }
      }
    }
    return std::nullopt;
  }
  simdjson::dom::array arr;
  if (value.get_array().get(arr) == simdjson::SUCCESS) {
    for (element item : arr) {
      if (auto ref = response_result(item)) {
        return ref;
      }
    }
  }
  return std::nullopt;
}

} // namespace

bool is_json_content_type(std::string_view content_type) {
  const auto media = core::to_lower(core::trim(content_type.substr(0, content_type.find(';'))));
  return media == "application/json" || media.ends_with("+json");
}

bool is_json_response(std::string_view content_type, std::string_view body) {
  const auto rest = lstrip(body);
  return is_json_content_type(content_type) || rest.starts_with('{') || rest.starts_with('[');
}

bool is_sse_response(std::string_view content_type, std::string_view body) {
  return core::to_lower(content_type).find("text/event-stream") != std::string::npos ||
         lstrip(body).starts_with("data:");
}

expected<std::vector<image_ref>> extract_data_images(int status, std::string_view content_type,
                                                     std::string_view body) {
  // One parser per thread: its buffers, sized to multi-megabyte b64_json
  // answers, are reused instead of allocated and faulted in for every image.
  thread_local simdjson::dom::parser parser;
  auto obj = parse_object(parser, status, content_type, body);
  if (!obj) {
    return tl::unexpected(obj.error());
  }
  element data;
  if (obj->at_key("data").get(data) != simdjson::SUCCESS || data.is_null()) {
    return tl::unexpected(detail::no_image_data(body));
  }
  simdjson::dom::array items;
  if (data.get_array().get(items) != simdjson::SUCCESS) {
    return fail(errc::upstream, "Upstream image data must be an array");
  }
  std::vector<image_ref> out;
  for (element item : items) {
    simdjson::dom::object fields;
    if (item.get_object().get(fields) == simdjson::SUCCESS) {
      if (const auto b64 = non_empty_string(fields, "b64_json"); !b64.empty()) {
        out.push_back(inline_image_ref(b64));
        continue;
      }
      if (const auto url = non_empty_string(fields, "url"); !url.empty()) {
        out.push_back(url_ref(url));
        continue;
      }
    }
    return tl::unexpected(
        error{errc::upstream, detail::with_preview("No image data (b64_json or url) in upstream response", body)});
  }
  if (out.empty()) {
    return tl::unexpected(detail::no_image_data(body));
  }
  return out;
}

expected<std::vector<image_ref>> extract_responses_images(int status, std::string_view content_type,
                                                          std::string_view body) {
  // One parser per thread: its buffers, sized to multi-megabyte b64_json
  // answers, are reused instead of allocated and faulted in for every image.
  thread_local simdjson::dom::parser parser;
  auto obj = parse_object(parser, status, content_type, body);
  if (!obj) {
    return tl::unexpected(obj.error());
  }
  std::vector<image_ref> out;
  simdjson::dom::array output;
  if (obj->at_key("output").get_array().get(output) == simdjson::SUCCESS) {
    for (element item : output) {
      std::string_view type;
      if (item["type"].get_string().get(type) != simdjson::SUCCESS || type != "image_generation_call") {
        continue;
      }
      element result;
      if (item["result"].get(result) != simdjson::SUCCESS) {
        continue;
      }
      if (auto ref = response_result(result)) {
        out.push_back(std::move(*ref));
      }
    }
  }
  if (out.empty()) {
    return tl::unexpected(detail::no_image_data(body));
  }
  return out;
}

expected<std::vector<image_ref>> extract_images(api_path path, int status, std::string_view content_type,
                                                std::string_view body, std::string_view secret) {
  if (status >= 400) {
    return tl::unexpected(upstream_http_error(path, status, content_type, body, secret));
  }
  switch (path) {
  case api_path::images_generations:
  case api_path::images_edits: return extract_data_images(status, content_type, body);
  case api_path::responses: return extract_responses_images(status, content_type, body);
  case api_path::chat_completions: return extract_chat_images(status, content_type, body);
  }
  return fail(errc::internal, "Unknown upstream API path");
}

} // namespace panel::upstream
