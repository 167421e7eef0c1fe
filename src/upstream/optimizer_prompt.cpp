#include "upstream/optimizer_prompt.hpp"

#include <simdjson.h>

#include "core/strings.hpp"
#include "upstream/text_util.hpp"

namespace panel::upstream {

namespace {

// Our own wording. What it must make the model do is fixed by spec §3.4: keep
// the user's idea, one descriptive paragraph, no buzzwords, no collages, only
// the prompt, and the language named by the "Target language" line.
constexpr std::string_view default_prompt = R"(# Role

You turn rough image ideas into prompts for `gpt-image-2`, an image model that understands plain, descriptive language. You are a careful prompt editor, not a co-author: the idea belongs to the user.

# What to keep

- The subject, the action and the composition the user asked for. Never swap the main subject, add a second focal point or change the camera angle unless the idea is clearly incomplete without it.
- Every concrete detail the user gave: names, colours, numbers, text that must appear in the image, aspect or framing hints.
- The intended style when one is named (photo, watercolour, pixel art, 3D render, ...).

# How to write the prompt

Write one flowing paragraph of natural sentences, the way you would describe a finished picture to someone who cannot see it. Cover, in a sensible order:

1. the subject and what it is doing;
2. the medium or visual style;
3. the setting and the background;
4. lighting, colour palette and mood;
5. lens, distance or viewpoint when they matter.

Be specific instead of emphatic: "late-afternoon light through dusty blinds" says more than "beautiful lighting".

# What to avoid

- Quality buzzwords and tag lists such as "masterpiece", "best quality", "ultra detailed", "8k", "trending on artstation".
- Turning one scene into panels, a grid, a collage, a comic strip or a before/after pair, unless the user asked for it.
- Comments, explanations, headings, lists, alternatives or questions in your answer.

# Output

Reply with the finished prompt only: no preface, no quotation marks around it, no Markdown code fences. Keep it under about 800 words; most good prompts need far fewer.

# Language

The user message starts with a `Target language:` line. `en` means write the prompt in English; `zh-CN` means write it in Simplified Chinese; `same as user's input language` means use the language the idea itself is written in. Text that must appear inside the image stays exactly as the user wrote it.)";

std::string to_lf(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') {
        ++i;
      }
    } else {
      out += text[i];
    }
  }
  return out;
}

} // namespace

std::string_view default_optimizer_system_prompt() {
  return default_prompt;
}

expected<std::string> normalise_system_prompt(std::string_view text) {
  auto const lf = to_lf(text);
  auto trimmed = std::string(core::trim(lf));
  if (trimmed.empty()) {
    return fail(errc::validation, "system_prompt - Prompt optimizer system prompt must not be empty");
  }
  if (detail::utf8_length(trimmed) > max_system_prompt_chars) {
    return fail(errc::validation, "system_prompt - Prompt optimizer system prompt must be at most " +
                                      std::to_string(max_system_prompt_chars) + " characters");
  }
  return trimmed;
}

system_prompt_state effective_system_prompt(std::optional<std::string> const& file_text) {
  system_prompt_state out{std::string(default_prompt), file_text.has_value()};
  if (file_text && simdjson::validate_utf8(file_text->data(), file_text->size())) {
    if (auto custom = normalise_system_prompt(*file_text)) {
      out.system_prompt = std::move(*custom);
    }
  }
  return out;
}

std::string system_prompt_file_content(std::string_view normalised) {
  std::string out{normalised};
  out += '\n';
  return out;
}

} // namespace panel::upstream
