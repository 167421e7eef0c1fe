#pragma once
// gallery_request: parsing of the gallery routes' input (spec/API.md §3.8):
// the GET /api/gallery query, the favourite body and GalleryBatchRequest.
// FastAPI's rules and flattened 422 texts. Pure.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"
#include "store/gallery_list.hpp"

namespace panel::http {

struct request;

/// Most ids one batch request may name.
inline constexpr std::size_t max_batch_ids = 1000;

/// page (>= 1, 1), page_size (1..100, 9), prompt (<= 4000 characters), model
/// and preset (<= 200), size (<= 40), date_from, date_to, favorite (bool,
/// absent or empty = both), include_total_bytes (false).
[[nodiscard]] expected<store::gallery_list_request> parse_gallery_query(request const& req);

/// `{"favorite": bool}` (strict, required).
[[nodiscard]] expected<bool> parse_favorite_body(std::string_view body);

/// A GalleryBatchRequest: the ids (trimmed, blanks dropped, in order) and,
/// for the favourite batch, the flag.
struct gallery_batch {
  std::vector<std::string> ids;
  bool favorite = false;
};

/// `{"ids": [...]}` or, with `with_favorite`, `{"ids": [...], "favorite": bool}`:
/// strict keys; 1..1000 strings of 1..128 characters; after trimming and
/// dropping blanks at least one id ("ids must include at least one gallery
/// entry id") and no duplicates ("ids must not contain duplicates").
[[nodiscard]] expected<gallery_batch> parse_gallery_batch(std::string_view body, bool with_favorite);

} // namespace panel::http
