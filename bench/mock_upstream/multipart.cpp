#include "multipart.hpp"

#include <algorithm>
#include <cctype>

namespace mock {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

// Parses "Name: value" lines of one part header block into `part`.
bool parse_part_headers(std::string_view block, form_part& part, std::string& error) {
  bool has_disposition = false;
  while (!block.empty()) {
    std::size_t const eol = block.find("\r\n");
    std::string_view const line = block.substr(0, eol);
    block = eol == std::string_view::npos ? std::string_view{} : block.substr(eol + 2);
    if (line.empty()) {
      continue;
    }
    std::size_t const colon = line.find(':');
    if (colon == std::string_view::npos) {
      error = "malformed part header line";
      return false;
    }
    std::string_view const name = trim(line.substr(0, colon));
    std::string_view const value = trim(line.substr(colon + 1));
    if (iequals(name, "content-disposition")) {
      has_disposition = true;
      auto n = header_param(value, "name");
      if (!n) {
        error = "Content-Disposition without name";
        return false;
      }
      part.name = std::move(*n);
      part.filename = header_param(value, "filename");
    } else if (iequals(name, "content-type")) {
      part.content_type = std::string{value};
    }
  }
  if (!has_disposition) {
    error = "part without Content-Disposition";
  }
  return has_disposition;
}

} // namespace

std::optional<std::string> header_param(std::string_view v, std::string_view param) {
  // Skip the first token (the disposition type or media type).
  std::size_t pos = v.find(';');
  while (pos != std::string_view::npos) {
    ++pos;
    while (pos < v.size() && (v[pos] == ' ' || v[pos] == '\t')) {
      ++pos;
    }
    std::size_t const eq = v.find('=', pos);
    if (eq == std::string_view::npos) {
      return std::nullopt;
    }
    std::string_view const key = trim(v.substr(pos, eq - pos));
    std::string value;
    std::size_t i = eq + 1;
    if (i < v.size() && v[i] == '"') {
      // Quoted string; a backslash escapes the next character.
      for (++i; i < v.size() && v[i] != '"'; ++i) {
        if (v[i] == '\\' && i + 1 < v.size()) {
          ++i;
        }
        value.push_back(v[i]);
      }
      pos = v.find(';', i);
    } else {
      std::size_t const end = v.find(';', i);
      value = std::string{trim(v.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i))};
      pos = end;
    }
    if (iequals(key, param)) {
      return value;
    }
  }
  return std::nullopt;
}

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  std::string_view const type = trim(content_type.substr(0, content_type.find(';')));
  if (!iequals(type, "multipart/form-data")) {
    return std::nullopt;
  }
  auto b = header_param(content_type, "boundary");
  if (!b || b->empty() || b->size() > 200) {
    return std::nullopt;
  }
  return b;
}

form_parse_result parse_multipart(std::string_view body, std::string_view boundary) {
  form_parse_result result;
  std::string const dash_boundary = "--" + std::string{boundary};
  std::string const delimiter = "\r\n" + dash_boundary;

  // The first boundary may follow a preamble, or open the body without a CRLF.
  std::size_t pos = 0;
  if (body.substr(0, dash_boundary.size()) != dash_boundary) {
    pos = body.find(delimiter);
    if (pos == std::string_view::npos) {
      result.error = "multipart boundary not found";
      return result;
    }
    pos += 2;
  }
  pos += dash_boundary.size();

  for (;;) {
    if (body.substr(pos, 2) == "--") {
      return result; // close delimiter
    }
    // Transport padding (spaces/tabs) may follow a boundary before its CRLF.
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) {
      ++pos;
    }
    if (body.substr(pos, 2) != "\r\n") {
      result.error = "malformed multipart boundary line";
      return result;
    }
    pos += 2;
    std::size_t const headers_end = body.find("\r\n\r\n", pos);
    // A part with no headers at all starts directly with the blank line.
    std::size_t const blank_first = body.substr(pos, 2) == "\r\n" ? pos : std::string_view::npos;
    std::size_t const hdr_end = blank_first != std::string_view::npos ? pos : headers_end;
    if (hdr_end == std::string_view::npos) {
      result.error = "unterminated part headers";
      return result;
    }
    form_part part;
    if (!parse_part_headers(body.substr(pos, hdr_end - pos), part, result.error)) {
      return result;
    }
    std::size_t const data_start = hdr_end + (blank_first != std::string_view::npos ? 2 : 4);
    std::size_t const next = body.find(delimiter, data_start);
    if (next == std::string_view::npos) {
      result.error = "unterminated multipart body (missing closing boundary)";
      return result;
    }
    part.data = body.substr(data_start, next - data_start);
    result.parts.push_back(std::move(part));
    pos = next + delimiter.size();
  }
}

} // namespace mock
