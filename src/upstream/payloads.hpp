#pragma once
// JSON request bodies for the three JSON upstream paths (spec/API.md §6.3-§6.5).
// Pure: each builder returns the exact compact JSON text that is POSTed.

#include <optional>
#include <string>
#include <string_view>

namespace panel::upstream {

/// The image parameters of one job, as validated by the HTTP layer (§3.6).
/// Plain value; copied freely between the job actor and its children.
struct generation_params {
  std::string model;
  std::string prompt;
  std::string size = "auto";
  std::string quality = "auto";
  std::string output_format = "png";
  std::optional<int> output_compression;      ///< sent only when format != png
  std::optional<std::string> response_format; ///< nullopt or "none": not sent
  int n = 1;                                  ///< requested images (edits send it; generations fan out)
};

/// The default of DEFAULT_RESPONSES_MODEL (§15), used when the caller has no config at hand.
inline constexpr std::string_view default_responses_model = "gpt-5.4";

/// True when `response_format` is to be sent (present and not "none").
[[nodiscard]] bool sends_response_format(const generation_params& p);

/// True when `output_compression` is to be sent (present and format is not png).
[[nodiscard]] bool sends_output_compression(const generation_params& p);

/// `/v1/images/generations` body for one child call: model, prompt, size,
/// `"n":1` always, quality, output_format, then response_format and
/// output_compression when they are sent.
[[nodiscard]] std::string build_generations_payload(const generation_params& p);

/// `/v1/responses` body, exactly `{"prompt":...,"model":...}`; a blank model
/// becomes `fallback_model` (DEFAULT_RESPONSES_MODEL).
[[nodiscard]] std::string build_responses_payload(const generation_params& p,
                                                  std::string_view fallback_model = default_responses_model);

/// `/v1/chat/completions` body, exactly
/// `{"model":...,"messages":[{"role":"user","content":<prompt>}],"stream":false}`.
[[nodiscard]] std::string build_chat_completions_payload(const generation_params& p);

} // namespace panel::upstream
