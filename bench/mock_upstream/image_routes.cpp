// POST .../images/generations and .../images/edits: both validate the same
// parameters and answer with the same `data` array of b64_json or url items.
#include "handlers.hpp"
#include "core/json_writer.hpp"
#include "multipart.hpp"

#include <simdjson.h>

#include <charconv>
#include <chrono>
#include <map>

namespace mock {

using panel::core::json_writer;
namespace {

struct image_params {
  std::string model = "gpt-image-1";
  std::optional<std::string> prompt;
  std::string size = "auto";
  long n = 1;
  std::string quality = "auto";
  std::string output_format = "png";
  long output_compression = 100;
  std::string response_format = "b64_json";
  std::string background = "auto";
  bool bad_number = false; ///< n or output_compression was not a number
};

long to_long(std::string_view s, bool& bad) {
  long v = 0;
  auto const [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || ptr != s.data() + s.size()) {
    bad = true;
  }
  return v;
}

void read_string(simdjson::dom::element const& doc, char const* key, std::string& out) {
  std::string_view v;
  if (doc[key].get_string().get(v) == simdjson::SUCCESS) {
    out = std::string{v};
  }
}

// The panel sends numbers, but some clients send "1"; accept both.
void read_long(simdjson::dom::element const& doc, char const* key, long& out, bool& bad) {
  auto v = doc[key];
  if (v.error() != simdjson::SUCCESS || v.is_null()) {
    return;
  }
  std::string_view s;
  if (v.is_int64()) {
    out = static_cast<long>(v.get_int64().value_unsafe());
  } else if (v.get_string().get(s) == simdjson::SUCCESS) {
    out = to_long(s, bad);
  } else {
    bad = true;
  }
}

std::string_view quality_reported(std::string_view q) {
  return q == "low" || q == "high" || q == "medium" ? q : "medium";
}

// Rough OpenAI-like token accounting: output tokens scale with area and quality.
std::int64_t output_tokens(int w, int h, std::string_view quality) {
  double const base = quality == "low" ? 272.0 : quality == "high" ? 4160.0 : 1056.0;
  return static_cast<std::int64_t>(base * (static_cast<double>(w) * h) / (1024.0 * 1024.0)) + 1;
}

// Validates `p` and answers with n generated images; `extra_seed` lets edits
// depend on their input image.
reply produce(call_context& ctx, image_params const& p, std::uint64_t extra_seed, std::int64_t input_image_tokens) {
  if (!p.prompt || p.prompt->empty()) {
    return error_reply(400, "Missing required parameter: 'prompt'.", "invalid_request_error",
                       "missing_required_parameter", "prompt");
  }
  ctx.rec.prompt = *p.prompt;
  if (auto failure = injected_failure(ctx, *p.prompt)) {
    return std::move(*failure);
  }
  if (p.bad_number || p.n < 1 || p.n > 10) {
    return error_reply(400, "Invalid value for 'n': expected an integer between 1 and 10.", "invalid_request_error",
                       "invalid_value", "n");
  }
  std::string const& fmt_text = ctx.plan.format.empty() ? p.output_format : ctx.plan.format;
  auto const fmt = parse_image_format(fmt_text);
  if (!fmt || fmt_text == "jpg") {
    return error_reply(400, "Invalid value: '" + fmt_text + "'. Supported values are: 'png', 'jpeg', and 'webp'.",
                       "invalid_request_error", "invalid_value", "output_format");
  }
  std::string const& size_text = ctx.plan.size.empty() ? p.size : ctx.plan.size;
  auto const size = parse_size(size_text);
  if (!size) {
    return error_reply(400,
                       "Invalid size '" + size_text +
                           "'. Use 'auto' or WIDTHxHEIGHT with each side between 16 and 4096 pixels.",
                       "invalid_request_error", "invalid_value", "size");
  }
  if (p.response_format != "b64_json" && p.response_format != "url") {
    return error_reply(400,
                       "Invalid value: '" + p.response_format + "'. Supported values are: 'url' and 'b64_json'.",
                       "invalid_request_error", "invalid_value", "response_format");
  }
  if (p.output_compression < 0 || p.output_compression > 100) {
    return error_reply(400, "Invalid value for 'output_compression': expected an integer between 0 and 100.",
                       "invalid_request_error", "invalid_value", "output_compression");
  }

  auto const [w, h] = *size;
  std::uint64_t const seed = prompt_seed(*p.prompt) ^ extra_seed;
  bool const as_url = p.response_format == "url";
  std::string const revised = strip_markers(*p.prompt);
  std::int64_t const created =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();

  json_writer out;
  out.begin_object().field("created", created);
  out.field("background", p.background == "transparent" ? "transparent" : "opaque");
  out.key("data").begin_array();
  for (int i = 0; i < p.n; ++i) {
    image_key const key{*fmt, w, h, item_seed(seed, i), static_cast<int>(std::max(1L, p.output_compression))};
    image_ptr img = ctx.state.images().get(key);
    if (!img) {
      return error_reply(500, "Mock image encoder failed", "server_error", "server_error");
    }
    out.begin_object();
    if (as_url) {
      out.field("url", file_url(ctx, ctx.state.publish(img)));
    } else {
      out.key("b64_json").plain_string(img->base64);
    }
    out.field("revised_prompt", revised).end_object();
  }
  out.end_array();
  out.field("output_format", format_name(*fmt)).field("quality", quality_reported(p.quality));
  out.field("size", std::to_string(w) + "x" + std::to_string(h));
  std::int64_t const text_tokens = static_cast<std::int64_t>(revised.size() / 4) + 1;
  std::int64_t const out_tokens = output_tokens(w, h, quality_reported(p.quality)) * p.n;
  out.key("usage").begin_object();
  out.field("input_tokens", text_tokens + input_image_tokens);
  out.key("input_tokens_details").begin_object();
  out.field("image_tokens", input_image_tokens).field("text_tokens", text_tokens).end_object();
  out.field("output_tokens", out_tokens).field("total_tokens", text_tokens + input_image_tokens + out_tokens);
  out.end_object().end_object();
  return json_reply(200, out.take());
}

} // namespace

reply handle_generations(call_context& ctx) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(ctx.req.body.data(), ctx.req.body.size()).get(doc) != simdjson::SUCCESS || !doc.is_object()) {
    return error_reply(400,
                       "We could not parse the JSON body of your request. (HINT: This likely means you aren't "
                       "using your HTTP library correctly.)",
                       "invalid_request_error");
  }
  if (ctx.req.body.size() <= 256 * 1024) {
    ctx.rec.body_json = std::string{ctx.req.body};
  }
  image_params p;
  read_string(doc, "model", p.model);
  std::string prompt;
  if (doc["prompt"].get_string().error() == simdjson::SUCCESS) {
    read_string(doc, "prompt", prompt);
    p.prompt = std::move(prompt);
  }
  read_string(doc, "size", p.size);
  read_long(doc, "n", p.n, p.bad_number);
  read_string(doc, "quality", p.quality);
  read_string(doc, "output_format", p.output_format);
  read_long(doc, "output_compression", p.output_compression, p.bad_number);
  read_string(doc, "response_format", p.response_format);
  read_string(doc, "background", p.background);
  return produce(ctx, p, 0, 0);
}

reply handle_edits(call_context& ctx) {
  auto const boundary = multipart_boundary(ctx.req.header("content-type"));
  if (!boundary) {
    return error_reply(400,
                       "Invalid Content-Type header (" + std::string{ctx.req.header("content-type")} +
                           "), expected multipart/form-data.",
                       "invalid_request_error");
  }
  form_parse_result form = parse_multipart(ctx.req.body, *boundary);
  if (!form.error.empty()) {
    return error_reply(400, "Could not parse multipart form: " + form.error, "invalid_request_error");
  }

  image_params p;
  std::map<std::string, std::string> fields;
  json_writer rec;
  rec.begin_object().key("files").begin_array();
  std::vector<form_part const*> images;
  for (auto const& part : form.parts) {
    if (part.filename) {
      rec.begin_object().field("field", part.name).field("filename", *part.filename);
      rec.field("content_type", part.content_type).field("bytes", static_cast<std::int64_t>(part.data.size()));
      rec.end_object();
      if (part.name == "image" || part.name == "image[]") {
        images.push_back(&part);
      }
    } else {
      fields[part.name] = std::string{part.data};
    }
  }
  rec.end_array().key("fields").begin_object();
  for (auto const& [name, value] : fields) {
    rec.field(name, value);
  }
  rec.end_object().end_object();
  ctx.rec.body_json = rec.take();

  auto field = [&](char const* name, std::string& out) {
    if (auto it = fields.find(name); it != fields.end()) {
      out = it->second;
    }
  };
  field("model", p.model);
  if (auto it = fields.find("prompt"); it != fields.end()) {
    p.prompt = it->second;
    ctx.rec.prompt = it->second;
  }
  field("size", p.size);
  field("quality", p.quality);
  field("output_format", p.output_format);
  field("response_format", p.response_format);
  field("background", p.background);
  if (auto it = fields.find("n"); it != fields.end()) {
    p.n = to_long(it->second, p.bad_number);
  }
  if (auto it = fields.find("output_compression"); it != fields.end()) {
    p.output_compression = to_long(it->second, p.bad_number);
  }
  if (images.empty()) {
    return error_reply(400, "Missing required parameter: 'image'.", "invalid_request_error",
                       "missing_required_parameter", "image");
  }
  // The first source image steers the picture, so different uploads differ.
  std::uint64_t h = 0xcbf29ce484222325ULL;
  std::string_view const first = images.front()->data.substr(0, 64 * 1024);
  for (char c : first) {
    h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  }
  return produce(ctx, p, h, 194 * static_cast<std::int64_t>(images.size()));
}

} // namespace mock
