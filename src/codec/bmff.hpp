#pragma once
// Internal: just enough ISO BMFF (HEIF/AVIF container) parsing to read the
// declared image sizes before a library allocates anything: the `ispe`
// properties in meta/iprp/ipco. Every box bound is checked.

#include <cstdint>
#include <cstddef>
#include <optional>

#include "codec/image.hpp"

namespace panel::codec::detail {

/// Width and height of the largest `ispe` property (by pixel count), or
/// nullopt when the container has none or is malformed before reaching one.
[[nodiscard]] std::optional<std::pair<std::uint32_t, std::uint32_t>> bmff_largest_ispe(byte_view bytes);

/// True when the container declares an item of type `item_type` (e.g. "av01")
/// in meta/iinf.
[[nodiscard]] bool bmff_has_item_type(byte_view bytes, const char (&item_type)[5]);

/// True when the item references that a decoder follows recursively (`dimg`:
/// a derived image needs its inputs; `auxl`: an image needs its alpha) form a
/// cycle or a chain deeper than `max_depth`. libheif 1.15 recurses along them
/// without a guard, so such files must never reach it.
[[nodiscard]] bool bmff_references_unsafe(byte_view bytes, std::size_t max_depth = 8);

} // namespace panel::codec::detail
