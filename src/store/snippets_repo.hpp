#pragma once
// snippets_repo: the prompt_snippets table (spec/API.md §3.5, §13.2): saved
// prompts with a title and a favourite flag.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"

namespace panel::store {

class database;

/// One prompt_snippets row (PromptSnippet JSON of §3.5).
struct snippet {
  std::string id;         ///< uuid4
  std::string title;      ///< 1..160 characters, trimmed
  std::string prompt;     ///< 1..4000 characters, trimmed
  bool favorite = false;
  std::string created_at; ///< UTC ISO
  std::string updated_at; ///< UTC ISO

  friend bool operator==(snippet const&, snippet const&) = default;
};

/// The fields a PATCH changes; nullopt leaves a field as it is.
struct snippet_patch {
  std::optional<std::string> title;
  std::optional<std::string> prompt;
  std::optional<bool> favorite;
};

/// `text` for a LIKE pattern with ESCAPE '\': `\`, `%` and `_` escaped.
[[nodiscard]] std::string escape_like(std::string_view text);

/// Reads and writes prompt_snippets through one borrowed connection (the writer
/// for changes, any connection for list/get), on that connection's thread.
/// Values are stored as given: the handler validates and trims them.
class snippets_repo {
 public:
  explicit snippets_repo(database& db) noexcept : db_{&db} {}

  /// Every snippet whose title or prompt contains `query` (case-insensitive
  /// for ASCII, LIKE with the wildcards escaped; "" matches all), favourites
  /// first, then newest updated_at, then newest inserted.
  [[nodiscard]] expected<std::vector<snippet>> list(std::string_view query) const;
  /// One snippet, or nullopt.
  [[nodiscard]] expected<std::optional<snippet>> get(std::string_view id) const;
  /// Inserts a snippet with a new uuid4 id and both timestamps set to now.
  [[nodiscard]] expected<snippet> create(std::string_view title, std::string_view prompt, bool favorite);
  /// Applies `patch`; updated_at moves to now only when a value changes.
  /// nullopt when there is no such snippet.
  [[nodiscard]] expected<std::optional<snippet>> update(std::string_view id, snippet_patch const& patch);
  /// Deletes a snippet; false when there was none.
  [[nodiscard]] expected<bool> remove(std::string_view id);

 private:
  database* db_;
};

} // namespace panel::store
