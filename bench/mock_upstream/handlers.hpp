#pragma once
// Internal to the routes: per-call context, reply helpers (replies.cpp) and
// the endpoint handlers (images in image_routes.cpp, chat and Responses in
// chat_routes.cpp).
#include "markers.hpp"
#include "mock_state.hpp"
#include "routes.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mock {

/// One API call being answered: the request, its stats record and its faults.
struct call_context {
  mock_state& state;
  request_view const& req;
  request_record& rec;
  fault_plan plan;
};

/// A JSON reply with `status`.
[[nodiscard]] reply json_reply(unsigned status, std::string body);

/// An OpenAI-style error: {"error":{"message","type","param","code"}}.
/// Empty `param`/`code` are written as null.
[[nodiscard]] reply error_reply(unsigned status, std::string_view message, std::string_view type,
                                std::string_view code = {}, std::string_view param = {});

/// The error an injected `[mock:status=N]` produces (type/code chosen per status).
[[nodiscard]] reply status_error_reply(unsigned status, std::string_view message);

/// Applies the prompt's markers, then returns the injected failure this call
/// must answer with (timeout, close, status, fail-every, --fail-rate), if any.
[[nodiscard]] std::optional<reply> injected_failure(call_context& ctx, std::string_view prompt);

/// Absolute URL of a published file.
[[nodiscard]] std::string file_url(call_context const& ctx, std::string_view name);

/// Parses "WxH" (each 16..4096) or "auto" (1024x1024).
[[nodiscard]] std::optional<std::pair<int, int>> parse_size(std::string_view size);

/// Deterministic 64-bit seed of a prompt (markers removed, so a marker does
/// not change the picture).
[[nodiscard]] std::uint64_t prompt_seed(std::string_view prompt);

/// Seed for the `index`-th image of one answer.
[[nodiscard]] std::uint64_t item_seed(std::uint64_t base, int index);

/// POST .../images/generations
[[nodiscard]] reply handle_generations(call_context& ctx);
/// POST .../images/edits (multipart/form-data)
[[nodiscard]] reply handle_edits(call_context& ctx);
/// POST .../responses
[[nodiscard]] reply handle_responses(call_context& ctx);
/// POST .../chat/completions (JSON, or SSE when streaming is asked for)
[[nodiscard]] reply handle_chat(call_context& ctx);

} // namespace mock
