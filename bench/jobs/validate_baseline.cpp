// bench-validate FILE REPEAT: the codec work of one job image (codec::validate,
// the same call the codec pool makes), measured as CPU time per call on one
// thread. Prints one JSON line: {"cpu_ms_per_call":..,"wall_ms_per_call":..,"width":..,"height":..}.

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "codec/validate.hpp"

namespace {

double cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

} // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: bench-validate FILE REPEAT\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  int const repeat = std::max(1, std::stoi(argv[2]));
  auto const wall0 = std::chrono::steady_clock::now();
  double const cpu0 = cpu_ms();
  panel::codec::image_info info{};
  for (int i = 0; i < repeat; ++i) {
    auto r = panel::codec::validate(panel::codec::byte_view{bytes.data(), bytes.size()});
    if (!r) {
      std::fprintf(stderr, "validate failed: %s\n", r.error().message.c_str());
      return 1;
    }
    info = *r;
  }
  double const cpu = (cpu_ms() - cpu0) / repeat;
  double const wall =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - wall0).count() / repeat;
  std::printf("{\"cpu_ms_per_call\":%.3f,\"wall_ms_per_call\":%.3f,\"width\":%u,\"height\":%u}\n", cpu, wall,
              static_cast<unsigned>(info.width), static_cast<unsigned>(info.height));
  return 0;
}
