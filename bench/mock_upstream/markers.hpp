#pragma once
// Per-request behaviour switches: `[mock:key=value]` markers inside a prompt and
// `X-Mock-<Key>: value` request headers map onto the same fault_plan.
#include <chrono>
#include <string>
#include <string_view>

namespace mock {

/// What a single request asked the mock to do besides answering normally.
struct fault_plan {
  unsigned status = 0;                 ///< [mock:status=N]: answer HTTP N with an error body (0 = no)
  std::string error_message;           ///< [mock:error-message=...]: message for that error body
  std::chrono::milliseconds delay{0};  ///< [mock:delay=MS]: extra delay before answering
  bool timeout = false;                ///< [mock:timeout]: never answer; hold the connection
  bool close = false;                  ///< [mock:close]: close the connection without answering
  bool malformed = false;              ///< [mock:malformed]: 200 with truncated JSON
  bool text_plain = false;             ///< [mock:text-plain]: JSON labelled text/plain
  unsigned fail_every = 0;             ///< [mock:fail-every=K]: every K-th such request fails with 500
  bool chat_sse = false;               ///< [mock:sse]: chat completions answer as text/event-stream
  std::string format;                  ///< [mock:format=png|jpeg|webp]: forced output format
  int count = 0;                       ///< [mock:count=K]: images per Responses/chat answer (1..10)
  std::string chat_style;              ///< [mock:chat=markdown|bare|dataurl]: how chat embeds the image
  std::string result_style;            ///< [mock:result=b64|url]: Responses `result` as base64 or URL
  std::string size;                    ///< [mock:size=WxH]: forced image size
};

/// Applies one `key`/`value` pair (key case-insensitive); false if the key is unknown.
bool apply_marker(fault_plan& plan, std::string_view key, std::string_view value);

/// Applies every `[mock:key]` / `[mock:key=value]` marker found in `text`.
void apply_prompt_markers(fault_plan& plan, std::string_view text);

/// Applies a request header when its name starts with `x-mock-` (any case):
/// `X-Mock-Status: 503` is the header form of `[mock:status=503]`.
void apply_header_marker(fault_plan& plan, std::string_view name, std::string_view value);

/// `text` without its `[mock:...]` markers (what a real model would have drawn).
[[nodiscard]] std::string strip_markers(std::string_view text);

} // namespace mock
