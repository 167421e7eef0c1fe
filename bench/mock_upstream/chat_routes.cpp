// POST .../responses and .../chat/completions: the two text-model paths that
// return images inside a larger answer (an image_generation_call item, or a
// Markdown link in the assistant message, optionally streamed as SSE).
#include "handlers.hpp"
#include "core/json_writer.hpp"

#include <simdjson.h>

#include <chrono>

namespace mock {

using panel::core::json_writer;
namespace {

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Text of a message `content`: a string, or the text parts of a parts array.
std::optional<std::string> content_text(simdjson::dom::element content) {
  std::string_view s;
  if (content.get_string().get(s) == simdjson::SUCCESS) {
    return std::string{s};
  }
  simdjson::dom::array parts;
  if (content.get_array().get(parts) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  std::optional<std::string> out;
  for (simdjson::dom::element part : parts) {
    std::string_view text;
    if (part["text"].get_string().get(text) == simdjson::SUCCESS) {
      out = out ? *out + "\n" + std::string{text} : std::string{text};
    }
  }
  return out;
}

// The last user message's text in a chat `messages` / Responses `input` array.
std::optional<std::string> last_user_text(simdjson::dom::element list) {
  simdjson::dom::array items;
  if (list.get_array().get(items) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  std::optional<std::string> found;
  for (simdjson::dom::element item : items) {
    std::string_view role;
    if (item["role"].get_string().get(role) == simdjson::SUCCESS && role != "user") {
      continue;
    }
    simdjson::dom::element content;
    if (item["content"].get(content) == simdjson::SUCCESS) {
      if (auto text = content_text(content)) {
        found = std::move(text);
      }
    }
  }
  return found;
}

std::string_view string_or(simdjson::dom::element const& obj, char const* key, std::string_view fallback) {
  std::string_view v;
  return obj[key].get_string().get(v) == simdjson::SUCCESS ? v : fallback;
}

struct made_image {
  image_ptr image;
  std::string url; ///< set when the image was published
};

// The images a text-model answer carries: count, format and size come from
// markers (the real APIs decide these themselves).
std::optional<std::vector<made_image>> make_images(call_context& ctx, std::string_view prompt, bool publish,
                                                   image_format fallback_format, std::string_view size_text) {
  auto fmt = ctx.plan.format.empty() ? std::optional{fallback_format} : parse_image_format(ctx.plan.format);
  auto size = parse_size(ctx.plan.size.empty() ? size_text : std::string_view{ctx.plan.size});
  if (!fmt || !size) {
    return std::nullopt;
  }
  std::uint64_t const seed = prompt_seed(prompt);
  std::vector<made_image> out;
  for (int i = 0; i < std::max(1, ctx.plan.count); ++i) {
    image_ptr img = ctx.state.images().get(image_key{*fmt, size->first, size->second, item_seed(seed, i), 90});
    if (!img) {
      return std::nullopt;
    }
    std::string url = publish ? file_url(ctx, ctx.state.publish(img)) : std::string{};
    out.push_back({std::move(img), std::move(url)});
  }
  return out;
}

reply bad_json() {
  return error_reply(400,
                     "We could not parse the JSON body of your request. (HINT: This likely means you aren't using "
                     "your HTTP library correctly.)",
                     "invalid_request_error");
}

std::string chat_chunk(std::string_view id, std::int64_t created, std::string_view model,
                       void (*delta)(json_writer&, std::string_view), std::string_view text, bool finish) {
  json_writer w;
  w.begin_object().field("id", id).field("object", "chat.completion.chunk").field("created", created);
  w.field("model", model).key("system_fingerprint").null();
  w.key("choices").begin_array().begin_object().field("index", 0);
  w.key("delta").begin_object();
  delta(w, text);
  w.end_object().key("logprobs").null().key("finish_reason");
  finish ? w.value("stop") : w.null();
  w.end_object().end_array().end_object();
  return "data: " + w.take() + "\n\n";
}

} // namespace

reply handle_responses(call_context& ctx) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(ctx.req.body.data(), ctx.req.body.size()).get(doc) != simdjson::SUCCESS || !doc.is_object()) {
    return bad_json();
  }
  if (ctx.req.body.size() <= 256 * 1024) {
    ctx.rec.body_json = std::string{ctx.req.body};
  }
  std::string_view const model = string_or(doc, "model", "gpt-5.4");
  // The panel sends {"prompt": ...}; the official API uses `input`. Accept both.
  std::optional<std::string> prompt;
  std::string_view s;
  simdjson::dom::element input;
  if (doc["prompt"].get_string().get(s) == simdjson::SUCCESS) {
    prompt = std::string{s};
  } else if (doc["input"].get(input) == simdjson::SUCCESS) {
    prompt = input.is_string() ? content_text(input) : last_user_text(input);
  }
  if (!prompt || prompt->empty()) {
    return error_reply(400, "Missing required parameter: 'input'.", "invalid_request_error",
                       "missing_required_parameter", "input");
  }
  ctx.rec.prompt = *prompt;
  // Image options may come from an image_generation tool entry.
  std::string_view size = "auto";
  std::string_view fmt_name = "png";
  std::string_view quality = "medium";
  simdjson::dom::array tools;
  if (doc["tools"].get_array().get(tools) == simdjson::SUCCESS) {
    for (simdjson::dom::element tool : tools) {
      std::string_view type;
      if (tool["type"].get_string().get(type) == simdjson::SUCCESS && type == "image_generation") {
        size = string_or(tool, "size", size);
        fmt_name = string_or(tool, "output_format", fmt_name);
        quality = string_or(tool, "quality", quality);
      }
    }
  }
  std::string const model_name{model};
  std::string const size_text{size};
  auto const fallback = parse_image_format(fmt_name).value_or(image_format::png);
  std::string const quality_text{quality == "auto" ? "medium" : quality};
  if (auto failure = injected_failure(ctx, *prompt)) {
    return std::move(*failure);
  }
  bool const as_url = ctx.plan.result_style == "url";
  auto images = make_images(ctx, *prompt, as_url, fallback, size_text);
  if (!images) {
    return error_reply(400, "Invalid image size or format", "invalid_request_error", "invalid_value");
  }
  std::string const revised = strip_markers(*prompt);
  json_writer w;
  w.begin_object().field("id", ctx.state.new_id("resp_", 48)).field("object", "response");
  w.field("created_at", unix_now()).field("status", "completed").key("error").null();
  w.key("incomplete_details").null().field("model", model_name).key("output").begin_array();
  for (auto const& img : *images) {
    image_key const& k = img.image->key;
    w.begin_object().field("id", ctx.state.new_id("ig_", 48)).field("type", "image_generation_call");
    w.field("status", "completed").field("background", "opaque").field("output_format", format_name(k.format));
    w.field("quality", quality_text).field("size", std::to_string(k.width) + "x" + std::to_string(k.height));
    w.field("revised_prompt", revised).key("result");
    as_url ? w.value(img.url) : w.plain_string(img.image->base64);
    w.end_object();
  }
  w.begin_object().field("id", ctx.state.new_id("msg_", 48)).field("type", "message").field("status", "completed");
  w.field("role", "assistant").key("content").begin_array().begin_object().field("type", "output_text");
  w.key("annotations").begin_array().end_array().key("logprobs").begin_array().end_array();
  w.field("text", "Here is the generated image.").end_object().end_array().end_object();
  w.end_array().field("parallel_tool_calls", true);
  std::int64_t const in_tokens = static_cast<std::int64_t>(prompt->size() / 4) + 12;
  w.key("usage").begin_object().field("input_tokens", in_tokens);
  w.key("input_tokens_details").begin_object().field("cached_tokens", 0).end_object();
  w.field("output_tokens", 9).key("output_tokens_details").begin_object().field("reasoning_tokens", 0).end_object();
  w.field("total_tokens", in_tokens + 9).end_object().end_object();
  return json_reply(200, w.take());
}

reply handle_chat(call_context& ctx) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(ctx.req.body.data(), ctx.req.body.size()).get(doc) != simdjson::SUCCESS || !doc.is_object()) {
    return bad_json();
  }
  if (ctx.req.body.size() <= 256 * 1024) {
    ctx.rec.body_json = std::string{ctx.req.body};
  }
  std::string const model{string_or(doc, "model", "gpt-4.1")};
  bool stream = false;
  if (doc["stream"].get_bool().get(stream) != simdjson::SUCCESS) {
    stream = false;
  }
  simdjson::dom::element messages;
  std::optional<std::string> prompt;
  if (doc["messages"].get(messages) == simdjson::SUCCESS) {
    prompt = last_user_text(messages);
  }
  if (!prompt) {
    return error_reply(400, "Missing required parameter: 'messages'.", "invalid_request_error",
                       "missing_required_parameter", "messages");
  }
  ctx.rec.prompt = *prompt;
  if (auto failure = injected_failure(ctx, *prompt)) {
    return std::move(*failure);
  }
  std::string const& style = ctx.plan.chat_style;
  auto images = make_images(ctx, *prompt, style != "dataurl", image_format::png, "1024x1024");
  if (!images) {
    return error_reply(400, "Invalid image size or format", "invalid_request_error", "invalid_value");
  }
  std::string content = "Here is the image you asked for.\n";
  for (auto const& img : *images) {
    if (style == "dataurl") {
      content += "\n![image](data:" + std::string{format_mime(img.image->key.format)} + ";base64," +
                 img.image->base64 + ")";
    } else if (style == "bare") {
      content += "\nImage ready: " + img.url;
    } else {
      content += "\n![image](" + img.url + ")";
    }
  }

  std::string const id = ctx.state.new_id("chatcmpl-", 29);
  std::int64_t const created = unix_now();
  if (!stream && !ctx.plan.chat_sse) {
    json_writer w;
    w.begin_object().field("id", id).field("object", "chat.completion").field("created", created);
    w.field("model", model).key("choices").begin_array().begin_object().field("index", 0);
    w.key("message").begin_object().field("role", "assistant").field("content", content);
    w.key("refusal").null().end_object().key("logprobs").null().field("finish_reason", "stop");
    w.end_object().end_array();
    std::int64_t const in_tokens = static_cast<std::int64_t>(prompt->size() / 4) + 8;
    std::int64_t const out_tokens = static_cast<std::int64_t>(content.size() / 4) + 1;
    w.key("usage").begin_object().field("prompt_tokens", in_tokens).field("completion_tokens", out_tokens);
    w.field("total_tokens", in_tokens + out_tokens).end_object().end_object();
    return json_reply(200, w.take());
  }

  reply r;
  r.content_type = "text/event-stream";
  r.headers.emplace_back("Cache-Control", "no-cache");
  auto role = [](json_writer& w, std::string_view) { w.field("role", "assistant").field("content", ""); };
  auto reasoning = [](json_writer& w, std::string_view t) { w.field("reasoning_content", t); };
  auto text = [](json_writer& w, std::string_view t) { w.field("content", t); };
  auto none = [](json_writer&, std::string_view) {};
  r.sse.push_back(chat_chunk(id, created, model, role, "", false));
  r.sse.push_back(chat_chunk(id, created, model, reasoning, "Drawing the requested image.", false));
  // Small pieces so a client must concatenate deltas to see the whole link.
  std::size_t const piece = content.size() > 4096 ? 64 * 1024 : 24;
  for (std::size_t off = 0; off < content.size(); off += piece) {
    r.sse.push_back(chat_chunk(id, created, model, text, std::string_view{content}.substr(off, piece), false));
  }
  r.sse.push_back(chat_chunk(id, created, model, none, "", true));
  r.sse.push_back("data: [DONE]\n\n");
  return r;
}

} // namespace mock
