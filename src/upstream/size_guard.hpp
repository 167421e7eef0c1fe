#pragma once
// Size limits on upstream data and the decoding of inline images
// (spec/API.md §6.2 and §6.7). Every failure is errc::upstream.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"

namespace panel::upstream {

/// Shared immutable image bytes, as they travel between actors.
using image_bytes = std::shared_ptr<const std::vector<std::uint8_t>>;

/// Label of the JSON paths' response-size message.
inline constexpr std::string_view json_response_label = "Upstream JSON response";
/// Label of the chat path's response-size message.
inline constexpr std::string_view chat_response_label = "Upstream chat response";

/// "<label> too large: <n> bytes (max <m>)" when `n > max_bytes`; called with
/// Content-Length first and with the running byte count while streaming.
[[nodiscard]] expected<void> check_response_size(std::string_view label, std::uint64_t n, std::uint64_t max_bytes);

/// "Image too large: <n> bytes (max <m>)" when `n > max_bytes` (decoded or
/// downloaded image bytes, MAX_FILE_SIZE_MB).
[[nodiscard]] expected<void> check_image_size(std::uint64_t n, std::uint64_t max_bytes);

/// Longest base64 text accepted for an image of at most `max_bytes` bytes:
/// `((max_bytes + 2) / 3) * 4 + 4`.
[[nodiscard]] std::uint64_t max_base64_chars(std::uint64_t max_bytes);

/// "Image too large: base64 payload is <n> chars (max <m>)" when the text is
/// longer than `max_base64_chars(max_bytes)` (checked before decoding).
[[nodiscard]] expected<void> check_base64_length(std::uint64_t chars, std::uint64_t max_bytes);

/// Decodes an inline image (b64_json or data URL payload) under both guards:
/// base64 length first, decoded size after. Bad or empty base64 fails with
/// "Upstream returned invalid base64 image data".
[[nodiscard]] expected<image_bytes> decode_base64_image(std::string_view base64, std::uint64_t max_bytes);

/// The response body as UTF-8 text under its declared charset (§6.2): UTF-8
/// (the default) and ASCII are validated and passed through, ISO-8859-1 is
/// converted; a body that does not decode fails with
/// "<label> is not valid <charset> text".
[[nodiscard]] expected<std::string> body_text(std::string_view label, std::string_view content_type, std::string body);

} // namespace panel::upstream
