#pragma once
// file_source: a body_source that reads a byte range of a file (HTTP Range
// answers, §3.9). Reads happen in the session's thread in 256 KiB pieces, like
// Beast's file_body does for whole files.

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

} // namespace panel::http
