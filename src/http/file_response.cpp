#include "http/file_response.hpp"

#include <sys/stat.h>

#include "http/errors.hpp"
#include "http/file_source.hpp"

namespace panel::http {

std::optional<file_validators> stat_file(std::filesystem::path const& path) {
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return std::nullopt;
  }
  file_validators v;
  v.size = static_cast<std::uint64_t>(st.st_size);
  v.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  return v;
}

response media_response(conditional_request const& req, media_file const& file, std::string_view not_found_detail) {
  auto const decision = evaluate_conditional(req, file.validators);
  auto const size = file.validators.size;
  if (decision.outcome == conditional_outcome::unsatisfiable) {
    auto r = error_response(416, "Requested range not satisfiable");
    r.headers.set("Content-Range", "bytes */" + std::to_string(size));
    r.headers.set("Accept-Ranges", "bytes");
    return r;
  }
  response r;
  r.headers.set("ETag", make_etag(file.validators));
  r.headers.set("Last-Modified", http_date(last_modified_seconds(file.validators)));
  r.headers.set("Cache-Control", std::string{media_cache_control});
  r.headers.set("Accept-Ranges", "bytes");
  if (decision.outcome == conditional_outcome::not_modified) {
    r.status = 304;
    return r;
  }
  r.headers.set("Content-Type", file.content_type);
  if (file.content_disposition) {
    r.headers.set("Content-Disposition", *file.content_disposition);
  }
  if (decision.outcome == conditional_outcome::partial) {
    auto source = make_file_source(file.path, decision.range.first, decision.range.length);
    if (!source) {
      return error_response(404, not_found_detail);
    }
    auto const last = decision.range.first + decision.range.length - 1;
    r.status = 206;
    r.source = std::move(*source);
    r.headers.set("Content-Range", "bytes " + std::to_string(decision.range.first) + "-" + std::to_string(last) +
                                       "/" + std::to_string(size));
    r.headers.set("Content-Length", std::to_string(decision.range.length));
    return r;
  }
  r.file = file.path;
  return r;
}

} // namespace panel::http
