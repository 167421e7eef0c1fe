#pragma once
// File-name helpers shared by the ZIP export and import (spec §9): the stem and
// suffix of a name as Python's pathlib sees them (the original panel's rules,
// so archives round-trip the same way), and the `_1`, `_2`, ... de-duplication.

#include <functional>
#include <string>
#include <string_view>

namespace panel::core {

/// The part after the last '/' (pathlib's `name`).
[[nodiscard]] std::string_view base_name(std::string_view path);

/// pathlib's `suffix`: from the last '.', unless that dot starts the name or
/// ends it ("a.png" -> ".png", ".png" -> "", "a." -> "").
[[nodiscard]] std::string_view name_suffix(std::string_view name);

/// pathlib's `stem`: the name without name_suffix().
[[nodiscard]] std::string_view name_stem(std::string_view name);

/// `name` if `taken(name)` is false, else the first free `<stem>_<n><suffix>`
/// for n = 1, 2, ... (spec §9.1 "dup.png", "dup_1.png").
[[nodiscard]] std::string unique_name(std::string const& name, std::function<bool(std::string const&)> const& taken);

} // namespace panel::core
