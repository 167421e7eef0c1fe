#pragma once
// Plain value types shared by every codec entry point: byte buffers, limits,
// what validation reports, and a decoded RGB/RGBA raster.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "codec/format.hpp"

namespace panel::codec {

/// Image bytes shared immutably between actors and threads; never copied on the way.
using shared_bytes = std::shared_ptr<const std::vector<std::uint8_t>>;

/// A read-only view of encoded image bytes; the caller keeps them alive for the call.
using byte_view = std::span<const std::uint8_t>;

/// Wraps a vector into shared immutable bytes (moves, no copy).
[[nodiscard]] inline shared_bytes share(std::vector<std::uint8_t> bytes) {
  return std::make_shared<const std::vector<std::uint8_t>>(std::move(bytes));
}

/// Limits applied before any pixel is decoded (spec §15: MAX_IMAGE_PIXELS,
/// MAX_FILE_SIZE_MB). The defaults are the spec's defaults.
struct limits {
  std::uint64_t max_pixels = 100'000'000;      ///< width * height of the declared image
  std::uint64_t max_bytes = 50ull * 1024 * 1024; ///< size of the encoded file
};

/// What validate() reports: the sniffed format and the header dimensions
/// (as stored, before any EXIF orientation), and the encoded size.
struct image_info {
  image_format format = image_format::png;
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::uint64_t bytes = 0;
};

/// A decoded raster, rows top to bottom, tightly packed, 8 bits per sample.
/// channels is 3 (RGB) or 4 (RGBA, straight alpha). Owned by value.
struct pixel_image {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::uint32_t channels = 3;
  std::vector<std::uint8_t> pixels;

  /// Bytes per row.
  [[nodiscard]] std::size_t stride() const { return static_cast<std::size_t>(width) * channels; }
  /// Pointer to the first byte of row `y`.
  [[nodiscard]] const std::uint8_t* row(std::uint32_t y) const { return pixels.data() + y * stride(); }
  /// Mutable pointer to the first byte of row `y`.
  [[nodiscard]] std::uint8_t* row(std::uint32_t y) { return pixels.data() + y * stride(); }
};

/// The raster a decoder is about to deliver. width/height may be smaller than
/// source_width/source_height when the decoder shrank on load (JPEG DCT scaling).
struct raster_shape {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::uint32_t channels = 3;       ///< 3 (RGB) or 4 (RGBA, straight alpha)
  std::uint32_t source_width = 0;   ///< the stored image's width
  std::uint32_t source_height = 0;  ///< the stored image's height
};

/// Receives decoded rows from a decoder, top to bottom, exactly `height` rows of
/// `width * channels` bytes each. Lets validation discard rows and thumbnails
/// resample them on the fly instead of holding the whole raster. Called on the
/// decoding thread; implementations must not throw across C library frames
/// (decoders call them only from C++ frames).
class row_sink {
public:
  virtual ~row_sink() = default;
  /// Called once before the first row.
  virtual void begin(const raster_shape& shape) = 0;
  /// One row of `width * channels` bytes; the pointer is valid only during the call.
  virtual void row(const std::uint8_t* pixels) = 0;
};

/// A sink that keeps every row: the decoded image, for transcoding and tests.
class collect_sink final : public row_sink {
public:
  void begin(const raster_shape& shape) override;
  void row(const std::uint8_t* pixels) override;
  /// The collected image; call after the decoder returned successfully.
  [[nodiscard]] pixel_image take() { return std::move(image_); }

private:
  pixel_image image_;
  std::uint32_t next_row_ = 0;
};

/// A sink that drops rows: decoding only proves the data is valid.
class discard_sink final : public row_sink {
public:
  void begin(const raster_shape&) override {}
  void row(const std::uint8_t*) override {}
};

} // namespace panel::codec
