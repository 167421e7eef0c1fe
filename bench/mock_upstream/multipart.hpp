#pragma once
// multipart/form-data parsing (RFC 7578) over a fully read request body.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mock {

/// One part of a form; `data` points into the body passed to parse_multipart.
struct form_part {
  std::string name;                    ///< Content-Disposition `name`
  std::optional<std::string> filename; ///< Content-Disposition `filename`, when present
  std::string content_type;            ///< Part Content-Type, "" when absent
  std::string_view data;               ///< Raw part bytes (view into the body)
};

/// Result of parsing: either `parts` or a human-readable `error`.
struct form_parse_result {
  std::vector<form_part> parts;
  std::string error; ///< Empty on success.
};

/// The `boundary` parameter of a multipart Content-Type (quotes removed);
/// nullopt when the type is not multipart/form-data or has no boundary.
[[nodiscard]] std::optional<std::string> multipart_boundary(std::string_view content_type);

/// Splits `body` into parts. The returned views stay valid while `body` does.
[[nodiscard]] form_parse_result parse_multipart(std::string_view body, std::string_view boundary);

/// Value of parameter `param` (e.g. "name") in a header value such as
/// `form-data; name="x"; filename="a b.png"`; nullopt when absent.
[[nodiscard]] std::optional<std::string> header_param(std::string_view header_value, std::string_view param);

} // namespace mock
