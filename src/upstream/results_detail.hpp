#pragma once
// Pieces shared by results.cpp and chat_results.cpp; private to src/upstream.

#include <string>
#include <string_view>

#include "core/expected.hpp"

namespace panel::upstream::detail {

/// "<prefix>: <first 200 chars of body>", the original's preview format.
[[nodiscard]] std::string with_preview(std::string_view prefix, std::string_view body);

/// The "No image data in upstream response: <preview>" failure.
[[nodiscard]] error no_image_data(std::string_view body);

/// The "Upstream returned non-JSON (<status>): <preview>" failure.
[[nodiscard]] error non_json(int status, std::string_view body);

} // namespace panel::upstream::detail
