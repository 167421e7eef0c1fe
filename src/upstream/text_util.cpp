#include "upstream/text_util.hpp"

#include <cctype>

namespace panel::upstream::detail {

namespace {
bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }
} // namespace

std::string_view utf8_prefix(std::string_view s, std::size_t max_chars) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!is_continuation(s[i])) {
      if (chars == max_chars) {
        return s.substr(0, i);
      }
      ++chars;
    }
  }
  return s;
}

std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (const char c : s) {
    if (!is_continuation(c)) {
      ++n;
    }
  }
  return n;
}

bool istarts_with_at(std::string_view s, std::size_t pos, std::string_view lit) {
  if (pos > s.size() || s.size() - pos < lit.size()) {
    return false;
  }
  for (std::size_t i = 0; i < lit.size(); ++i) {
    const auto a = static_cast<unsigned char>(s[pos + i]);
    const auto b = static_cast<unsigned char>(lit[i]);
    if (std::tolower(a) != std::tolower(b)) {
      return false;
    }
  }
  return true;
}

std::string remove_spaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    if (!is_space(c)) {
      out.push_back(c);
    }
  }
  return out;
}

} // namespace panel::upstream::detail
