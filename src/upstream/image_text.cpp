#include "upstream/image_text.hpp"

#include <array>
#include <cctype>

#include "upstream/text_util.hpp"

namespace panel::upstream {

namespace {

using detail::is_space;
constexpr auto npos = std::string_view::npos;

bool is_data_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) != 0 || c == '+' || c == '/' || c == '=' || is_space(c);
}

struct data_url_match {
  std::size_t end = 0; ///< one past the last matched character
  image_ref ref;
};

// `data:image/(png|jpe?g|webp|gif|avif|bmp);base64,[A-Za-z0-9+/=\s]+` at `pos`,
// case-insensitively, hand-rolled: std::regex recurses per character and would
// overflow the stack on a multi-megabyte base64 payload.
std::optional<data_url_match> match_data_url(std::string_view s, std::size_t pos) {
  constexpr std::string_view head = "data:image/";
  if (!detail::istarts_with_at(s, pos, head)) {
    return std::nullopt;
  }
  std::size_t p = pos + head.size();
  constexpr std::array<std::string_view, 7> subtypes{"png", "jpeg", "jpg", "webp", "gif", "avif", "bmp"};
  std::string_view subtype;
  for (const auto t : subtypes) {
    if (detail::istarts_with_at(s, p, t) && detail::istarts_with_at(s, p + t.size(), ";base64,")) {
      subtype = t;
      break;
    }
  }
  if (subtype.empty()) {
    return std::nullopt;
  }
  const std::size_t data_begin = p + subtype.size() + std::string_view{";base64,"}.size();
  std::size_t end = data_begin;
  while (end < s.size() && is_data_char(s[end])) {
    ++end;
  }
  if (end == data_begin) {
    return std::nullopt;
  }
  data_url_match m;
  m.end = end;
  m.ref.kind = image_kind::data_url;
  m.ref.value = detail::remove_spaces(s.substr(data_begin, end - data_begin));
  m.ref.media_type = "image/" + std::string(subtype);
  return m;
}

// The optional ` "title"` and the closing `)` after a Markdown target.
std::size_t match_markdown_tail(std::string_view s, std::size_t p) {
  if (p < s.size() && is_space(s[p])) {
    std::size_t q = p;
    while (q < s.size() && is_space(s[q])) {
      ++q;
    }
    if (q < s.size() && (s[q] == '"' || s[q] == '\'')) {
      const auto close = s.find_first_of("\"'", q + 1);
      if (close != npos && close + 1 < s.size() && s[close + 1] == ')') {
        return close + 2;
      }
    }
  }
  if (p < s.size() && s[p] == ')') {
    return p + 1;
  }
  return npos;
}

struct markdown_match {
  std::size_t end = 0;
  std::string_view target;
};

// `!\[[^\]]*\]\((<[^>]+>|[^\s)]+)(\s+["'][^"']*["'])?\)` at `pos` (which holds "![").
std::optional<markdown_match> match_markdown_image(std::string_view s, std::size_t pos) {
  const auto close_alt = s.find(']', pos + 2);
  if (close_alt == npos || close_alt + 1 >= s.size() || s[close_alt + 1] != '(') {
    return std::nullopt;
  }
  const std::size_t t = close_alt + 2;
  if (t < s.size() && s[t] == '<') {
    const auto gt = s.find('>', t + 1);
    if (gt != npos && gt > t + 1) {
      if (const auto end = match_markdown_tail(s, gt + 1); end != npos) {
        return markdown_match{end, s.substr(t, gt - t + 1)};
      }
    }
  }
  std::size_t r = t;
  while (r < s.size() && !is_space(s[r]) && s[r] != ')') {
    ++r;
  }
  if (r == t) {
    return std::nullopt;
  }
  if (const auto end = match_markdown_tail(s, r); end != npos) {
    return markdown_match{end, s.substr(t, r - t)};
  }
  return std::nullopt;
}

bool ends_bare_url(char c) {
  return is_space(c) || c == '<' || c == '>' || c == '\'' || c == '"' || c == ')';
}

void find_data_urls(std::string_view text, std::vector<image_ref>& out) {
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == 'd' || text[i] == 'D') {
      if (auto m = match_data_url(text, i)) {
        append_unique(out, std::move(m->ref));
        i = m->end;
        continue;
      }
    }
    ++i;
  }
}

void find_markdown_images(std::string_view text, std::vector<image_ref>& out) {
  std::size_t i = text.find("![");
  while (i != npos) {
    if (auto m = match_markdown_image(text, i)) {
      if (auto ref = normalize_image_reference(m->target)) {
        append_unique(out, std::move(*ref));
      }
      i = text.find("![", m->end);
    } else {
      i = text.find("![", i + 1);
    }
  }
}

void find_bare_urls(std::string_view text, std::vector<image_ref>& out) {
  std::size_t i = text.find("http");
  while (i != npos) {
    std::size_t p = i + 4;
    if (p < text.size() && text[p] == 's') {
      ++p;
    }
    if (text.substr(p, 3) == "://") {
      std::size_t end = p + 3;
      while (end < text.size() && !ends_bare_url(text[end])) {
        ++end;
      }
      if (end > p + 3) {
        append_unique(out, image_ref{image_kind::url, std::string(text.substr(i, end - i)), {}});
        i = text.find("http", end);
        continue;
      }
    }
    i = text.find("http", i + 1);
  }
}

} // namespace

void append_unique(std::vector<image_ref>& out, image_ref ref) {
  if (ref.value.empty()) {
    return;
  }
  for (const auto& have : out) {
    if (is_inline(have.kind) == is_inline(ref.kind) && have.value == ref.value) {
      return;
    }
  }
  out.push_back(std::move(ref));
}

std::optional<image_ref> normalize_image_reference(std::string_view value) {
  std::string_view text = value;
  while (!text.empty() && is_space(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && is_space(text.back())) {
    text.remove_suffix(1);
  }
  while (!text.empty() && (text.front() == '<' || text.front() == '>')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == '<' || text.back() == '>')) {
    text.remove_suffix(1);
  }
  if (text.empty()) {
    return std::nullopt;
  }
  if (auto m = match_data_url(text, 0); m && m->end == text.size()) {
    if (m->ref.value.empty()) {
      return std::nullopt;
    }
    return std::move(m->ref);
  }
  if (text.starts_with("http://") || text.starts_with("https://")) {
    return image_ref{image_kind::url, std::string(text), {}};
  }
  return std::nullopt;
}

image_ref inline_image_ref(std::string_view value) {
  if (detail::istarts_with_at(value, 0, "data:")) {
    if (auto ref = normalize_image_reference(value)) {
      return std::move(*ref);
    }
  }
  return image_ref{image_kind::base64, std::string(value), {}};
}

std::vector<image_ref> find_image_refs(std::string_view text) {
  std::vector<image_ref> out;
  find_data_urls(text, out);
  find_markdown_images(text, out);
  find_bare_urls(text, out);
  return out;
}

} // namespace panel::upstream
