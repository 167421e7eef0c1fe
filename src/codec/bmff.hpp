#pragma once
// Internal: just enough ISO BMFF (HEIF/AVIF container) parsing to read the
// declared image sizes before a library allocates anything: the `ispe`
// properties in meta/iprp/ipco. Every box bound is checked.

#include <cstdint>
#include <optional>

#include "codec/image.hpp"

namespace panel::codec::detail {

/// Width and height of the largest `ispe` property (by pixel count), or
/// nullopt when the container has none or is malformed before reaching one.
[[nodiscard]] std::optional<std::pair<std::uint32_t, std::uint32_t>> bmff_largest_ispe(byte_view bytes);

} // namespace panel::codec::detail
