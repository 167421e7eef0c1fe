// GIF through giflib's record-level API: the first frame is decoded onto the
// logical screen (what Pillow shows), later frames are walked without LZW
// decoding so a truncated animation still fails. giflib reports errors by
// return code, no longjmp.

#include <gif_lib.h>

#include <cstring>

#include "codec/decoder.hpp"

namespace panel::codec::detail {

namespace {

// Later frames are only walked for structure; past this many we stop looking
// (giflib keeps a descriptor per frame, so the walk must be bounded).
constexpr int max_walked_frames = 10000;

struct gif_input {
  byte_view data;
  std::size_t pos = 0;
};

extern "C" int gif_read(GifFileType* gif, GifByteType* out, int n) {
  auto* in = static_cast<gif_input*>(gif->UserData);
  const std::size_t want = n > 0 ? static_cast<std::size_t>(n) : 0;
  const std::size_t got = std::min(want, in->data.size() - in->pos);
  std::memcpy(out, in->data.data() + in->pos, got);
  in->pos += got;
  return static_cast<int>(got);
}

// Owns the giflib decoder handle.
struct gif_file {
  GifFileType* gif = nullptr;
  gif_file() = default;
  gif_file(const gif_file&) = delete;
  gif_file& operator=(const gif_file&) = delete;
  ~gif_file() {
    if (gif != nullptr) {
      int err = 0;
      DGifCloseFile(gif, &err);
    }
  }
};

panel::error gif_error(const GifFileType* gif, int code = 0) {
  const int e = gif != nullptr ? gif->Error : code;
  const char* text = GifErrorString(e);
  return not_decodable(image_format::gif, text != nullptr ? text : "error");
}

// Skips an extension's sub-blocks; returns the transparent index of a
// Graphic Control Extension, or -1.
expected<int> read_extension(GifFileType* gif) {
  int code = 0;
  GifByteType* ext = nullptr;
  if (DGifGetExtension(gif, &code, &ext) == GIF_ERROR) {
    return tl::unexpected(gif_error(gif));
  }
  int transparent = -1;
  if (code == GRAPHICS_EXT_FUNC_CODE && ext != nullptr && ext[0] >= 4 && (ext[1] & 0x01) != 0) {
    transparent = ext[4];
  }
  while (ext != nullptr) {
    if (DGifGetExtensionNext(gif, &ext) == GIF_ERROR) {
      return tl::unexpected(gif_error(gif));
    }
  }
  return transparent;
}

struct canvas {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::vector<std::uint8_t> rgba;
  bool transparent_used = false;
};

// Decodes the first frame's LZW data onto the canvas (clipped to it).
expected<void> draw_first_frame(GifFileType* gif, int transparent, canvas& c) {
  const GifImageDesc& d = gif->Image;
  if (d.Width <= 0 || d.Height <= 0) {
    return tl::unexpected(not_decodable(image_format::gif, "frame has zero size"));
  }
  const ColorMapObject* map = d.ColorMap != nullptr ? d.ColorMap : gif->SColorMap;
  if (map == nullptr || map->Colors == nullptr) {
    return tl::unexpected(not_decodable(image_format::gif, "no colour map"));
  }
  const auto fw = static_cast<std::uint32_t>(d.Width);
  const auto fh = static_cast<std::uint32_t>(d.Height);
  const auto left = static_cast<std::uint32_t>(std::max(d.Left, 0));
  const auto top = static_cast<std::uint32_t>(std::max(d.Top, 0));
  if (left != 0 || top != 0 || fw != c.width || fh != c.height) {
    // Screen pixels outside the first frame stay transparent; a frame larger
    // than the screen is clipped to it, as viewers do.
    c.transparent_used = true;
  }
  std::vector<GifPixelType> line(fw);
  static constexpr std::uint32_t pass_start[] = {0, 4, 2, 1};
  static constexpr std::uint32_t pass_step[] = {8, 8, 4, 2};
  const int passes = d.Interlace ? 4 : 1;
  for (int pass = 0; pass < passes; ++pass) {
    const std::uint32_t start = d.Interlace ? pass_start[pass] : 0;
    const std::uint32_t step = d.Interlace ? pass_step[pass] : 1;
    for (std::uint32_t fy = start; fy < fh; fy += step) {
      if (DGifGetLine(gif, line.data(), d.Width) == GIF_ERROR) {
        return tl::unexpected(gif_error(gif));
      }
      const std::uint64_t cy = std::uint64_t{top} + fy;
      if (cy >= c.height) {
        continue;
      }
      std::uint8_t* out = c.rgba.data() + (cy * c.width + left) * 4;
      for (std::uint32_t fx = 0; fx < fw && std::uint64_t{left} + fx < c.width; ++fx, out += 4) {
        const int index = line[fx];
        if (index == transparent) {
          c.transparent_used = true;
          continue; // stays transparent black
        }
        if (index < map->ColorCount) {
          out[0] = map->Colors[index].Red;
          out[1] = map->Colors[index].Green;
          out[2] = map->Colors[index].Blue;
        }
        out[3] = 255;
      }
    }
  }
  return {};
}

// Walks a later frame: descriptor and code blocks, no LZW decoding.
expected<void> skip_frame(GifFileType* gif) {
  int code_size = 0;
  GifByteType* block = nullptr;
  if (DGifGetCode(gif, &code_size, &block) == GIF_ERROR) {
    return tl::unexpected(gif_error(gif));
  }
  while (block != nullptr) {
    if (DGifGetCodeNext(gif, &block) == GIF_ERROR) {
      return tl::unexpected(gif_error(gif));
    }
  }
  return {};
}

} // namespace

expected<header> decode_gif(byte_view bytes, const decode_options& options, row_sink& sink) {
  gif_input in{bytes};
  gif_file file;
  int open_error = 0;
  file.gif = DGifOpen(&in, gif_read, &open_error);
  if (file.gif == nullptr) {
    return tl::unexpected(gif_error(nullptr, open_error));
  }
  GifFileType* gif = file.gif;
  canvas c;
  c.width = static_cast<std::uint32_t>(std::max(gif->SWidth, 0));
  c.height = static_cast<std::uint32_t>(std::max(gif->SHeight, 0));
  if (auto ok = check_dimensions(c.width, c.height, options.max_pixels); !ok) {
    return tl::unexpected(ok.error());
  }
  int transparent = -1;
  int frames = 0;
  for (;;) {
    if (frames > 0 && in.pos == bytes.size()) {
      break; // a missing trailer after complete frames is common and harmless
    }
    GifRecordType record = UNDEFINED_RECORD_TYPE;
    if (DGifGetRecordType(gif, &record) == GIF_ERROR) {
      return tl::unexpected(gif_error(gif));
    }
    if (record == TERMINATE_RECORD_TYPE) {
      break;
    }
    if (record == EXTENSION_RECORD_TYPE) {
      auto t = read_extension(gif);
      if (!t) {
        return tl::unexpected(t.error());
      }
      if (frames == 0 && *t >= 0) {
        transparent = *t;
      }
      continue;
    }
    if (record != IMAGE_DESC_RECORD_TYPE) {
      return tl::unexpected(not_decodable(image_format::gif, "unknown record"));
    }
    if (DGifGetImageDesc(gif) == GIF_ERROR) {
      return tl::unexpected(gif_error(gif));
    }
    if (frames == 0) {
      c.rgba.assign(std::size_t{c.width} * c.height * 4, 0);
      if (auto ok = draw_first_frame(gif, transparent, c); !ok) {
        return tl::unexpected(ok.error());
      }
    } else if (auto ok = skip_frame(gif); !ok) {
      return tl::unexpected(ok.error());
    }
    if (++frames >= max_walked_frames) {
      break;
    }
  }
  if (frames == 0) {
    return tl::unexpected(not_decodable(image_format::gif, "no image in file"));
  }
  const std::uint32_t channels = c.transparent_used ? 4 : 3;
  sink.begin(raster_shape{c.width, c.height, channels, c.width, c.height});
  std::vector<std::uint8_t> rgb(channels == 3 ? std::size_t{c.width} * 3 : 0);
  for (std::uint32_t y = 0; y < c.height; ++y) {
    const std::uint8_t* src = c.rgba.data() + std::size_t{y} * c.width * 4;
    if (channels == 4) {
      sink.row(src);
      continue;
    }
    for (std::uint32_t x = 0; x < c.width; ++x) {
      std::memcpy(rgb.data() + x * 3, src + x * 4, 3);
    }
    sink.row(rgb.data());
  }
  return header{c.width, c.height, 1};
}

} // namespace panel::codec::detail
