// Chat Completions answers (spec/API.md §6.5): JSON or SSE, text assembled per
// choice, image references from that text first, then from a walk of the
// whole JSON tree. Declared in results.hpp.
#include <charconv>
#include <cstdint>

#include <simdjson.h>

#include "core/strings.hpp"
#include "upstream/image_text.hpp"
#include "upstream/results.hpp"
#include "upstream/results_detail.hpp"
#include "upstream/sse_events.hpp"
#include "upstream/text_util.hpp"

namespace panel::upstream {

namespace {

using simdjson::dom::element;

std::int64_t choice_index(const simdjson::dom::object& choice) {
  element v;
  if (choice.at_key("index").get(v) != simdjson::SUCCESS) {
    return 0;
  }
  std::int64_t i = 0;
  double d = 0;
  bool b = false;
  std::string_view s;
  if (v.get_int64().get(i) == simdjson::SUCCESS) {
    return i;
  }
  if (v.get_double().get(d) == simdjson::SUCCESS) {
    return static_cast<std::int64_t>(d);
  }
  if (v.get_bool().get(b) == simdjson::SUCCESS) {
    return b ? 1 : 0;
  }
  if (v.get_string().get(s) == simdjson::SUCCESS) {
    const auto t = core::trim(s);
    std::from_chars(t.data(), t.data() + t.size(), i);
    return i;
  }
  return 0;
}

struct choice_text {
  std::int64_t index = 0;
  std::string text;
  bool has_chunk = false;
};

class chat_collector {
public:
  /// Text assembly and tree walk over one answer object or SSE event.
  void add_event(element event) {
    simdjson::dom::object obj;
    if (event.get_object().get(obj) != simdjson::SUCCESS) {
      walk(event, "");
      return;
    }
    for (auto field : obj) {
      simdjson::dom::array choices;
      if (field.key == "choices" && field.value.get_array().get(choices) == simdjson::SUCCESS) {
        for (element choice : choices) {
          add_choice(choice);
        }
      } else {
        walk(field.value, field.key);
      }
    }
  }

  chat_reply finish() && {
    chat_reply reply;
    for (auto& c : texts_) {
      if (!c.has_chunk) {
        continue;
      }
      for (auto& ref : find_image_refs(c.text)) {
        append_unique(reply.images, std::move(ref));
      }
      reply.texts.push_back(std::move(c.text));
    }
    for (auto& ref : walked_) {
      append_unique(reply.images, std::move(ref));
    }
    return reply;
  }

private:
  choice_text& text_for(std::int64_t index) {
    for (auto& c : texts_) {
      if (c.index == index) {
        return c;
      }
    }
    texts_.push_back(choice_text{index, {}, false});
    return texts_.back();
  }

  void add_choice(element choice) {
    simdjson::dom::object obj;
    if (choice.get_object().get(obj) != simdjson::SUCCESS) {
      walk(choice, "choices");
      return;
    }
    auto& text = text_for(choice_index(obj));
    for (auto field : obj) {
      simdjson::dom::object container;
      const bool is_container = field.key == "message" || field.key == "delta";
      if (!is_container || field.value.get_object().get(container) != simdjson::SUCCESS) {
        walk(field.value, field.key);
        continue;
      }
      for (auto part : container) {
        std::string_view s;
        const bool is_string = part.value.get_string().get(s) == simdjson::SUCCESS;
        if (is_string && part.key == "content") {
          // Scanned once as assembled text: a URL split across stream chunks
          // must not also be found as its broken halves.
          text.text += s;
          text.has_chunk = true;
        } else if (is_string && part.key == "reasoning_content") {
          // The model's thinking is not its answer (§6.5).
        } else {
          walk(part.value, part.key);
        }
      }
    }
  }

  void walk(element value, std::string_view key_hint) {
    std::string_view s;
    if (value.get_string().get(s) == simdjson::SUCCESS) {
      if (key_hint == "url" || key_hint == "image_url") {
        if (auto ref = normalize_image_reference(s)) {
          append_unique(walked_, std::move(*ref));
        }
      } else if (key_hint == "b64_json" || key_hint == "base64") {
        append_unique(walked_, inline_image_ref(core::trim(s)));
      } else {
        for (auto& ref : find_image_refs(s)) {
          append_unique(walked_, std::move(ref));
        }
      }
      return;
    }
    simdjson::dom::array arr;
    if (value.get_array().get(arr) == simdjson::SUCCESS) {
      for (element item : arr) {
        walk(item, key_hint);
      }
      return;
    }
    simdjson::dom::object obj;
    if (value.get_object().get(obj) == simdjson::SUCCESS) {
      for (auto field : obj) {
        walk(field.value, field.key);
      }
    }
  }

  std::vector<choice_text> texts_;
  std::vector<image_ref> walked_;
};

} // namespace

expected<chat_reply> parse_chat_reply(int status, std::string_view content_type, std::string_view body) {
  thread_local simdjson::dom::parser parser; // reused buffers, as in results.cpp
  chat_collector collector;
  if (is_json_response(content_type, body)) {
    element doc;
    if (parser.parse(body.data(), body.size()).get(doc) != simdjson::SUCCESS) {
      return tl::unexpected(detail::non_json(status, body));
    }
    if (!doc.is_object()) {
      return fail(errc::upstream, "Upstream chat response must be an object");
    }
    collector.add_event(doc);
    return std::move(collector).finish();
  }
  if (!is_sse_response(content_type, body)) {
    return tl::unexpected(error{
        errc::upstream,
        detail::with_preview("Upstream returned unsupported content-type (" + std::to_string(status) + ")", body)});
  }
  const auto payloads = sse_data_payloads(body);
  for (const auto& data : payloads) {
    element event;
    if (parser.parse(data).get(event) != simdjson::SUCCESS) {
      return tl::unexpected(error{errc::upstream, detail::with_preview("Upstream returned malformed SSE JSON", data)});
    }
    // `event` lives only until the next parse: use it fully now.
    collector.add_event(event);
  }
  if (payloads.empty()) {
    return tl::unexpected(
        error{errc::upstream, detail::with_preview("No SSE chat completion events in upstream response", body)});
  }
  return std::move(collector).finish();
}

expected<std::vector<image_ref>> extract_chat_images(int status, std::string_view content_type,
                                                     std::string_view body) {
  auto reply = parse_chat_reply(status, content_type, body);
  if (!reply) {
    return tl::unexpected(reply.error());
  }
  if (reply->images.empty()) {
    return tl::unexpected(detail::no_image_data(body));
  }
  return std::move(reply->images);
}

} // namespace panel::upstream
