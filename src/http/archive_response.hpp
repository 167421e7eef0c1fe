#pragma once
// archive_response: the ZIP answers of spec §3.8/§3.10 as responses whose body
// is produced piece by piece (body_source): the archive of a plan with its
// exact Content-Length, and a one-shot wrapper that reports when the last
// chunk of its body went out.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "http/message.hpp"
#include "store/archive_plan.hpp"

namespace panel::http {

/// A file removed when its last owner lets go (a plan's metadata.json).
struct temp_file {
  std::filesystem::path path;
  explicit temp_file(std::filesystem::path p) : path(std::move(p)) {}
  temp_file(temp_file const&) = delete;
  temp_file& operator=(temp_file const&) = delete;
  ~temp_file();
};

/// 200 `application/zip` with `Content-Disposition: attachment; filename="<filename>"`,
/// `Content-Encoding: identity`, `nosniff` and `Content-Length: <length>`; no body yet.
[[nodiscard]] response zip_response(std::string const& filename, std::uint64_t length);

/// The X-Gallery-Requested/Exported/Missing-Count headers.
void set_count_headers(response& r, std::int64_t requested, std::int64_t exported, std::int64_t missing);

/// The stored ZIP of `plan` (images/<name> from `images_dir`, metadata.json
/// last), streamed in 256 KiB pieces on the connection's thread. `owned` stays
/// alive until the body ends in any way (the metadata file, an export slot).
[[nodiscard]] response plan_response(store::archive_plan const& plan, std::string const& filename,
                                     std::filesystem::path const& images_dir,
                                     std::vector<std::shared_ptr<void>> owned);

/// Wraps `inner`: `on_complete` runs once, right after the last chunk was
/// produced (not when the connection ends early).
[[nodiscard]] std::shared_ptr<body_source> one_shot(std::shared_ptr<body_source> inner,
                                                    std::function<void()> on_complete);

} // namespace panel::http
