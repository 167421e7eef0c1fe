#include "http/multipart.hpp"

#include <algorithm>
#include <vector>

#include "core/strings.hpp"
#include "http/message.hpp"

namespace panel::http {

namespace {

constexpr std::string_view malformed = "Invalid multipart/form-data body";
// Transport padding allowed after a delimiter (RFC 2046 §5.1.1), bounded.
constexpr std::size_t max_padding = 256;

// Splits "a; b=c; d=\"e;f\"" on the semicolons outside quotes.
std::vector<std::string_view> split_params(std::string_view s) {
  std::vector<std::string_view> out;
  bool quoted = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && quoted) {
      ++i;
    } else if (s[i] == '"') {
      quoted = !quoted;
    } else if (s[i] == ';' && !quoted) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  out.push_back(s.substr(start));
  return out;
}

// A parameter value: a quoted string (backslash escapes) or a token.
std::string unquote(std::string_view v) {
  v = core::trim(v);
  if (v.size() < 2 || v.front() != '"' || v.back() != '"') {
    return std::string(v);
  }
  v = v.substr(1, v.size() - 2);
  std::string out;
  out.reserve(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '\\' && i + 1 < v.size()) {
      ++i;
    }
    out.push_back(v[i]);
  }
  return out;
}

// RFC 5987 ext-value: charset'lang'percent-encoded.
std::optional<std::string> ext_value(std::string_view v) {
  v = core::trim(v);
  auto const first = v.find('\'');
  auto const second = first == std::string_view::npos ? first : v.find('\'', first + 1);
  if (second == std::string_view::npos) {
    return std::nullopt;
  }
  return percent_decode(v.substr(second + 1));
}

expected<multipart_part> parse_part_headers(std::string_view block) {
  multipart_part part;
  bool has_disposition = false;
  std::optional<std::string> filename_star;
  while (!block.empty()) {
    auto const eol = block.find("\r\n");
    auto const line = block.substr(0, eol);
    block = eol == std::string_view::npos ? std::string_view{} : block.substr(eol + 2);
    auto const colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      return fail(errc::bad_request, std::string(malformed));
    }
    auto const name = core::to_lower(core::trim(line.substr(0, colon)));
    auto const value = core::trim(line.substr(colon + 1));
    if (name == "content-type") {
      part.content_type = std::string(value);
    } else if (name == "content-disposition") {
      auto const params = split_params(value);
      if (core::to_lower(core::trim(params.front())) != "form-data") {
        return fail(errc::bad_request, std::string(malformed));
      }
      has_disposition = true;
      for (std::size_t i = 1; i < params.size(); ++i) {
        auto const eq = params[i].find('=');
        if (eq == std::string_view::npos) {
          continue;
        }
        auto const key = core::to_lower(core::trim(params[i].substr(0, eq)));
        auto const val = params[i].substr(eq + 1);
        if (key == "name") {
          part.name = unquote(val);
        } else if (key == "filename") {
          part.filename = unquote(val);
        } else if (key == "filename*") {
          filename_star = ext_value(val);
        }
      }
    }
  }
  if (!has_disposition || part.name.empty()) {
    return fail(errc::bad_request, std::string(malformed));
  }
  if (filename_star) {
    part.filename = std::move(filename_star);
  }
  return part;
}

} // namespace

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  auto const params = split_params(content_type);
  if (core::to_lower(core::trim(params.front())) != "multipart/form-data") {
    return std::nullopt;
  }
  for (std::size_t i = 1; i < params.size(); ++i) {
    auto const eq = params[i].find('=');
    if (eq == std::string_view::npos || core::to_lower(core::trim(params[i].substr(0, eq))) != "boundary") {
      continue;
    }
    auto b = unquote(params[i].substr(eq + 1));
    if (b.empty() || b.size() > 70 || b.find_first_of("\r\n") != std::string::npos) {
      return std::nullopt;
    }
    return b;
  }
  return std::nullopt;
}

multipart_parser::multipart_parser(std::string boundary, multipart_handler& handler, std::size_t max_header_bytes)
    : delimiter_("\r\n--" + std::move(boundary)), handler_(handler), max_header_bytes_(max_header_bytes),
      // A delimiter at the very start of the body has no CRLF before it.
      buf_("\r\n") {}

expected<void> multipart_parser::fail(std::string message) {
  state_ = state::failed;
  error_ = error{errc::bad_request, std::move(message)};
  buf_.clear();
  return tl::unexpected(*error_);
}

expected<void> multipart_parser::feed(std::string_view chunk) {
  if (state_ == state::failed) {
    return tl::unexpected(*error_);
  }
  if (state_ == state::done) {
    return {}; // the epilogue is ignored
  }
  buf_.append(chunk);
  bool progressed = true;
  while (progressed && state_ != state::done && state_ != state::failed) {
    progressed = false;
    if (auto r = step(progressed); !r) {
      if (state_ != state::failed) {
        state_ = state::failed;
        error_ = r.error();
        buf_.clear();
      }
      return r;
    }
  }
  return {};
}

expected<void> multipart_parser::step(bool& progressed) {
  switch (state_) {
  case state::preamble: {
    auto const pos = buf_.find(delimiter_);
    if (pos == std::string::npos) {
      // Keep only what could still be the start of the delimiter.
      if (buf_.size() >= delimiter_.size()) {
        buf_.erase(0, buf_.size() - (delimiter_.size() - 1));
      }
      return {};
    }
    buf_.erase(0, pos + delimiter_.size());
    state_ = state::after_delimiter;
    progressed = true;
    return {};
  }
  case state::after_delimiter: {
    if (buf_.size() < 2) {
      return {};
    }
    if (buf_.starts_with("--")) {
      state_ = state::done;
      buf_.clear();
      return {};
    }
    auto const text = buf_.find_first_not_of(" \t");
    if (text == std::string::npos) {
      return buf_.size() > max_padding ? fail(std::string(malformed)) : expected<void>{};
    }
    if (text > max_padding) {
      return fail(std::string(malformed));
    }
    if (buf_.size() - text < 2) {
      return buf_[text] == '\r' ? expected<void>{} : fail(std::string(malformed));
    }
    if (buf_.compare(text, 2, "\r\n") != 0) {
      return fail(std::string(malformed));
    }
    buf_.erase(0, text + 2);
    state_ = state::headers;
    progressed = true;
    return {};
  }
  case state::headers: {
    std::size_t end = 0;
    std::size_t skip = 0;
    if (buf_.starts_with("\r\n")) {
      skip = 2; // no header at all
    } else if (auto const pos = buf_.find("\r\n\r\n"); pos != std::string::npos) {
      end = pos;
      skip = pos + 4;
    }
    if (skip == 0 || end > max_header_bytes_) {
      if (buf_.size() > max_header_bytes_ + 4) {
        return fail("Multipart part headers are too large");
      }
      if (skip == 0) {
        return {};
      }
    }
    auto part = parse_part_headers(std::string_view(buf_).substr(0, end));
    if (!part) {
      return tl::unexpected(part.error());
    }
    buf_.erase(0, skip);
    state_ = state::data;
    progressed = true;
    return handler_.on_part_begin(*part);
  }
  case state::data: {
    auto const pos = buf_.find(delimiter_);
    if (pos == std::string::npos) {
      if (buf_.size() >= delimiter_.size()) {
        auto const safe = buf_.size() - (delimiter_.size() - 1);
        auto r = handler_.on_part_data(std::string_view(buf_).substr(0, safe));
        buf_.erase(0, safe);
        return r;
      }
      return {};
    }
    if (pos > 0) {
      if (auto r = handler_.on_part_data(std::string_view(buf_).substr(0, pos)); !r) {
        return r;
      }
    }
    buf_.erase(0, pos + delimiter_.size());
    state_ = state::after_delimiter;
    progressed = true;
    return handler_.on_part_end();
  }
  case state::done:
  case state::failed:
    return {};
  }
  return {};
}

expected<void> multipart_parser::finish() {
  if (state_ == state::failed) {
    return tl::unexpected(*error_);
  }
  if (state_ != state::done) {
    return fail(std::string(malformed) + ": missing closing boundary");
  }
  return {};
}

} // namespace panel::http
