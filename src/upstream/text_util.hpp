#pragma once
// Small text helpers private to src/upstream (previews, ASCII matching).

#include <cstddef>
#include <string>
#include <string_view>

namespace panel::upstream::detail {

/// The first `max_chars` code points of UTF-8 `s` (never cuts a sequence);
/// what Python's `text[:n]` shows in the original's messages.
[[nodiscard]] std::string_view utf8_prefix(std::string_view s, std::size_t max_chars);

/// Number of code points in UTF-8 `s` (continuation bytes not counted).
[[nodiscard]] std::size_t utf8_length(std::string_view s);

/// ASCII whitespace as Python's `str.strip()` sees it for ASCII text.
[[nodiscard]] constexpr bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/// True when `s` has `lit` at `pos`, ASCII case-insensitively.
[[nodiscard]] bool istarts_with_at(std::string_view s, std::size_t pos, std::string_view lit);

/// `s` with every ASCII whitespace character removed.
[[nodiscard]] std::string remove_spaces(std::string_view s);

} // namespace panel::upstream::detail
