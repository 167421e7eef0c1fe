#pragma once
// gallery_fts: the FTS5 trigram index over gallery_entries.prompt.

#include <string>
#include <string_view>

#include "core/expected.hpp"

namespace panel::store {

class database;

/// The settings_kv value that marks the current index layout; any other value
/// (or none) makes ensure_gallery_fts rebuild the index.
inline constexpr std::string_view gallery_fts_version = "trigram-v1";

/// The FTS5 query that matches `text` as one phrase (spec §8.3): the text in
/// double quotes, inner double quotes doubled. With the trigram tokenizer a
/// phrase of at least 3 characters is a case-insensitive substring match.
[[nodiscard]] std::string fts_phrase(std::string_view text);

/// True when this SQLite can build an FTS5 table with the trigram tokenizer
/// (FTS5 compiled in, SQLite >= 3.34). Probes with a temp table on `db`.
[[nodiscard]] expected<bool> fts5_trigram_available(database& db);

/// Makes gallery_entries_fts (external content over gallery_entries, trigram)
/// and its AFTER INSERT / DELETE / UPDATE OF prompt triggers exist; drops and
/// rebuilds the index when gallery_fts_version in settings_kv differs, then
/// stores the current version. Returns false, changing nothing, when FTS5 or
/// trigram is unavailable (gallery search then falls back to LIKE). Needs
/// gallery_entries and settings_kv; runs on the writer, in the caller's
/// transaction or, when none is open, in its own.
[[nodiscard]] expected<bool> ensure_gallery_fts(database& db);

} // namespace panel::store
