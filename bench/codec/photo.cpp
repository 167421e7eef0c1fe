#include "photo.hpp"

#include <algorithm>
#include <cmath>

namespace bench {

panel::codec::pixel_image photo(std::uint32_t w, std::uint32_t h, std::uint32_t seed) {
  panel::codec::pixel_image img{w, h, 3, std::vector<std::uint8_t>(std::size_t{w} * h * 3)};
  std::uint32_t state = seed * 2654435761u + 12345u;
  const double s = seed * 0.7;
  // Sharp-edged discs over the smooth fields give the resampler real edges.
  const double cx = 300 + 400 * std::fmod(seed * 0.37, 1.0);
  const double cy = 250 + 500 * std::fmod(seed * 0.61, 1.0);
  for (std::uint32_t y = 0; y < h; ++y) {
    std::uint8_t* p = img.row(y);
    for (std::uint32_t x = 0; x < w; ++x, p += 3) {
      state = state * 1664525u + 1013904223u;
      const int grain = static_cast<int>((state >> 24) % 13) - 6;
      const double fx = x * 1024.0 / w;
      const double fy = y * 1024.0 / h;
      const double v1 = std::sin(fx / 97.0 + s) * std::cos(fy / 131.0 - s);
      const double v2 = std::sin((fx + fy) / 211.0 + 2 * s);
      const double v3 = std::cos(std::hypot(fx - 512, fy - 400) / 57.0);
      const bool disc = std::hypot(fx - cx, fy - cy) < 140;
      const auto c = [&](double v) { return static_cast<std::uint8_t>(std::clamp(v + grain, 0.0, 255.0)); };
      p[0] = c(disc ? 220 - 40 * v2 : 128 + 80 * v1 + 30 * v3);
      p[1] = c(disc ? 190 + 30 * v1 : 110 + 60 * v2 + 40 * v1);
      p[2] = c(disc ? 60 : 100 + 70 * v3 - 20 * v2);
    }
  }
  return img;
}

} // namespace bench
