// HEIC/HEIF through libheif (HEVC via libde265). The primary image's declared
// size is checked before decoding; libheif applies irot/imir/clap itself, so
// the delivered raster is already upright.

#include <libheif/heif.h>

#include <mutex>

#include "codec/bmff.hpp"
#include "codec/decoder.hpp"

namespace panel::codec::detail {

namespace {

struct heif_ctx {
  heif_context* ctx = heif_context_alloc();
  heif_ctx() = default;
  heif_ctx(const heif_ctx&) = delete;
  heif_ctx& operator=(const heif_ctx&) = delete;
  ~heif_ctx() { heif_context_free(ctx); }
};

struct heif_handle {
  heif_image_handle* handle = nullptr;
  heif_handle() = default;
  heif_handle(const heif_handle&) = delete;
  heif_handle& operator=(const heif_handle&) = delete;
  ~heif_handle() {
    if (handle != nullptr) {
      heif_image_handle_release(handle);
    }
  }
};

struct heif_img {
  heif_image* image = nullptr;
  heif_img() = default;
  heif_img(const heif_img&) = delete;
  heif_img& operator=(const heif_img&) = delete;
  ~heif_img() {
    if (image != nullptr) {
      heif_image_release(image);
    }
  }
};

struct heif_decode_opts {
  heif_decoding_options* opts = heif_decoding_options_alloc();
  heif_decode_opts() = default;
  heif_decode_opts(const heif_decode_opts&) = delete;
  heif_decode_opts& operator=(const heif_decode_opts&) = delete;
  ~heif_decode_opts() { heif_decoding_options_free(opts); }
};

void init_libheif_once() {
  // Reference counted in libheif; we keep one reference for the process.
  static std::once_flag once;
  std::call_once(once, [] { heif_init(nullptr); });
}

panel::error heif_failure(const heif_error& e) {
  return not_decodable(image_format::heif, e.message != nullptr ? e.message : "error");
}

} // namespace

expected<header> decode_heif(byte_view bytes, const decode_options& options, row_sink& sink) {
  // The declared size, read by us before libheif allocates anything.
  if (const auto ispe = bmff_largest_ispe(bytes)) {
    if (auto ok = check_dimensions(ispe->first, ispe->second, options.max_pixels); !ok) {
      return tl::unexpected(ok.error());
    }
  }
  // AV1-coded items are AVIF whatever the brands say: libavif decodes them
  // (and refuses them without an avif brand). libheif 1.15's own dav1d path
  // leaks on corrupt input, found by fuzz_transcode.
  if (bmff_has_item_type(bytes, "av01")) {
    return decode_avif(bytes, options, sink);
  }
  if (bmff_references_unsafe(bytes)) {
    return tl::unexpected(not_decodable(image_format::heif, "cyclic or too deeply nested image references"));
  }
  init_libheif_once();
  heif_ctx ctx;
  if (ctx.ctx == nullptr) {
    return fail(errc::internal, "libheif initialisation failed");
  }
  heif_context_set_max_decoding_threads(ctx.ctx, 0);
  heif_error e = heif_context_read_from_memory_without_copy(ctx.ctx, bytes.data(), bytes.size(), nullptr);
  if (e.code != heif_error_Ok) {
    return tl::unexpected(heif_failure(e));
  }
  heif_handle handle;
  e = heif_context_get_primary_image_handle(ctx.ctx, &handle.handle);
  if (e.code != heif_error_Ok) {
    return tl::unexpected(heif_failure(e));
  }
  const int hw = heif_image_handle_get_width(handle.handle);
  const int hh = heif_image_handle_get_height(handle.handle);
  const auto w = static_cast<std::uint32_t>(std::max(hw, 0));
  const auto h = static_cast<std::uint32_t>(std::max(hh, 0));
  if (auto ok = check_dimensions(w, h, options.max_pixels); !ok) {
    return tl::unexpected(ok.error());
  }
  const bool alpha = heif_image_handle_has_alpha_channel(handle.handle) != 0;
  heif_decode_opts opts;
  if (opts.opts == nullptr) {
    return fail(errc::internal, "libheif initialisation failed");
  }
  opts.opts->convert_hdr_to_8bit = 1;
  heif_img img;
  e = heif_decode_image(handle.handle, &img.image, heif_colorspace_RGB,
                        alpha ? heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB, opts.opts);
  if (e.code != heif_error_Ok) {
    return tl::unexpected(heif_failure(e));
  }
  const int iw = heif_image_get_width(img.image, heif_channel_interleaved);
  const int ih = heif_image_get_height(img.image, heif_channel_interleaved);
  int stride = 0;
  const std::uint8_t* plane = heif_image_get_plane_readonly(img.image, heif_channel_interleaved, &stride);
  const std::uint32_t channels = alpha ? 4 : 3;
  if (plane == nullptr || stride < iw * static_cast<int>(channels)) {
    return tl::unexpected(not_decodable(image_format::heif, "decoded image has an unexpected layout"));
  }
  // A clean-aperture crop may shrink the raster; it must never grow past the check.
  if (auto ok = check_dimensions(std::max(iw, 0), std::max(ih, 0), options.max_pixels); !ok) {
    return tl::unexpected(ok.error());
  }
  const auto uw = static_cast<std::uint32_t>(iw);
  const auto uh = static_cast<std::uint32_t>(ih);
  sink.begin(raster_shape{uw, uh, channels, uw, uh});
  for (std::uint32_t y = 0; y < uh; ++y) {
    sink.row(plane + static_cast<std::size_t>(y) * static_cast<std::size_t>(stride));
  }
  return header{w, h, 1};
}

} // namespace panel::codec::detail
