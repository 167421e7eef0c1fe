// Fuzzes transcode_for_upstream(): full decode of the non-upstream formats and
// PNG re-encoding; pass-through for the rest.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "codec/transcode.hpp"
#include "fuzz_limits.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = panel::codec::share(std::vector<std::uint8_t>(data, data + size));
  const auto r = panel::codec::transcode_for_upstream(input, fuzz::fuzz_limits);
  if (r && !r->transcoded && r->bytes != input) {
    __builtin_trap(); // pass-through must hand back the same buffer
  }
  return 0;
}
