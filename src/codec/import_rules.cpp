#include "codec/import_rules.hpp"

#include "codec/format.hpp"
#include "core/crypto.hpp"
#include "core/file_names.hpp"
#include "core/strings.hpp"

namespace panel::codec {

namespace {

tl::unexpected<error> refuse(std::string_view message) {
  return tl::unexpected(error{errc::bad_request, std::string(message)});
}

bool is_ascii_alnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

} // namespace

bool is_safe_member_name(std::string_view name) {
  if (name.empty() || name.find('\\') != std::string_view::npos || name.front() == '/') {
    return false;
  }
  if (name.size() >= 3 && ((name[0] >= 'A' && name[0] <= 'Z') || (name[0] >= 'a' && name[0] <= 'z')) &&
      name[1] == ':' && name[2] == '/') {
    return false;
  }
  std::size_t start = 0;
  while (true) {
    auto const slash = name.find('/', start);
    auto const segment = name.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (segment.empty() || segment == "." || segment == "..") {
      return false;
    }
    if (slash == std::string_view::npos) {
      return true;
    }
    start = slash + 1;
  }
}

bool has_image_extension(std::string_view name) {
  auto const suffix = core::name_suffix(core::base_name(name));
  return !suffix.empty() && format_from_extension(core::to_lower(suffix)).has_value();
}

expected<import_members> check_import_members(std::vector<zip_member_info> const& members, import_limits const& lim) {
  std::uint64_t files = 0;
  for (auto const& m : members) {
    files += m.directory ? 0 : 1;
  }
  if (files > lim.max_files) {
    return refuse(msg_import_too_many);
  }
  import_members out;
  bool has_metadata = false;
  std::uint64_t total = 0;
  for (auto const& m : members) {
    if (m.directory) {
      continue;
    }
    if (!is_safe_member_name(m.name)) {
      return refuse(msg_import_unsafe);
    }
    if (m.name == "metadata.json") {
      out.metadata = m;
      has_metadata = true;
    } else if (has_image_extension(m.name) && m.size > lim.max_image_bytes) {
      return refuse(msg_import_image_too_large);
    }
    total += m.size;
    if (total > lim.max_uncompressed_bytes) {
      return refuse(msg_import_uncompressed);
    }
    if (m.size > 0 && (m.compressed_size == 0 || static_cast<double>(m.size) / static_cast<double>(m.compressed_size) >
                                                     lim.max_compression_ratio)) {
      return refuse(msg_import_ratio);
    }
    out.files.insert_or_assign(m.name, m);
  }
  if (!has_metadata) {
    return refuse(msg_import_metadata_required);
  }
  if (out.metadata.size > lim.max_metadata_bytes) {
    return refuse(msg_import_metadata_too_large);
  }
  return out;
}

std::string sanitize_import_filename(std::string_view name) {
  auto const base = core::base_name(name);
  std::string suffix = core::to_lower(core::name_suffix(base));
  if (suffix.empty() || !format_from_extension(suffix)) {
    suffix = ".png";
  }
  auto const stem = core::name_stem(base);
  std::string safe;
  safe.reserve(stem.size());
  for (std::size_t i = 0; i < stem.size(); ++i) {
    auto const c = static_cast<unsigned char>(stem[i]);
    if (c < 0x80) {
      safe.push_back(is_ascii_alnum(c) || c == '-' || c == '_' || c == '.' ? static_cast<char>(c) : '_');
      continue;
    }
    // One '_' per UTF-8 character: skip its continuation bytes.
    safe.push_back('_');
    while (i + 1 < stem.size() && (static_cast<unsigned char>(stem[i + 1]) & 0xC0) == 0x80) {
      ++i;
    }
  }
  auto const first = safe.find_first_not_of("._");
  if (first == std::string::npos) {
    return core::random_hex32() + suffix;
  }
  auto const last = safe.find_last_not_of("._");
  return safe.substr(first, last - first + 1) + suffix;
}

} // namespace panel::codec
