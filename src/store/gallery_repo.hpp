#pragma once
// gallery_repo: rows of the gallery_entries table (spec/API.md §13.2) and their
// GalleryEntry JSON (§8.1).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/expected.hpp"

namespace panel::store {

class database;

/// One gallery_entries row (sort_seq, a [LATER] column, is left to SQLite).
struct gallery_row {
  std::string id;                                 ///< uuid4, primary key
  std::string prompt;                             ///< the prompt text
  std::string size;                               ///< requested size string (may be "auto")
  std::string filename;                           ///< image file name in DATA_DIR/images
  std::optional<std::string> thumbnail_filename;  ///< set once a thumbnail exists
  std::string created_at;                         ///< ISO UTC insert time
  std::optional<std::string> completed_at;        ///< Beijing time of job success
  std::optional<std::int64_t> image_width;        ///< from the file header
  std::optional<std::int64_t> image_height;       ///< from the file header
  std::optional<std::string> model;               ///< model used
  std::optional<std::string> quality;             ///< quality requested
  std::optional<std::string> output_format;       ///< detected format of the saved file
  std::optional<std::int64_t> output_compression; ///< requested after normalisation
  std::optional<std::string> response_format;     ///< "url" | "b64_json"
  std::optional<std::int64_t> n;                  ///< requested n of the producing job
  std::optional<std::string> api_path;            ///< upstream path used
  std::optional<std::string> api_preset_name;     ///< preset name used
  std::optional<std::string> duration;            ///< e.g. "3.21s"
  bool favorite = false;                          ///< the favourite flag
  std::optional<std::int64_t> bytes;              ///< file size; null for legacy rows
  std::optional<std::string> sha256;              ///< hex digest; not in the JSON

  friend bool operator==(gallery_row const&, gallery_row const&) = default;
};

/// Python's urllib.parse.quote(text): every byte except ASCII letters,
/// digits, `_.-~` and `/` becomes `%XX` (upper-case hex).
[[nodiscard]] std::string url_quote(std::string_view text);

/// The GalleryEntry JSON of spec §8.1 plus `image_url` (`/api/image/<quoted filename>`);
/// thumbnail_url is `/api/thumb/<quoted filename>`. sha256 is left out.
[[nodiscard]] std::string to_json(gallery_row const& row);

/// Inserts and reads gallery_entries rows through one borrowed connection,
/// used on that connection's thread; it must not outlive the database.
class gallery_repo {
 public:
  /// Borrows `db`.
  explicit gallery_repo(database& db) noexcept : db_{&db} {}

  /// Inserts `row`; a duplicate id is an error.
  [[nodiscard]] expected<void> insert(gallery_row const& row);
  /// The row with `id`, or nullopt.
  [[nodiscard]] expected<std::optional<gallery_row>> get(std::string_view id) const;
  /// Whether any row names `filename` (spec §3.9: only referenced files are served).
  [[nodiscard]] expected<bool> references_file(std::string_view filename) const;

 private:
  database* db_;
};

} // namespace panel::store
