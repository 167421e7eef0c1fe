// Fuzzes thumbnail(): decode with shrink-on-load, resample, orient, encode.

#include <cstddef>
#include <cstdint>

#include "codec/thumbnail.hpp"
#include "fuzz_limits.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  panel::codec::thumbnail_options options;
  options.max_side = 64; // small output keeps each run fast
  options.webp.method = 0;
  options.lim = fuzz::fuzz_limits;
  const auto t = panel::codec::thumbnail(panel::codec::byte_view(data, size), options);
  if (t && (t->width == 0 || t->height == 0 || t->width > 64 || t->height > 64 || t->webp.empty())) {
    __builtin_trap();
  }
  return 0;
}
