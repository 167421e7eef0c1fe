#pragma once
// Synthetic photographic-ish pictures for the codec benchmark: smooth colour
// fields, soft edges and sensor-like grain, so PNG does not compress them to
// nothing and JPEG has real texture to code.

#include <cstdint>

#include "codec/image.hpp"

namespace bench {

/// A width x height RGB picture; `seed` varies the content.
[[nodiscard]] panel::codec::pixel_image photo(std::uint32_t width, std::uint32_t height, std::uint32_t seed);

} // namespace bench
