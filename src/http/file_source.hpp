#pragma once
// file_source: a body_source that reads a file, or a byte range of it (HTTP
// Range answers, §3.9), in 256 KiB pread()s on the session's thread (Beast's
// file_body reads 4 KiB at a time, which costs a syscall triple per 4 KiB).

#include <cstdint>
#include <filesystem>
#include <memory>

#include "core/expected.hpp"
#include "http/message.hpp"

namespace panel::http {

/// Opens `path` and serves `length` bytes from `offset`. not_found when the
/// file cannot be opened; bad_request when the range lies past its end.
[[nodiscard]] expected<std::shared_ptr<body_source>> make_file_source(std::filesystem::path const& path,
                                                                     std::uint64_t offset, std::uint64_t length);

/// A whole regular file as a body, with its size (for Content-Length).
struct opened_file {
  std::shared_ptr<body_source> source;
  std::uint64_t size = 0;
};

/// Opens `path` (a regular file) to send whole; not_found otherwise.
[[nodiscard]] expected<opened_file> open_file_source(std::filesystem::path const& path);

} // namespace panel::http
