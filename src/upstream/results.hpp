#pragma once
// Turning a successful upstream answer into image references (spec/API.md
// §6.2-§6.6). Pure: bytes in, `image_ref`s or an upstream error out. Fetching
// URLs and decoding base64 happen later (size_guard.hpp, the upstream pool).

#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"
#include "upstream/api_path.hpp"
#include "upstream/image_ref.hpp"

namespace panel::upstream {

/// True for `application/json` or any `*+json` media type (parameters ignored).
[[nodiscard]] bool is_json_content_type(std::string_view content_type);

/// The §6.2 rule: a JSON content type, or a body whose first non-blank
/// character is `{` or `[` (JSON served as text/plain is accepted).
[[nodiscard]] bool is_json_response(std::string_view content_type, std::string_view body);

/// The §6.5 rule: `text/event-stream`, or a body starting with `data:` after blanks.
[[nodiscard]] bool is_sse_response(std::string_view content_type, std::string_view body);

/// `/v1/images/generations` and `/v1/images/edits`: one reference per `data[]`
/// item (`b64_json`, else `url`). Errors (errc::upstream): not JSON, not an
/// object, no `data`, or an item with neither field ("No image data (b64_json
/// or url) in upstream response: <first 200 chars>").
[[nodiscard]] expected<std::vector<image_ref>> extract_data_images(int status, std::string_view content_type,
                                                                   std::string_view body);

/// `/v1/responses`: one reference per `output[]` item of type
/// `image_generation_call`, taken from its `result` (§6.4).
[[nodiscard]] expected<std::vector<image_ref>> extract_responses_images(int status, std::string_view content_type,
                                                                        std::string_view body);

/// What a Chat Completions answer said: the assembled text of each choice (in
/// order of first appearance) and the image references found (§6.5).
struct chat_reply {
  std::vector<std::string> texts;
  std::vector<image_ref> images;
};

/// Parses a Chat Completions answer given as JSON or as SSE and collects its
/// text and images; an answer without images is not an error here.
[[nodiscard]] expected<chat_reply> parse_chat_reply(int status, std::string_view content_type, std::string_view body);

/// `parse_chat_reply` images; no image at all is an upstream error.
[[nodiscard]] expected<std::vector<image_ref>> extract_chat_images(int status, std::string_view content_type,
                                                                   std::string_view body);

/// The whole answer handling of one upstream call on `path`: a status >= 400
/// becomes `upstream_http_error` (with `secret` scrubbed), anything else goes to
/// the path's extractor. Every failure is errc::upstream.
[[nodiscard]] expected<std::vector<image_ref>> extract_images(api_path path, int status,
                                                              std::string_view content_type, std::string_view body,
                                                              std::string_view secret = {});

} // namespace panel::upstream
