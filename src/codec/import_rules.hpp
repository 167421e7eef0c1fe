#pragma once
// The archive-level rules of POST /api/import (spec §9.2 steps 2-4 and 6), in
// the spec's order with its exact messages (every failure is errc::bad_request).
// Pure: they look at the member list the ZIP reader produced, never at bytes.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "codec/zip_reader.hpp"
#include "core/expected.hpp"

namespace panel::codec {

inline constexpr std::string_view msg_import_too_many = "Import archive contains too many files";
inline constexpr std::string_view msg_import_unsafe = "Import archive contains unsafe paths";
inline constexpr std::string_view msg_import_image_too_large = "Imported image is too large";
inline constexpr std::string_view msg_import_uncompressed = "Import archive uncompressed size exceeds limit";
inline constexpr std::string_view msg_import_ratio = "Import archive compression ratio exceeds limit";
inline constexpr std::string_view msg_import_metadata_required = "metadata.json is required";
inline constexpr std::string_view msg_import_metadata_too_large = "metadata.json is too large";

/// IMPORT_* and MAX_FILE_SIZE_MB in bytes (spec §15).
struct import_limits {
  std::uint64_t max_files = 500;
  std::uint64_t max_image_bytes = 50ull << 20;
  std::uint64_t max_uncompressed_bytes = 1024ull << 20;
  std::uint64_t max_metadata_bytes = 2'097'152;
  double max_compression_ratio = 100.0;
};

/// What the member checks found: every file member by name (the last one
/// wins when a name repeats, as in Python's zipfile) and metadata.json.
struct import_members {
  std::map<std::string, zip_member_info, std::less<>> files;
  zip_member_info metadata;
};

/// A member name is safe when it has no '\', is not absolute, has no drive
/// letter ("C:/") and no empty, "." or ".." segment ("../evil.png",
/// "/evil.png", "images\evil.png", "a//b.png" are all unsafe).
[[nodiscard]] bool is_safe_member_name(std::string_view name);

/// True when the name's suffix (pathlib's, any case) is one of the twelve
/// image extensions.
[[nodiscard]] bool has_image_extension(std::string_view name);

/// Steps 2-4: the file count, then per member in archive order the path
/// safety, the per-image size, the running uncompressed total and the
/// compression ratio, then metadata.json's presence and size.
[[nodiscard]] expected<import_members> check_import_members(std::vector<zip_member_info> const& members,
                                                            import_limits const& lim);

/// Step 6: the basename, its extension kept when it is an image extension
/// (lower-cased) else ".png", the stem's characters other than ASCII letters,
/// digits, '-', '_' and '.' replaced by '_' (one per character), leading and
/// trailing '.'/'_' stripped, an empty stem replaced by 32 random hex digits.
[[nodiscard]] std::string sanitize_import_filename(std::string_view name);

} // namespace panel::codec
