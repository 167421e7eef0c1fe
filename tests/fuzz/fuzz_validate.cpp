// Fuzzes validate(): sniff, header checks and a full decode of every format.

#include <cstddef>
#include <cstdint>

#include "codec/validate.hpp"
#include "fuzz_limits.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto info = panel::codec::validate(panel::codec::byte_view(data, size), fuzz::fuzz_limits);
  if (info && (info->width == 0 || info->height == 0 ||
               std::uint64_t{info->width} * info->height > fuzz::fuzz_limits.max_pixels)) {
    __builtin_trap(); // a success must respect the limits it was given
  }
  return 0;
}
