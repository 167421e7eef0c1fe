#include "store/job_record.hpp"

#include <charconv>
#include <cmath>

#include <simdjson.h>

#include "core/json_writer.hpp"

namespace panel::store {

namespace {

// Python's json.dumps writes a float as "1250.0", never "1250"; keep that
// shape so clients see the same text as from the Python panel.
std::string float_text(double value) {
  if (!std::isfinite(value)) {
    return "null";
  }
  double const rounded = std::round(value * 100.0) / 100.0;
  char buf[64];
  auto const result = std::to_chars(buf, buf + sizeof buf, rounded);
  std::string text{buf, result.ptr};
  if (text.find_first_of(".eE") == std::string::npos) {
    text += ".0";
  }
  return text;
}



void write_images(core::json_writer& out, std::vector<job_image> const& images) {
  out.begin_array();
  for (job_image const& image : images) {
    out.begin_object();
    out.field("image_id", std::string_view{image.image_id});
    out.field("image_url", std::string_view{image.image_url});
    out.field("filename", std::string_view{image.filename});
    out.field("image_width", image.image_width);
    out.field("image_height", image.image_height);
    out.end_object();
  }
  out.end_array();
}

void write_timings(core::json_writer& out, std::map<std::string, double> const& timings) {
  out.begin_object();
  for (auto const& [stage, ms] : timings) {
    out.key(stage).raw(float_text(ms));
  }
  out.end_object();
}

std::optional<std::int64_t> optional_int(simdjson::dom::object const& object, std::string_view key) {
  std::int64_t number = 0;
  if (object.at_key(key).get_int64().get(number) == simdjson::SUCCESS) {
    return number;
  }
  double real = 0.0;
  if (object.at_key(key).get_double().get(real) == simdjson::SUCCESS && std::isfinite(real)) {
    return static_cast<std::int64_t>(real);
  }
  return std::nullopt;
}

std::string string_or_empty(simdjson::dom::object const& object, std::string_view key) {
  std::string_view text;
  if (object.at_key(key).get_string().get(text) == simdjson::SUCCESS) {
    return std::string{text};
  }
  return {};
}

} // namespace

bool is_active_status(std::string_view status) noexcept {
  return status == job_status::queued || status == job_status::running;
}

std::string to_json(job_record const& job) {
  core::json_writer out;
  out.begin_object();
  out.field("job_id", std::string_view{job.job_id});
  out.field("status", std::string_view{job.status});
  out.field("message", job.message);
  out.field("stage", job.stage);
  out.field("operation", job.operation);
  out.field("id", job.image_id);
  out.field("image_id", job.image_id);
  out.field("image_url", job.image_url);
  out.key("images");
  write_images(out, job.images);
  out.field("prompt", job.prompt);
  out.field("size", job.size);
  out.field("created_at", std::string_view{job.created_at});
  out.field("started_at", job.started_at);
  out.field("updated_at", std::string_view{job.updated_at});
  out.field("completed_at", job.completed_at);
  out.field("image_width", job.image_width);
  out.field("image_height", job.image_height);
  out.field("model", job.model);
  out.field("quality", job.quality);
  out.field("output_format", job.output_format);
  out.field("output_compression", job.output_compression);
  out.field("response_format", job.response_format);
  out.field("n", job.n);
  out.field("api_path", job.api_path);
  out.field("api_preset_name", job.api_preset_name);
  out.field("duration", job.duration);
  out.key("stage_timings");
  write_timings(out, job.stage_timings);
  out.field("error", job.error);
  out.end_object();
  return out.take();
}

std::string images_to_json(std::vector<job_image> const& images) {
  core::json_writer out;
  write_images(out, images);
  return out.take();
}

std::string stage_timings_to_json(std::map<std::string, double> const& timings) {
  core::json_writer out;
  write_timings(out, timings);
  return out.take();
}

std::vector<job_image> parse_images_json(std::string_view text) {
  std::vector<job_image> images;
  if (text.empty()) {
    return images;
  }
  // A damaged column must not hide the whole job: read it as "no images".
  simdjson::dom::parser parser;
  simdjson::dom::array array;
  if (parser.parse(text.data(), text.size()).get_array().get(array) != simdjson::SUCCESS) {
    return images;
  }
  for (simdjson::dom::element element : array) {
    simdjson::dom::object object;
    if (element.get_object().get(object) != simdjson::SUCCESS) {
      continue;
    }
    job_image image;
    image.image_id = string_or_empty(object, "image_id");
    image.image_url = string_or_empty(object, "image_url");
    image.filename = string_or_empty(object, "filename");
    image.image_width = optional_int(object, "image_width");
    image.image_height = optional_int(object, "image_height");
    images.push_back(std::move(image));
  }
  return images;
}

std::map<std::string, double> parse_stage_timings_json(std::string_view text) {
  std::map<std::string, double> timings;
  if (text.empty()) {
    return timings;
  }
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(text.data(), text.size()).get_object().get(object) != simdjson::SUCCESS) {
    return timings;
  }
  for (auto field : object) {
    double ms = 0.0;
    if (field.value.get_double().get(ms) == simdjson::SUCCESS) {
      timings[std::string{field.key}] = ms;
    }
  }
  return timings;
}

std::string last_path_segment(std::string_view url) {
  auto const end = url.find_first_of("?#");
  if (end != std::string_view::npos) {
    url = url.substr(0, end);
  }
  auto const slash = url.rfind('/');
  return std::string{slash == std::string_view::npos ? url : url.substr(slash + 1)};
}

} // namespace panel::store
