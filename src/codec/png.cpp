// PNG through libpng's low-level API, rows streamed to the sink.
//
// libpng reports errors by longjmp. The rule kept here: every function that
// calls setjmp (png_read_head, png_start_rows, png_read_body) has only trivially destructible
// locals, and all C++ objects live in the caller's `png_job`, so a longjmp
// never skips a destructor. Our callbacks only copy into fixed buffers.

#include <png.h>

#include <csetjmp>
#include <cstdio>
#include <cstring>

#include "codec/decoder.hpp"
#include "codec/encode.hpp"
#include "codec/exif.hpp"

namespace panel::codec::detail {

namespace {

struct png_io {
  byte_view data;
  std::size_t pos = 0;
  char message[192] = {};
};

extern "C" void png_on_error(png_structp png, png_const_charp msg) {
  auto* io = static_cast<png_io*>(png_get_error_ptr(png));
  std::snprintf(io->message, sizeof io->message, "%s", msg != nullptr ? msg : "error");
  png_longjmp(png, 1);
}

extern "C" void png_on_warning(png_structp, png_const_charp) {}

extern "C" void png_on_read(png_structp png, png_bytep out, std::size_t n) {
  auto* io = static_cast<png_io*>(png_get_io_ptr(png));
  if (n > io->data.size() - io->pos) {
    png_error(png, "truncated file");
  }
  std::memcpy(out, io->data.data() + io->pos, n);
  io->pos += n;
}

// Owns the libpng read structs (RAII over png_destroy_read_struct).
struct png_reader {
  png_structp png = nullptr;
  png_infop info = nullptr;
  png_reader() = default;
  png_reader(const png_reader&) = delete;
  png_reader& operator=(const png_reader&) = delete;
  ~png_reader() {
    if (png != nullptr) {
      png_destroy_read_struct(&png, info != nullptr ? &info : nullptr, nullptr);
    }
  }
};

struct png_job {
  png_io io;
  png_reader reader;
  png_uint_32 width = 0;
  png_uint_32 height = 0;
  int channels = 3;
  int passes = 1;
  std::uint8_t orientation = 1;
  bool verify_checksums = true;
  std::size_t rowbytes = 0;
};

// Chunks we never use: skipping them saves time and their memory bombs (zTXt).
constexpr png_byte ignored_chunks[] = "iCCP\0iTXt\0tEXt\0zTXt\0sPLT\0hIST\0tIME\0pCAL\0sCAL\0sBIT\0";

// Reads the signature and every chunk up to the first IDAT: size and EXIF.
bool png_read_head(png_job& job) {
  png_structp png = job.reader.png;
  png_infop info = job.reader.info;
  if (setjmp(png_jmpbuf(png))) {
    return false;
  }
  png_set_read_fn(png, &job.io, png_on_read);
  // Our pixel limit is checked right after this; libpng's own caps (1e6 per
  // side) would refuse legal wide images first.
  png_set_user_limits(png, 0x7fffffffL, 0x7fffffffL);
  png_set_chunk_malloc_max(png, 8u << 20);
  if (!job.verify_checksums) {
    png_set_crc_action(png, PNG_CRC_QUIET_USE, PNG_CRC_QUIET_USE);
    png_set_option(png, PNG_IGNORE_ADLER32, PNG_OPTION_ON);
  }
  png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, ignored_chunks,
                              static_cast<int>(sizeof ignored_chunks / 5));
  png_read_info(png, info);
  job.width = png_get_image_width(png, info);
  job.height = png_get_image_height(png, info);
  png_bytep exif = nullptr;
  png_uint_32 exif_len = 0;
  if (png_get_eXIf_1(png, info, &exif_len, &exif) != 0 && exif != nullptr) {
    job.orientation = exif_orientation(strip_exif_prefix(byte_view(exif, exif_len)));
  }
  return true;
}

// Sets the transforms to 8-bit RGB(A). png_read_update_info allocates the
// row buffers, so it runs only after the pixel limit was checked.
bool png_start_rows(png_job& job) {
  png_structp png = job.reader.png;
  png_infop info = job.reader.info;
  if (setjmp(png_jmpbuf(png))) {
    return false;
  }
  const int color = png_get_color_type(png, info);
  const int depth = png_get_bit_depth(png, info);
  if (depth == 16) {
    png_set_scale_16(png);
  }
  if (color == PNG_COLOR_TYPE_PALETTE) {
    png_set_palette_to_rgb(png);
  }
  if (color == PNG_COLOR_TYPE_GRAY && depth < 8) {
    png_set_expand_gray_1_2_4_to_8(png);
  }
  if (png_get_valid(png, info, PNG_INFO_tRNS) != 0) {
    png_set_tRNS_to_alpha(png);
  }
  if (color == PNG_COLOR_TYPE_GRAY || color == PNG_COLOR_TYPE_GRAY_ALPHA) {
    png_set_gray_to_rgb(png);
  }
  job.passes = png_set_interlace_handling(png);
  png_read_update_info(png, info);
  job.channels = png_get_channels(png, info);
  job.rowbytes = png_get_rowbytes(png, info);
  return true;
}

// Reads every row (every pass when interlaced) and the rest of the datastream.
// `rows` is either one row buffer reused (streaming) or a whole raster.
bool png_read_body(png_job& job, std::uint8_t* rows, std::size_t row_stride, row_sink* stream) {
  png_structp png = job.reader.png;
  if (setjmp(png_jmpbuf(png))) {
    return false;
  }
  for (int pass = 0; pass < job.passes; ++pass) {
    for (png_uint_32 y = 0; y < job.height; ++y) {
      std::uint8_t* row = rows + (stream != nullptr ? 0 : y * row_stride);
      png_read_row(png, row, nullptr);
      if (stream != nullptr && job.passes == 1) {
        stream->row(row);
      }
    }
  }
  png_read_end(png, nullptr);
  return true;
}

} // namespace

expected<header> decode_png(byte_view bytes, const decode_options& options, row_sink& sink) {
  png_job job;
  job.io.data = bytes;
  job.verify_checksums = options.verify_checksums;
  job.reader.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &job.io, png_on_error, png_on_warning);
  if (job.reader.png == nullptr) {
    return fail(errc::internal, "libpng initialisation failed");
  }
  job.reader.info = png_create_info_struct(job.reader.png);
  if (job.reader.info == nullptr) {
    return fail(errc::internal, "libpng initialisation failed");
  }
  if (!png_read_head(job)) {
    return tl::unexpected(not_decodable(image_format::png, job.io.message));
  }
  if (auto ok = check_dimensions(job.width, job.height, options.max_pixels); !ok) {
    return tl::unexpected(ok.error());
  }
  if (!png_start_rows(job)) {
    return tl::unexpected(not_decodable(image_format::png, job.io.message));
  }
  // libpng writes rowbytes per row: our buffers must be exactly that wide.
  if ((job.channels != 3 && job.channels != 4) || job.rowbytes != std::size_t{job.width} * job.channels) {
    return tl::unexpected(not_decodable(image_format::png, "unsupported channel layout"));
  }
  const auto channels = static_cast<std::uint32_t>(job.channels);
  const raster_shape shape{job.width, job.height, channels, job.width, job.height};
  const std::size_t stride = std::size_t{job.width} * channels;
  const bool stream = job.passes == 1 || options.validate_only;
  // Interlaced images need the whole raster to combine the seven passes.
  pixel_image whole;
  std::vector<std::uint8_t> one_row;
  if (stream) {
    one_row.resize(stride);
    sink.begin(shape);
  } else {
    whole = pixel_image{job.width, job.height, channels, std::vector<std::uint8_t>(stride * job.height)};
  }
  const bool ok = png_read_body(job, stream ? one_row.data() : whole.pixels.data(), stride, stream ? &sink : nullptr);
  if (!ok) {
    return tl::unexpected(not_decodable(image_format::png, job.io.message));
  }
  if (stream && job.passes > 1) {
    // Validation of an interlaced image: rows were decoded, deliver blanks.
    for (png_uint_32 y = 0; y < job.height; ++y) {
      sink.row(one_row.data());
    }
  }
  if (!stream) {
    deliver(whole, job.width, job.height, sink);
  }
  return header{job.width, job.height, job.orientation};
}

} // namespace panel::codec::detail

namespace panel::codec {

expected<std::vector<std::uint8_t>> encode_png(const pixel_image& image) {
  png_image img{};
  img.version = PNG_IMAGE_VERSION;
  img.width = image.width;
  img.height = image.height;
  img.format = image.channels == 4 ? PNG_FORMAT_RGBA : PNG_FORMAT_RGB;
  png_alloc_size_t size = 0;
  if (png_image_write_to_memory(&img, nullptr, &size, 0, image.pixels.data(), 0, nullptr) == 0) {
    std::string message = img.message;
    png_image_free(&img);
    return fail(errc::internal, "PNG encoding failed: " + message);
  }
  std::vector<std::uint8_t> out(size);
  if (png_image_write_to_memory(&img, out.data(), &size, 0, image.pixels.data(), 0, nullptr) == 0) {
    std::string message = img.message;
    png_image_free(&img);
    return fail(errc::internal, "PNG encoding failed: " + message);
  }
  out.resize(size);
  return out;
}

} // namespace panel::codec
