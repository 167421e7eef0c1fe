#pragma once
// file_response: the response for one media file (spec/API.md §3.9): 200
// streamed by the session, 206 for a byte range, 304 when the client's copy
// is current, 416 for a range past the end; always with the validators and
// the long public cache. Blocking (stat, open): store/reader threads only.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "http/conditional.hpp"
#include "http/message.hpp"

namespace panel::http {

/// The Cache-Control of image, thumbnail and download answers.
inline constexpr std::string_view media_cache_control = "public, max-age=31536000";

/// The size and mtime of `path` when it is a regular file (symlinks followed).
[[nodiscard]] std::optional<file_validators> stat_file(std::filesystem::path const& path);

/// One file to answer with.
struct media_file {
  std::filesystem::path path;
  std::string content_type;
  file_validators validators;
  std::optional<std::string> content_disposition;  ///< downloads only
};

/// The answer to `req` for `file` per evaluate_conditional, with ETag,
/// Last-Modified, Accept-Ranges: bytes and media_cache_control. A file that
/// cannot be opened for a range answers 404 with `not_found_detail`.
[[nodiscard]] response media_response(conditional_request const& req, media_file const& file,
                                      std::string_view not_found_detail);

} // namespace panel::http
