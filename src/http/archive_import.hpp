#pragma once
// archive_import: the body of POST /api/import (spec §3.10, §9.2) once the
// upload is on disk. The rules run in the spec's order with its messages: the
// ZIP and its members (codec/import_rules), metadata.json, then each images[]
// entry: its member is read (at most MAX_FILE_SIZE_MB), fully validated by the
// codec pool (format, extension, pixel count, complete decode), hashed and
// staged in IMAGES_DIR; the writer then commits every accepted image at once
// (store/gallery_import). Nothing is left behind on any failure.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codec/import_rules.hpp"
#include "core/expected.hpp"
#include "store/gallery_repo.hpp"

namespace caf {
class blocking_actor;
}

namespace panel::actors {
struct handles;
}

namespace panel::http {

inline constexpr std::string_view msg_import_invalid_zip = "Import file must be a valid ZIP";
inline constexpr std::string_view msg_import_metadata_invalid = "metadata.json is invalid";
inline constexpr std::string_view msg_import_images_not_list = "metadata.json images must be a list";
inline constexpr std::string_view msg_import_nothing = "No importable images found";

/// One images[] element whose member exists and has an image extension.
struct import_candidate {
  codec::zip_member_info member; ///< where its bytes are
  std::string check_name;        ///< the basename whose extension must match the bytes
  std::string filename;          ///< the sanitised name it wants (de-duplicated at commit)
  std::optional<std::string> id; ///< the archive's id, if any
  store::gallery_row row;        ///< the gallery columns of the element (id, filename, bytes, sha256 unset)
};

/// §9.2 steps 4 (parse) and 5-6 (what can be decided without the bytes):
/// elements that are not objects, name no member (`filename` exactly, else
/// `images/<filename>`) or no image extension are skipped. Only gallery
/// columns are taken; strings and integers are coerced as the original does
/// (str(), int()); `created_at` defaults to `now_iso`.
[[nodiscard]] expected<std::vector<import_candidate>> parse_import_metadata(std::string_view json,
                                                                          codec::import_members const& members,
                                                                          std::string const& now_iso);

struct import_settings {
  std::filesystem::path images_dir;
  codec::import_limits limits;
  std::uint64_t max_pixels = 100'000'000;
};

/// Imports the archive at `upload`: the number of images imported, or the
/// refusal (400 with the spec's text; 500 when the disk or database fails).
/// Blocking, and it waits for the codec pool and the writer: call it from a
/// detached blocking actor only.
[[nodiscard]] expected<std::int64_t> run_import(caf::blocking_actor* self, actors::handles const& actors,
                                                import_settings const& settings, std::filesystem::path const& upload);

} // namespace panel::http
