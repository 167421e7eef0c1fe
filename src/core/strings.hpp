#pragma once
// Small string helpers shared by every module.

#include <string>
#include <string_view>
#include <vector>

namespace panel::core {

/// `s` without leading and trailing ASCII whitespace.
[[nodiscard]] std::string_view trim(std::string_view s);

/// ASCII lower-case copy.
[[nodiscard]] std::string to_lower(std::string_view s);

/// Case-insensitive ASCII equality.
[[nodiscard]] bool iequals(std::string_view a, std::string_view b);

/// Splits on any of `separators`, trims each piece and drops empty pieces.
[[nodiscard]] std::vector<std::string> split_list(std::string_view s, std::string_view separators = ",");

/// True for `1`, `true`, `yes`, `on` (trimmed, case-insensitive): spec §15.
[[nodiscard]] bool parse_bool(std::string_view s);

} // namespace panel::core
