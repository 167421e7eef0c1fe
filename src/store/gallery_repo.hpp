#pragma once
// gallery_repo: rows of the gallery_entries table (spec/API.md §13.2) and their
// GalleryEntry JSON (§8.1).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"

namespace panel::store {

class database;
class statement;

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

/// The gallery_entries columns of gallery_row, in the order read_gallery_row
/// expects them (unqualified; write `SELECT <gallery_columns> FROM gallery_entries`).
inline constexpr std::string_view gallery_columns =
    "id, prompt, size, filename, thumbnail_filename, created_at, completed_at, image_width, image_height, model, "
    "quality, output_format, output_compression, response_format, n, api_path, api_preset_name, duration, "
    "favorite, bytes, sha256";

/// How many columns gallery_columns names.
inline constexpr int gallery_column_count = 21;

/// Reads the current row of `stmt`, whose result columns `first`..`first + 20`
/// are gallery_columns in order (any other columns of the statement are ignored).
[[nodiscard]] gallery_row read_gallery_row(statement const& stmt, int first = 0);

/// The file names a deletion left without any row: the image and the
/// thumbnail(s) to remove from disk once the deleting transaction committed.
struct orphaned_file {
  std::string filename;                           ///< image file name (as stored in the row)
  std::optional<std::string> thumbnail_filename;  ///< recorded thumbnail name, if any
};

/// What a (batch) deletion did to the table.
struct deletion {
  std::int64_t rows = 0;                  ///< rows deleted
  std::vector<std::string> missing_ids;   ///< requested ids without a row, in request order
  std::vector<orphaned_file> orphaned;    ///< files no remaining row references
};

/// What a batch favourite update did.
struct favorite_update {
  std::int64_t rows = 0;                  ///< rows found (and set)
  std::vector<std::string> missing_ids;   ///< requested ids without a row, in request order
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
  /// The rows with these ids that exist, in the order of `ids`.
  [[nodiscard]] expected<std::vector<gallery_row>> get_many(std::vector<std::string> const& ids) const;

  /// Sets the favourite flag of `id`; the updated row, or nullopt when there is none.
  [[nodiscard]] expected<std::optional<gallery_row>> set_favorite(std::string_view id, bool favorite);
  /// Sets the flag on every row of `ids` that exists (one transaction).
  [[nodiscard]] expected<favorite_update> set_favorite_many(std::vector<std::string> const& ids, bool favorite);
  /// Records `thumbnail` on every row of `filename`; returns how many rows changed.
  [[nodiscard]] expected<std::int64_t> set_thumbnail(std::string_view filename, std::string_view thumbnail);

  /// Deletes the rows of `ids` in one transaction; nothing is removed from
  /// disk here (the caller removes `orphaned` files after the commit).
  [[nodiscard]] expected<deletion> remove_many(std::vector<std::string> const& ids);
  /// Deletes every row in one transaction; every distinct file is orphaned.
  [[nodiscard]] expected<deletion> remove_all();

 private:
  database* db_;
};

} // namespace panel::store
