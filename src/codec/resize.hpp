#pragma once
// High-quality downscaling as a streaming row_sink: decoders push rows, the
// resampler keeps only a few rows of state, never the full source raster.

#include <cstdint>
#include <vector>

#include "codec/image.hpp"

namespace panel::codec {

/// Width and height of a raster.
struct size2 {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  friend bool operator==(const size2&, const size2&) = default;
};

/// The size that fits (width x height) into max_side x max_side keeping the
/// aspect ratio, never upscaling: the longest side becomes
/// min(max_side, longest), the other is rounded and at least 1.
[[nodiscard]] size2 fit_within(std::uint32_t width, std::uint32_t height, std::uint32_t max_side);

/// Streaming downscaler: an integer box prefilter while the image is more than
/// twice the target (the "reducing gap" of Pillow and libvips), then a
/// separable Lanczos-3 filter, computed in float on premultiplied alpha so
/// transparent pixels do not bleed colour. Never upscales: a target larger
/// than the source is clamped to the source. One instance per image, one thread.
class resampler final : public row_sink {
public:
  /// Resample to exactly `target` (clamped to the delivered size).
  explicit resampler(size2 target);
  /// Resample to fit_within(source size, max_side), computed in begin() from the
  /// *source* size, so shrink-on-load does not change the result's size.
  static resampler fit(std::uint32_t max_side);

  void begin(const raster_shape& shape) override;
  void row(const std::uint8_t* pixels) override;

  /// The result; valid after the decoder delivered every row.
  [[nodiscard]] pixel_image take();

  /// Four float lanes (r, g, b, a), the unit of every filter step.
  using lanes = float __attribute__((vector_size(16)));

  /// Filter taps for one axis: output i reads `count[i]` inputs from `start[i]`
  /// with weights at `weights[i * stride]`.
  struct taps {
    std::vector<std::uint32_t> start;
    std::vector<std::uint32_t> count;
    std::vector<float> weights;
    std::uint32_t stride = 0;
  };

private:
  resampler() = default;
  template <std::uint32_t Channels>
  void accumulate_row(const std::uint8_t* pixels);
  void finish_block();
  void emit_ready_rows();
  void store_output_row(const lanes* acc);

  size2 target_{};
  std::uint32_t fit_side_ = 0;
  raster_shape shape_{};
  std::uint32_t kx_ = 1;
  std::uint32_t ky_ = 1;
  std::uint32_t box_w_ = 0;
  std::uint32_t box_h_ = 0;
  bool identity_ = false;
  taps hx_;
  taps vy_;
  std::vector<lanes> box_acc_;   // one boxed row being summed
  std::vector<lanes> ring_;      // the last vy_.stride horizontally filtered rows
  std::vector<lanes> out_acc_;   // one output row being summed
  std::uint32_t rows_in_block_ = 0;
  std::uint32_t rows_seen_ = 0;
  std::uint32_t blocks_done_ = 0;
  std::uint32_t next_out_ = 0;
  pixel_image out_;
};

/// Resizes a whole image (convenience over resampler).
[[nodiscard]] pixel_image resize(const pixel_image& image, size2 target);

/// Applies an EXIF orientation (1..8) so the image displays upright; 1 and
/// unknown values return the image unchanged (moved, not copied).
[[nodiscard]] pixel_image apply_orientation(pixel_image image, std::uint8_t orientation);

} // namespace panel::codec
