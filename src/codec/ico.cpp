// ICO: a directory of images, each an embedded PNG or a headerless DIB. The
// largest entry (then the deepest) is the image, as in Pillow; every
// directory entry must lie inside the file.

#include <cstring>

#include "codec/decoder.hpp"

namespace panel::codec::detail {

namespace {

std::uint32_t le16(const std::uint8_t* p) { return p[0] | (p[1] << 8); }
std::uint32_t le32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8) | (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[3]} << 24);
}

struct ico_entry {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::uint32_t bpp = 0;
  std::uint32_t size = 0;
  std::uint32_t offset = 0;
};

} // namespace

expected<header> decode_ico(byte_view bytes, const decode_options& options, row_sink& sink) {
  if (bytes.size() < 6 || le16(bytes.data()) != 0 || le16(bytes.data() + 2) != 1) {
    return tl::unexpected(not_decodable(image_format::ico, "invalid header"));
  }
  const std::uint32_t count = le16(bytes.data() + 4);
  if (count == 0) {
    return tl::unexpected(not_decodable(image_format::ico, "no images in file"));
  }
  if (6 + std::size_t{count} * 16 > bytes.size()) {
    return tl::unexpected(not_decodable(image_format::ico, "truncated directory"));
  }
  ico_entry best;
  bool found = false;
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::uint8_t* e = bytes.data() + 6 + std::size_t{i} * 16;
    ico_entry entry{e[0] == 0 ? 256u : e[0], e[1] == 0 ? 256u : e[1], le16(e + 6), le32(e + 8), le32(e + 12)};
    if (entry.size == 0 || entry.offset > bytes.size() || entry.size > bytes.size() - entry.offset) {
      return tl::unexpected(not_decodable(image_format::ico, "directory entry outside the file"));
    }
    const std::uint64_t area = std::uint64_t{entry.width} * entry.height;
    const std::uint64_t best_area = std::uint64_t{best.width} * best.height;
    if (!found || area > best_area || (area == best_area && entry.bpp > best.bpp)) {
      best = entry;
      found = true;
    }
  }
  const byte_view image = bytes.subspan(best.offset, best.size);
  if (image.size() >= 8 && std::memcmp(image.data(), "\x89PNG\r\n\x1a\n", 8) == 0) {
    // Errors name png: the embedded image is what failed.
    return decode_png(image, options, sink);
  }
  return decode_dib(image, true, options, sink);
}

} // namespace panel::codec::detail
