#include "upstream/api_path.hpp"

#include <array>
#include <utility>

#include "core/strings.hpp"

namespace panel::upstream {

namespace {
constexpr std::array<std::pair<api_path, std::string_view>, 4> paths{{
    {api_path::images_generations, "/v1/images/generations"},
    {api_path::images_edits, "/v1/images/edits"},
    {api_path::responses, "/v1/responses"},
    {api_path::chat_completions, "/v1/chat/completions"},
}};
} // namespace

std::string_view to_string(api_path p) {
  for (const auto& [value, text] : paths) {
    if (value == p) {
      return text;
    }
  }
  return {};
}

std::optional<api_path> parse_api_path(std::string_view text) {
  const auto wanted = core::trim(text);
  for (const auto& [value, path] : paths) {
    if (path == wanted) {
      return value;
    }
  }
  return std::nullopt;
}

} // namespace panel::upstream
