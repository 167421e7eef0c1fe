#include "http/edit_staging.hpp"

#include <fstream>
#include <system_error>

#include "codec/format.hpp"
#include "codec/sniff.hpp"
#include "codec/upload_rules.hpp"
#include "core/strings.hpp"

namespace panel::http {

namespace {

constexpr std::uint64_t mib = 1024 * 1024;

expected<std::vector<std::uint8_t>> read_file(std::filesystem::path const& p, std::uint64_t size) {
  std::vector<std::uint8_t> bytes(size);
  std::ifstream in(p, std::ios::binary);
  if (!in || !in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size))) {
    return fail(errc::internal, "Failed to read uploaded image");
  }
  return bytes;
}

// The part's type when it is image/*, else the one the detected format has.
std::string effective_content_type(std::string_view part_type, codec::image_format detected) {
  auto const t = core::to_lower(core::trim(part_type.substr(0, part_type.find(';'))));
  return t.starts_with("image/") ? t : std::string(codec::format_mime(detected));
}

} // namespace

expected<std::vector<actors::staged_source>> validate_staged(std::vector<uploaded_file> const& files,
                                                             edit_limits const& lim) {
  std::vector<actors::staged_source> out;
  out.reserve(files.size());
  for (auto const& f : files) {
    if (auto type = codec::check_upload_type(f.filename, f.content_type); !type) {
      return tl::unexpected(type.error());
    }
    if (auto size = codec::check_upload_size(f.bytes, lim.max_bytes); !size) {
      return tl::unexpected(size.error());
    }
    std::error_code ec;
    auto const on_disk = std::filesystem::file_size(f.path, ec);
    if (ec || on_disk != f.bytes) {
      return fail(errc::internal, "Failed to read uploaded image");
    }
    auto bytes = read_file(f.path, f.bytes);
    if (!bytes) {
      return tl::unexpected(bytes.error());
    }
    auto info = codec::validate_upload(f.filename, f.content_type, *bytes, codec::limits{lim.max_pixels, lim.max_bytes});
    if (!info) {
      return tl::unexpected(info.error());
    }
    out.push_back(actors::staged_source{f.path.string(), f.filename, effective_content_type(f.content_type, info->format),
                                        static_cast<std::int64_t>(f.bytes)});
  }
  return out;
}

bool safe_gallery_filename(std::string_view name) {
  return !name.empty() && name.size() <= 255 && !name.starts_with('.') &&
         name.find_first_of(std::string_view("/\\\0", 3)) == std::string_view::npos && name.find("..") == std::string_view::npos;
}

expected<uploaded_file> stage_gallery_image(std::filesystem::path const& images_dir, std::string const& filename,
                                            std::filesystem::path const& staging_dir, std::uint64_t max_bytes,
                                            staged_files& owned) {
  auto const not_found = [] { return fail(errc::not_found, "Gallery image file not found"); };
  if (!safe_gallery_filename(filename)) {
    return not_found();
  }
  auto const source = images_dir / filename;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(std::filesystem::symlink_status(source, ec)) || ec) {
    return not_found();
  }
  auto const size = std::filesystem::file_size(source, ec);
  if (ec) {
    return not_found();
  }
  if (size == 0) {
    return fail(errc::bad_request, "Gallery image is empty");
  }
  if (size > max_bytes) {
    return fail(errc::bad_request,
                "Gallery image is too large. Max size is " + std::to_string(max_bytes / mib) + " MB.");
  }
  std::filesystem::create_directories(staging_dir, ec);
  uploaded_file out{"image", filename, "", staged_path(staging_dir, filename), 0};
  if (!std::filesystem::copy_file(source, out.path, std::filesystem::copy_options::none, ec) || ec) {
    std::filesystem::remove(out.path, ec);
    return fail(errc::internal, "Failed to read uploaded image");
  }
  owned.add(out.path);
  std::filesystem::permissions(out.path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                               ec);
  out.bytes = std::filesystem::file_size(out.path, ec);
  if (ec) {
    return fail(errc::internal, "Failed to read uploaded image");
  }
  return out;
}

} // namespace panel::http
