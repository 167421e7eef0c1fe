#include "codec/upload_rules.hpp"

#include <string>

#include "codec/sniff.hpp"
#include "codec/validate.hpp"
#include "core/strings.hpp"

namespace panel::codec {

namespace {

std::string_view extension_of(std::string_view filename) {
  const auto slash = filename.find_last_of("/\\");
  if (slash != std::string_view::npos) {
    filename.remove_prefix(slash + 1);
  }
  const auto dot = filename.rfind('.');
  return dot == std::string_view::npos ? std::string_view{} : filename.substr(dot + 1);
}

// The part's content type when it is image/*, else the one the extension
// implies (browsers send application/octet-stream for unknown types).
std::optional<image_format> effective_type(std::string_view filename, std::string_view content_type) {
  const std::string ct = core::to_lower(core::trim(content_type));
  if (ct.rfind("image/", 0) == 0) {
    return format_from_mime(ct);
  }
  return format_from_extension(extension_of(filename));
}

panel::error bad(std::string_view message) { return panel::error{errc::bad_request, std::string(message)}; }

} // namespace

expected<image_format> check_upload_type(std::string_view filename, std::string_view content_type) {
  const auto by_extension = format_from_extension(extension_of(filename));
  if (!by_extension || !effective_type(filename, content_type)) {
    return tl::unexpected(bad(msg_upload_not_image));
  }
  return *by_extension;
}

expected<void> check_upload_size(std::uint64_t size, std::uint64_t max_bytes) {
  if (size == 0) {
    return tl::unexpected(bad(msg_upload_empty));
  }
  if (size > max_bytes) {
    return tl::unexpected(
        bad("Uploaded image is too large. Max size is " + std::to_string(max_bytes / (1024 * 1024)) + " MB."));
  }
  return {};
}

expected<void> check_claims_match(image_format detected, std::string_view filename, std::string_view content_type) {
  if (format_from_extension(extension_of(filename)) != detected) {
    return tl::unexpected(bad(msg_extension_mismatch));
  }
  if (effective_type(filename, content_type) != detected) {
    return tl::unexpected(bad(msg_content_type_mismatch));
  }
  return {};
}

expected<image_info> validate_upload(std::string_view filename, std::string_view content_type, byte_view bytes,
                                     const limits& lim) {
  if (auto type = check_upload_type(filename, content_type); !type) {
    return tl::unexpected(type.error());
  }
  if (auto size = check_upload_size(bytes.size(), lim.max_bytes); !size) {
    return tl::unexpected(size.error());
  }
  auto detected = sniff(bytes, sniff_context::data);
  if (!detected) {
    return tl::unexpected(detected.error());
  }
  if (auto claims = check_claims_match(*detected, filename, content_type); !claims) {
    return tl::unexpected(claims.error());
  }
  auto info = validate(bytes, lim);
  if (!info && info.error().code != errc::bad_request) {
    // Spec §3.6: every per-file failure is a 400.
    return tl::unexpected(bad(info.error().message));
  }
  return info;
}

} // namespace panel::codec
