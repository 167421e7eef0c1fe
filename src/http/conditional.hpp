#pragma once
// conditional: HTTP validators, conditional requests and byte ranges for the
// media routes (spec/API.md §3.9; RFC 9110 §8.8, §13, §14). Pure functions of
// header text and file metadata, testable without files or sockets.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace panel::http {

class header_list;

/// What a response's validators are made of: the file's size and mtime.
struct file_validators {
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;  ///< modification time, nanoseconds since the epoch
};

/// The strong ETag of a file version: `"<size hex>-<mtime ns hex>"` (quotes included).
[[nodiscard]] std::string make_etag(file_validators const& v);

/// The file's mtime in whole seconds (floored): what Last-Modified shows.
[[nodiscard]] std::int64_t last_modified_seconds(file_validators const& v) noexcept;

/// IMF-fixdate of a unix time, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
[[nodiscard]] std::string http_date(std::int64_t unix_seconds);

/// Parses an IMF-fixdate; nullopt for any other text (the header is then ignored).
[[nodiscard]] std::optional<std::int64_t> parse_http_date(std::string_view text);

/// True when the If-None-Match field value matches `etag` (`*`, or any listed
/// tag under the weak comparison: `W/` prefixes ignored).
[[nodiscard]] bool if_none_match_matches(std::string_view field, std::string_view etag);

/// One satisfiable byte range: `length` bytes from `first`.
struct byte_range {
  std::uint64_t first = 0;
  std::uint64_t length = 0;
};

/// How a Range field applies to a representation of a given size.
enum class range_kind {
  whole,          ///< no usable single range: answer 200 with everything
  partial,        ///< answer 206 with `range`
  unsatisfiable,  ///< answer 416 with `Content-Range: bytes */size`
};

/// A parsed Range field.
struct range_plan {
  range_kind kind = range_kind::whole;
  byte_range range;
};

/// Interprets a Range field for a representation of `size` bytes: one range
/// `bytes=a-b`, `bytes=a-` or `bytes=-n` (end clamped to the last byte; a
/// suffix longer than the file selects all of it). A first byte at or past
/// the end, or `-0`, is unsatisfiable. Other units, bad syntax and several
/// ranges give `whole` (RFC 9110 lets a server ignore Range).
[[nodiscard]] range_plan parse_range(std::string_view field, std::uint64_t size);

/// The conditional fields of a request, copied off the io thread's request.
struct conditional_request {
  bool head = false;
  std::optional<std::string> if_none_match;
  std::optional<std::string> if_modified_since;
  std::optional<std::string> range;
  std::optional<std::string> if_range;
};

/// Copies the fields evaluate_conditional reads.
[[nodiscard]] conditional_request conditional_fields(std::string_view method, header_list const& headers);

/// The status a media GET/HEAD gets.
enum class conditional_outcome { full, not_modified, partial, unsatisfiable };

/// The outcome and, for `partial`, the range.
struct conditional_decision {
  conditional_outcome outcome = conditional_outcome::full;
  byte_range range;
};

/// RFC 9110 §13.2.2 order: If-None-Match (weak comparison) or, without it,
/// If-Modified-Since decide 304; then Range (GET only), honoured only when
/// If-Range is absent or matches (strong ETag, or the exact Last-Modified).
[[nodiscard]] conditional_decision evaluate_conditional(conditional_request const& req, file_validators const& v);

} // namespace panel::http
