#pragma once
// The prompt optimizer's system prompt (spec/API.md §3.4): the built-in default,
// the normalisation applied to a custom one, and which of the two is in force.
// Pure; the file DATA_DIR/prompt_optimizer_system_prompt.md is read and written
// by the prompt handlers on a store thread.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/expected.hpp"

namespace panel::upstream {

/// Longest system prompt accepted, in characters.
inline constexpr std::size_t max_system_prompt_chars = 20000;

/// File name of the custom system prompt inside DATA_DIR.
inline constexpr std::string_view system_prompt_file_name = "prompt_optimizer_system_prompt.md";

/// The built-in system prompt (Markdown, about 2 KB, no trailing newline).
[[nodiscard]] std::string_view default_optimizer_system_prompt();

/// CRLF and CR become LF, then surrounding whitespace is trimmed. errc::validation
/// (field `system_prompt`) with "Prompt optimizer system prompt must not be empty"
/// or "Prompt optimizer system prompt must be at most 20000 characters".
[[nodiscard]] expected<std::string> normalise_system_prompt(std::string_view text);

/// The system prompt in force and whether a custom file exists.
struct system_prompt_state {
  std::string system_prompt;
  bool customized = false;
};

/// From the custom file's content (nullopt: no file): its normalised text when
/// it is valid UTF-8 and normalises, else the default; `customized` = the file exists.
[[nodiscard]] system_prompt_state effective_system_prompt(std::optional<std::string> const& file_text);

/// What is written to the file for a normalised prompt: the text plus one "\n".
[[nodiscard]] std::string system_prompt_file_content(std::string_view normalised);

} // namespace panel::upstream
