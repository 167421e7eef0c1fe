#include "upstream/size_guard.hpp"

#include <simdjson.h>

#include "core/crypto.hpp"
#include "core/strings.hpp"

namespace panel::upstream {

namespace {

// The charset parameter of a Content-Type, lower-case, quotes removed; "utf-8" when absent.
std::string charset_of(std::string_view content_type) {
  const auto lower = core::to_lower(content_type);
  const auto at = lower.find("charset=");
  if (at == std::string::npos) {
    return "utf-8";
  }
  auto value = core::trim(std::string_view(lower).substr(at + 8));
  value = value.substr(0, value.find(';'));
  value = core::trim(value);
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
    value = value.substr(1, value.size() - 2);
  }
  return value.empty() ? std::string{"utf-8"} : std::string(value);
}

bool is_ascii_name(std::string_view c) { return c == "us-ascii" || c == "ascii"; }
bool is_latin1_name(std::string_view c) {
  return c == "iso-8859-1" || c == "iso8859-1" || c == "latin-1" || c == "latin1" || c == "l1";
}

std::string latin1_to_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      out.push_back(ch);
    } else {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

} // namespace

expected<void> check_response_size(std::string_view label, std::uint64_t n, std::uint64_t max_bytes) {
  if (n > max_bytes) {
    return fail(errc::upstream, std::string(label) + " too large: " + std::to_string(n) + " bytes (max " +
                                    std::to_string(max_bytes) + ")");
  }
  return {};
}

expected<void> check_image_size(std::uint64_t n, std::uint64_t max_bytes) {
  if (n > max_bytes) {
    return fail(errc::upstream,
                "Image too large: " + std::to_string(n) + " bytes (max " + std::to_string(max_bytes) + ")");
  }
  return {};
}

std::uint64_t max_base64_chars(std::uint64_t max_bytes) { return ((max_bytes + 2) / 3) * 4 + 4; }

expected<void> check_base64_length(std::uint64_t chars, std::uint64_t max_bytes) {
  const auto max_chars = max_base64_chars(max_bytes);
  if (chars > max_chars) {
    return fail(errc::upstream, "Image too large: base64 payload is " + std::to_string(chars) + " chars (max " +
                                    std::to_string(max_chars) + ")");
  }
  return {};
}

expected<image_bytes> decode_base64_image(std::string_view base64, std::uint64_t max_bytes) {
  if (auto ok = check_base64_length(base64.size(), max_bytes); !ok) {
    return tl::unexpected(ok.error());
  }
  std::vector<std::uint8_t> raw;
  if (!core::base64_decode(base64, raw) || raw.empty()) {
    return fail(errc::upstream, "Upstream returned invalid base64 image data");
  }
  if (auto ok = check_image_size(raw.size(), max_bytes); !ok) {
    return tl::unexpected(ok.error());
  }
  return std::make_shared<const std::vector<std::uint8_t>>(std::move(raw));
}

expected<std::string> body_text(std::string_view label, std::string_view content_type, std::string body) {
  const auto charset = charset_of(content_type);
  const auto invalid = [&] { return fail(errc::upstream, std::string(label) + " is not valid " + charset + " text"); };
  if (is_latin1_name(charset)) {
    return latin1_to_utf8(body);
  }
  if (is_ascii_name(charset)) {
    for (const char c : body) {
      if (static_cast<unsigned char>(c) >= 0x80) {
        return invalid();
      }
    }
    return body;
  }
  // UTF-8, or a charset we cannot convert: accept text that is valid UTF-8 as is.
  if (!simdjson::validate_utf8(body.data(), body.size())) {
    return invalid();
  }
  return body;
}

} // namespace panel::upstream
