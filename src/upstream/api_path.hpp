#pragma once
// The four upstream API paths the panel speaks (spec/API.md §6).

#include <optional>
#include <string_view>

namespace panel::upstream {

/// One upstream endpoint family; each has its own payload and result rules.
enum class api_path {
  images_generations, ///< /v1/images/generations: JSON in, `data[]` out
  images_edits,       ///< /v1/images/edits: multipart in, `data[]` out
  responses,          ///< /v1/responses: `image_generation_call` output items
  chat_completions,   ///< /v1/chat/completions: images referenced in the reply (JSON or SSE)
};

/// The path text, e.g. "/v1/images/generations".
[[nodiscard]] std::string_view to_string(api_path p);

/// The path for its exact text (surrounding whitespace ignored); nullopt for anything else.
[[nodiscard]] std::optional<api_path> parse_api_path(std::string_view text);

} // namespace panel::upstream
