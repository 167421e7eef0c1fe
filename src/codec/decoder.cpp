#include "codec/decoder.hpp"

#include <cstring>
#include <new>

namespace panel::codec {

void collect_sink::begin(const raster_shape& shape) {
  image_.width = shape.width;
  image_.height = shape.height;
  image_.channels = shape.channels;
  image_.pixels.assign(static_cast<std::size_t>(shape.width) * shape.height * shape.channels, 0);
  next_row_ = 0;
}

void collect_sink::row(const std::uint8_t* pixels) {
  if (next_row_ < image_.height) {
    std::memcpy(image_.row(next_row_), pixels, image_.stride());
    ++next_row_;
  }
}

} // namespace panel::codec

namespace panel::codec::detail {

expected<void> check_byte_size(std::uint64_t size, std::uint64_t max_bytes) {
  if (size > max_bytes) {
    return fail(errc::too_large,
                "Image too large: " + std::to_string(size) + " bytes (max " + std::to_string(max_bytes) + ")");
  }
  return {};
}

expected<void> check_dimensions(std::uint64_t width, std::uint64_t height, std::uint64_t max_pixels) {
  if (width == 0 || height == 0) {
    return fail(errc::bad_request, "Image data is not fully decodable: the image has zero width or height");
  }
  // Both factors fit in 32 bits, so the product cannot overflow 64 bits.
  const std::uint64_t pixels = width * height;
  if (pixels > max_pixels) {
    return fail(errc::bad_request, "Image size (" + std::to_string(pixels) + " pixels) exceeds limit of " +
                                       std::to_string(max_pixels) + " pixels");
  }
  return {};
}

panel::error not_decodable(image_format f, std::string_view detail) {
  std::string message = "Image data is not fully decodable (";
  message += format_name(f);
  if (!detail.empty()) {
    message += ": ";
    // Library messages end in newlines or periods now and then.
    while (!detail.empty() && (detail.back() == '\n' || detail.back() == '.' || detail.back() == ' ')) {
      detail.remove_suffix(1);
    }
    message += detail.substr(0, 200);
  }
  message += ")";
  return panel::error{errc::bad_request, std::move(message)};
}

void deliver(const pixel_image& image, std::uint32_t source_width, std::uint32_t source_height, row_sink& sink) {
  sink.begin(raster_shape{image.width, image.height, image.channels, source_width, source_height});
  for (std::uint32_t y = 0; y < image.height; ++y) {
    sink.row(image.row(y));
  }
}

expected<header> decode(image_format f, byte_view bytes, const decode_options& options, row_sink& sink) {
  // Decoders allocate image-sized buffers only after the pixel check, but a
  // buffer the allocator cannot give (a 100 MP RGBA raster on a small host) is
  // still a refusal, not a crash. No exception leaves the codec.
  try {
    switch (f) {
    case image_format::png:
      return decode_png(bytes, options, sink);
    case image_format::jpeg:
      return decode_jpeg(bytes, options, sink);
    case image_format::webp:
      return decode_webp(bytes, options, sink);
    case image_format::gif:
      return decode_gif(bytes, options, sink);
    case image_format::tiff:
      return decode_tiff(bytes, options, sink);
    case image_format::avif:
      return decode_avif(bytes, options, sink);
    case image_format::heif:
      return decode_heif(bytes, options, sink);
    case image_format::bmp:
      return decode_bmp(bytes, options, sink);
    case image_format::ico:
      return decode_ico(bytes, options, sink);
    }
  } catch (const std::bad_alloc&) {
    return fail(errc::too_large, "Image is too large to decode in the available memory");
  }
  return tl::unexpected(not_decodable(f, "unknown format"));
}

} // namespace panel::codec::detail
