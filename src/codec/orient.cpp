#include <cstring>

#include "codec/resize.hpp"

namespace panel::codec {

pixel_image apply_orientation(pixel_image image, std::uint8_t orientation) {
  if (orientation < 2 || orientation > 8 || image.pixels.empty()) {
    return image;
  }
  const std::uint32_t w = image.width;
  const std::uint32_t h = image.height;
  const std::uint32_t c = image.channels;
  // 5..8 swap the axes (EXIF: transpose, rotate 90 CW, transverse, rotate 270 CW).
  const bool swap = orientation >= 5;
  pixel_image out{swap ? h : w, swap ? w : h, c, {}};
  out.pixels.resize(image.pixels.size());
  for (std::uint32_t oy = 0; oy < out.height; ++oy) {
    std::uint8_t* dst = out.row(oy);
    for (std::uint32_t ox = 0; ox < out.width; ++ox, dst += c) {
      // Map each output pixel back to the stored pixel it shows.
      std::uint32_t sx = ox;
      std::uint32_t sy = oy;
      switch (orientation) {
      case 2: sx = w - 1 - ox; sy = oy; break;
      case 3: sx = w - 1 - ox; sy = h - 1 - oy; break;
      case 4: sx = ox; sy = h - 1 - oy; break;
      case 5: sx = oy; sy = ox; break;
      case 6: sx = oy; sy = h - 1 - ox; break;
      case 7: sx = w - 1 - oy; sy = h - 1 - ox; break;
      case 8: sx = w - 1 - oy; sy = ox; break;
      default: break;
      }
      std::memcpy(dst, image.row(sy) + std::size_t{sx} * c, c);
    }
  }
  return out;
}

} // namespace panel::codec
