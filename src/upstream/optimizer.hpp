#pragma once
// The prompt optimizer's upstream exchange (spec/API.md §6.10): the Chat
// Completions request it sends and the reading of the answer. Pure; the HTTP
// call, its timeout (504) and connection errors are the caller's.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/expected.hpp"

namespace panel::upstream {

/// What the optimizer is asked, as validated by POST /api/prompt/optimize.
struct optimizer_request {
  std::string model;                        ///< the configured optimizer model
  std::string system_prompt;                ///< custom file or the built-in default
  std::string prompt;                       ///< the user's image idea
  std::string target_language = "en";       ///< "en", "zh-CN" or "same"
  std::optional<std::string> api_path;      ///< image API path, for context only
  std::optional<std::string> image_model;   ///< image model, for context only
  std::optional<std::string> size;          ///< for context only
  std::optional<std::string> quality;       ///< for context only
};

/// The user message: "Target language: <en|zh-CN|same as user's input
/// language>\nImage API path: <p|unspecified>\nImage model: ...\nSize: ...\n
/// Quality: ...\n\nUser image idea:\n<prompt>" (blank values are "unspecified").
[[nodiscard]] std::string build_optimizer_user_message(const optimizer_request& r);

/// The request body: model, system + user messages, temperature 0.4,
/// max_tokens 900, stream false.
[[nodiscard]] std::string build_optimizer_payload(const optimizer_request& r);

/// The optimizer's answer, cleaned.
struct optimizer_reply {
  std::string optimized_prompt;
  std::string model; ///< the upstream's `model` when it names one, else the configured model
};

/// Markdown code fences at the start and end removed, trimmed, surrounding
/// double then single quotes stripped, trimmed again, cut to `max_chars` characters.
[[nodiscard]] std::string clean_optimizer_output(std::string_view text, std::size_t max_chars);

/// Reads the optimizer's HTTP answer. errc::upstream (502) with
/// "Optimizer upstream returned HTTP <s>" (status != 200),
/// "Optimizer returned non-JSON response",
/// "Optimizer response missing choices[0].message.content", or
/// "Optimizer returned empty content". The size cap is `check_response_size`
/// with label "Optimizer response" (size_guard.hpp).
[[nodiscard]] expected<optimizer_reply> parse_optimizer_response(int status, std::string_view body,
                                                                 std::string_view configured_model,
                                                                 std::size_t max_output_chars);

/// Label for the optimizer's response-size check.
inline constexpr std::string_view optimizer_response_label = "Optimizer response";

} // namespace panel::upstream
