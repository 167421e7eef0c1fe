#pragma once
// The two XML documents the R2 backup reads from S3-compatible servers: a
// ListObjectsV2 page and an error body. A small non-validating reader is enough:
// elements, character data, the five named entities, numeric character
// references and CDATA; no DTDs (a DOCTYPE is refused, so no entity expansion).
// Pure functions, no I/O.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"

namespace panel::upstream {

/// Called when an element closes: `path` holds the local names (namespace prefix
/// dropped) from the root to this element, `text` its own decoded character data.
using xml_visitor = std::function<void(std::vector<std::string> const& path, std::string const& text)>;

/// Walks `xml` and calls `visit` for every element. Fails (errc::upstream,
/// "Invalid XML: <why>") on malformed input, a DOCTYPE, an unknown entity or
/// nesting deeper than 64.
[[nodiscard]] expected<void> walk_xml(std::string_view xml, xml_visitor const& visit);

/// One object of a listing.
struct s3_object {
  std::string key;
  std::uint64_t size = 0;
  std::string etag; ///< as sent, quotes removed
};

/// One ListObjectsV2 page.
struct s3_list_page {
  std::vector<s3_object> objects;
  bool truncated = false;
  std::string next_token; ///< NextContinuationToken; set whenever `truncated`
};

/// Parses a ListObjectsV2 answer (root ListBucketResult). Fails (errc::upstream)
/// on invalid XML, another root, a Contents without Key, a bad Size, or a
/// truncated page without NextContinuationToken.
[[nodiscard]] expected<s3_list_page> parse_list_objects(std::string_view xml);

/// The parts of an S3 error body (`<Error><Code/><Message/><RequestId/></Error>`).
struct s3_error_body {
  std::string code;
  std::string message;
  std::string request_id;
};

/// Reads an error body; nullopt when it is not XML with an Error root and a Code.
[[nodiscard]] std::optional<s3_error_body> parse_error_body(std::string_view xml);

} // namespace panel::upstream
