#include "upstream/s3_errors.hpp"

#include <array>
#include <utility>

#include "core/strings.hpp"
#include "upstream/error_body.hpp"
#include "upstream/s3_xml.hpp"
#include "upstream/text_util.hpp"

namespace panel::upstream {

namespace {

constexpr std::size_t max_server_text = 300;

constexpr std::array<std::pair<std::string_view, std::string_view>, 14> hints{{
    {"SignatureDoesNotMatch", "Check the secret access key and the region."},
    {"InvalidAccessKeyId", "Check the access key ID."},
    {"AccessDenied", "Check that the credentials may use this bucket and key prefix."},
    {"AllAccessDisabled", "Check that the credentials may use this bucket and key prefix."},
    {"NoSuchBucket", "Check the bucket name."},
    {"AuthorizationHeaderMalformed", "Check the region."},
    {"InvalidRegion", "Check the region."},
    {"PermanentRedirect", "The bucket is served by another endpoint or region."},
    {"RequestTimeTooSkewed", "Check this machine's clock."},
    {"XAmzContentSHA256Mismatch", "The file changed while it was being uploaded."},
    {"BadDigest", "The file changed while it was being uploaded."},
    {"SlowDown", "The server is throttling requests. Try again later."},
    {"InternalError", "The server failed. Try again later."},
    {"ServiceUnavailable", "The server is unavailable. Try again later."},
}};

// A sentence for answers without a readable error body (HEAD has none).
std::string status_sentence(int status) {
  auto const code = " (HTTP " + std::to_string(status) + ")";
  switch (status) {
  case 301:
  case 307:
  case 308:
    return "Redirected" + code + ": the bucket is served by another endpoint or region";
  case 400:
    return "Bad request" + code + ": check the region and the bucket name";
  case 401:
  case 403:
    return "Access denied" + code +
           ": check the access key ID, the secret access key and their permissions for this bucket";
  case 404:
    return "Not found" + code + ": check the bucket name";
  default:
    break;
  }
  if (status >= 500) {
    return "Server error" + code;
  }
  return "Unexpected answer" + code;
}

std::string scrub(std::string text, std::vector<std::string> const& secrets) {
  for (auto const& s : secrets) {
    text = redact_secrets(text, s);
  }
  return text;
}

} // namespace

std::string_view s3_error_hint(std::string_view code) {
  for (auto const& [name, hint] : hints) {
    if (name == code) {
      return hint;
    }
  }
  return {};
}

std::string s3_error_message(int status, std::string_view body, std::vector<std::string> const& secrets) {
  if (auto const parsed = parse_error_body(body)) {
    std::string out = parsed->code + " (HTTP " + std::to_string(status) + ")";
    if (!parsed->message.empty()) {
      out += ": ";
      out += detail::utf8_prefix(scrub(parsed->message, secrets), max_server_text);
    }
    if (auto const hint = s3_error_hint(parsed->code); !hint.empty()) {
      out += parsed->message.empty() ? ": " : " ";
      out += hint;
    }
    return out;
  }
  auto out = status_sentence(status);
  auto const text = core::trim(body);
  // An XML document we could not read says nothing useful; plain text may.
  if (!text.empty() && !text.starts_with("<")) {
    out += ": ";
    out += detail::utf8_prefix(scrub(std::string{text}, secrets), max_server_text);
  }
  return out;
}

} // namespace panel::upstream
