#pragma once
// image_files: atomic image writes under IMAGES_DIR (ARCHITECTURE.md §5): a file
// is written to a temporary name, fsynced, renamed and its directory fsynced
// before its gallery row exists. Blocking file I/O: call it on the store actor's
// (detached) thread only.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"
#include "store/gallery_repo.hpp"
#include "store/job_record.hpp"

namespace panel::store {

/// One image a job wants saved: its bytes, the final file name
/// (`<uuid4>.<ext>`), the directory, and the gallery row to insert once the
/// file is durable (row.id/filename/bytes/sha256 are filled in by save_image).
struct image_save_request {
  std::shared_ptr<const std::vector<std::uint8_t>> bytes;
  std::filesystem::path dir; ///< IMAGES_DIR
  std::string image_id;      ///< gallery id (the uuid4 of the file name)
  std::string filename;      ///< `<image_id>.<ext>`
  gallery_row row;           ///< metadata; id, filename, bytes and sha256 are overwritten
};

/// True when `name` is a plain file name (no separators, not "." or "..", no NUL).
[[nodiscard]] bool is_safe_filename(std::string_view name) noexcept;

/// Writes `bytes` to `dir / filename` atomically: a temporary sibling
/// (`.<filename>.tmp-<random>`, 0644), fsync, rename over the final name, fsync
/// of the directory. On failure nothing is left behind. errc::internal on I/O
/// errors (the message names the file, never its content).
[[nodiscard]] expected<void> write_file_atomically(std::filesystem::path const& dir, std::string_view filename,
                                                   std::uint8_t const* data, std::size_t size);

/// Removes the files at `paths`, ignoring the ones already gone. Returns how
/// many were removed.
std::size_t remove_files(std::vector<std::string> const& paths) noexcept;

/// Removes every `edit-source-*` file directly in `dir` (startup cleanup, spec
/// §4.7). A missing directory is fine. Returns how many were removed.
std::size_t remove_staged_edit_sources(std::filesystem::path const& dir) noexcept;

/// The `images[]` element of a saved image (§4.2).
[[nodiscard]] job_image make_job_image(std::string const& image_id, std::string const& filename,
                                       std::optional<std::int64_t> width, std::optional<std::int64_t> height);

} // namespace panel::store
