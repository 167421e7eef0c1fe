#include "http/policy.hpp"

#include "core/strings.hpp"
#include "http/static_site.hpp"

namespace panel::http {

namespace {
constexpr std::uint64_t mib = 1024 * 1024;
}

std::uint64_t body_limit(core::config const& cfg, std::string_view path, std::string_view content_type) {
  auto const type = core::to_lower(core::trim(content_type.substr(0, content_type.find(';'))));
  bool const is_json = type == "application/json" || type.ends_with("+json");
  bool const is_multipart = type == "multipart/form-data";
  if (path == "/api/import") {
    auto const mb = static_cast<std::uint64_t>(cfg.import_archive_max_mb);
    return mb == 0 ? 0 : mb * mib + 64 * 1024;
  }
  if (path.starts_with("/api/edits")) {
    return is_multipart ? static_cast<std::uint64_t>(cfg.edit_upload_max_mb) * mib
                        : static_cast<std::uint64_t>(cfg.max_json_body_mb) * mib;
  }
  if (is_json) {
    return static_cast<std::uint64_t>(cfg.max_json_body_mb) * mib;
  }
  return static_cast<std::uint64_t>(cfg.max_file_size_mb) * mib;
}

void apply_global_headers(response& r, std::string_view path) {
  r.headers.set("X-Content-Type-Options", "nosniff");
  r.headers.set("Referrer-Policy", "same-origin");
  if (!r.headers.has("Content-Security-Policy")) {
    r.headers.set("Content-Security-Policy", default_csp());
  }
  bool const keeps_public = r.status < 400 && r.headers.get("Cache-Control").value_or("").starts_with("public");
  if ((path.starts_with("/api/") || r.status >= 400) && !keeps_public) {
    r.headers.set("Cache-Control", "private, no-store");
    r.headers.set("Vary", "Cookie");
  } else if (path == "/") {
    r.headers.set("Cache-Control", "no-cache");
  }
}

} // namespace panel::http
