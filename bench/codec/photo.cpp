#include "photo.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace bench {

namespace {

// Value noise on a lattice of `cell` pixels, bilinearly interpolated: detail
// at one scale. Summed over octaves it gives the texture photos have
// (foliage, fabric, skin) that flat synthetic gradients lack.
class value_noise {
public:
  value_noise(std::uint32_t w, std::uint32_t h, double cell, std::uint32_t seed)
      : cell_(cell), gw_(static_cast<std::uint32_t>(w / cell) + 2), gh_(static_cast<std::uint32_t>(h / cell) + 2),
        grid_(std::size_t{gw_} * gh_) {
    std::uint32_t s = seed * 747796405u + 2891336453u;
    for (auto& v : grid_) {
      s = s * 1664525u + 1013904223u;
      v = static_cast<float>((s >> 8) & 0xFFFF) / 65535.0f * 2.0f - 1.0f;
    }
  }
  [[nodiscard]] float at(std::uint32_t x, std::uint32_t y) const {
    const double fx = x / cell_;
    const double fy = y / cell_;
    const auto ix = static_cast<std::uint32_t>(fx);
    const auto iy = static_cast<std::uint32_t>(fy);
    const auto tx = static_cast<float>(fx - ix);
    const auto ty = static_cast<float>(fy - iy);
    const float* r0 = grid_.data() + std::size_t{iy} * gw_ + ix;
    const float* r1 = r0 + gw_;
    const float a = r0[0] + (r0[1] - r0[0]) * tx;
    const float b = r1[0] + (r1[1] - r1[0]) * tx;
    return a + (b - a) * ty;
  }

private:
  double cell_;
  std::uint32_t gw_;
  std::uint32_t gh_;
  std::vector<float> grid_;
};

} // namespace

panel::codec::pixel_image photo(std::uint32_t w, std::uint32_t h, std::uint32_t seed) {
  panel::codec::pixel_image img{w, h, 3, std::vector<std::uint8_t>(std::size_t{w} * h * 3)};
  const double scale = w / 1024.0;
  const value_noise coarse(w, h, 48 * scale, seed), mid(w, h, 12 * scale, seed + 7), fine(w, h, 3 * scale, seed + 13);
  std::uint32_t state = seed * 2654435761u + 12345u;
  const double s = seed * 0.7;
  // A sharp-edged disc over the fields gives the resampler a real edge.
  const double cx = 300 + 400 * std::fmod(seed * 0.37, 1.0);
  const double cy = 250 + 500 * std::fmod(seed * 0.61, 1.0);
  for (std::uint32_t y = 0; y < h; ++y) {
    std::uint8_t* p = img.row(y);
    const double fy = y * 1024.0 / h;
    for (std::uint32_t x = 0; x < w; ++x, p += 3) {
      state = state * 1664525u + 1013904223u;
      const double grain = static_cast<int>((state >> 24) % 13) - 6;
      const double fx = x * 1024.0 / w;
      const double texture = 40 * coarse.at(x, y) + 22 * mid.at(x, y) + 12 * fine.at(x, y);
      const double v1 = std::sin(fx / 97.0 + s) * std::cos(fy / 131.0 - s);
      const double v2 = std::sin((fx + fy) / 211.0 + 2 * s);
      const bool disc = (fx - cx) * (fx - cx) + (fy - cy) * (fy - cy) < 140 * 140;
      const auto c = [&](double v) { return static_cast<std::uint8_t>(std::clamp(v + grain, 0.0, 255.0)); };
      if (disc) {
        p[0] = c(220 - 30 * v2 + 0.5 * texture);
        p[1] = c(190 + 20 * v1 + 0.5 * texture);
        p[2] = c(60 + 0.3 * texture);
      } else {
        p[0] = c(128 + 60 * v1 + texture);
        p[1] = c(110 + 50 * v2 + 0.8 * texture);
        p[2] = c(100 + 40 * v1 * v2 + 0.6 * texture);
      }
    }
  }
  return img;
}

} // namespace bench
