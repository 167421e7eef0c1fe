#pragma once
// Limits shared by the codec fuzz targets: small enough that a declared size
// the fuzzer invents cannot exhaust libFuzzer's memory limit, large enough
// for every seed.

#include "codec/image.hpp"

namespace fuzz {

inline constexpr panel::codec::limits fuzz_limits{1u << 22, 8u << 20};

} // namespace fuzz
