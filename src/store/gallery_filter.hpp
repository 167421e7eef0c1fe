#pragma once
// gallery_filter: the filters of GET /api/gallery (spec/API.md §3.8, §8.3) and
// the SQL WHERE clause they make. Pure code; no connection needed except to
// bind the values.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/expected.hpp"

namespace panel::store {

class statement;

/// The 422 text of a date filter that is neither YYYY-MM-DD nor an ISO datetime.
inline constexpr std::string_view invalid_date_filter_message =
    "Gallery date filters must use YYYY-MM-DD or ISO datetime";

/// Prompt searches shorter than this many characters use LIKE, never FTS (§8.3).
inline constexpr std::size_t fts_min_chars = 3;

/// Normalised gallery filters: strings trimmed (empty = no filter), dates as
/// the UTC ISO bounds they are compared with.
struct gallery_filters {
  std::string prompt;                    ///< substring of the prompt
  std::string model;                     ///< exact model
  std::string preset;                    ///< exact api_preset_name
  std::string size;                      ///< exact requested size
  std::optional<std::string> date_from;  ///< created_at >= this
  std::optional<std::string> date_to;    ///< created_at <= this
  std::optional<bool> favorite;          ///< favourite flag

  friend bool operator==(gallery_filters const&, gallery_filters const&) = default;
};

/// Turns a raw date filter into the bound compared with created_at: empty or
/// blank -> nullopt; `YYYY-MM-DD` -> `YYYY-MM-DDT00:00:00+00:00`, or with
/// `end_of_day` `YYYY-MM-DDT23:59:59.999999+00:00`; an ISO datetime (offset or
/// `Z` optional, naive means UTC) -> the same instant in UTC as Python's
/// isoformat() writes it. Anything else: errc::validation with
/// invalid_date_filter_message.
[[nodiscard]] expected<std::optional<std::string>> normalize_date_filter(std::string_view raw, bool end_of_day);

/// Builds gallery_filters from the raw query values (each may be absent):
/// trims the strings and normalises the dates (date_to to the end of its day).
[[nodiscard]] expected<gallery_filters> make_gallery_filters(
    std::optional<std::string> const& prompt, std::optional<std::string> const& model,
    std::optional<std::string> const& preset, std::optional<std::string> const& size,
    std::optional<std::string> const& date_from, std::optional<std::string> const& date_to,
    std::optional<bool> favorite);

/// `%text%` for `LIKE ... ESCAPE '\'`, with `\`, `%` and `_` escaped.
[[nodiscard]] std::string like_pattern(std::string_view text);

/// Number of Unicode characters in UTF-8 `text` (continuation bytes not counted).
[[nodiscard]] std::size_t utf8_chars(std::string_view text) noexcept;

/// True when the prompt filter is searched through the FTS5 index: FTS is
/// available, the prompt has at least fts_min_chars characters and no control
/// character (which FTS5 would refuse).
[[nodiscard]] bool use_fts(gallery_filters const& filters, bool fts_available) noexcept;

/// A WHERE clause over gallery_entries and the values of its `?` parameters.
struct where_clause {
  std::string sql;  ///< "" (no filter) or " WHERE ..." with a leading space
  std::vector<std::variant<std::string, std::int64_t>> values;  ///< in parameter order

  /// Binds `values` to parameters `first`.. of `stmt`.
  [[nodiscard]] expected<void> bind(statement& stmt, int first = 1) const;
};

/// The clause for `filters`; `fts` chooses the FTS5 phrase match over LIKE.
/// `extra` (e.g. "bytes IS NOT NULL") is ANDed in when not empty.
[[nodiscard]] where_clause make_where(gallery_filters const& filters, bool fts, std::string_view extra = {});

/// The filters as a JSON object for logs: the prompt replaced by
/// prompt_present, prompt_len (characters) and prompt_hash (SHA-256 hex, null
/// without a prompt), then the other filters that are set. Never the prompt.
[[nodiscard]] std::string filters_log_json(gallery_filters const& filters);

} // namespace panel::store
