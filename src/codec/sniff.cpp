#include "codec/sniff.hpp"

#include <algorithm>
#include <cstring>

namespace panel::codec {

namespace {

bool starts_with(byte_view b, std::string_view magic, std::size_t offset = 0) {
  return b.size() >= offset + magic.size() && std::memcmp(b.data() + offset, magic.data(), magic.size()) == 0;
}

std::uint32_t be32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

std::uint32_t le32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8) | (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[3]} << 24);
}

bool is_avif_brand(std::string_view b) { return b == "avif" || b == "avis"; }

bool is_heif_brand(std::string_view b) {
  static constexpr std::string_view brands[] = {"heic", "heix", "hevc", "hevx", "heim",
                                                "heis", "hevm", "hevs", "mif1", "msf1"};
  return std::find(std::begin(brands), std::end(brands), b) != std::end(brands);
}

// ISO BMFF: the first box must be `ftyp`; the major brand decides, then the
// compatible brands (AVIF files often carry major brand mif1 plus avif).
std::optional<image_format> sniff_bmff(byte_view b) {
  if (b.size() < 16 || !starts_with(b, "ftyp", 4)) {
    return std::nullopt;
  }
  const std::size_t box = std::min<std::size_t>(be32(b.data()), b.size());
  const std::string_view major(reinterpret_cast<const char*>(b.data() + 8), 4);
  bool compat_avif = false;
  bool compat_heif = false;
  for (std::size_t off = 16; off + 4 <= box; off += 4) {
    const std::string_view brand(reinterpret_cast<const char*>(b.data() + off), 4);
    compat_avif = compat_avif || is_avif_brand(brand);
    compat_heif = compat_heif || is_heif_brand(brand);
  }
  if (is_avif_brand(major)) {
    return image_format::avif;
  }
  if (major == "mif1" || major == "msf1") {
    return compat_avif ? image_format::avif : image_format::heif;
  }
  if (is_heif_brand(major)) {
    return image_format::heif;
  }
  if (compat_avif) {
    return image_format::avif;
  }
  if (compat_heif) {
    return image_format::heif;
  }
  return std::nullopt;
}

// "BM" alone is too weak (plain text starts with it); the DIB header size
// must be one of the known header versions.
bool is_bmp(byte_view b) {
  if (b.size() < 18 || !starts_with(b, "BM")) {
    return false;
  }
  const std::uint32_t dib = le32(b.data() + 14);
  return dib == 12 || dib == 16 || dib == 40 || dib == 52 || dib == 56 || dib == 64 || dib == 108 || dib == 124;
}

bool is_ico(byte_view b) {
  return b.size() >= 6 && b[0] == 0 && b[1] == 0 && b[2] == 1 && b[3] == 0 && (b[4] | b[5]) != 0;
}

} // namespace

std::optional<image_format> detect_format(byte_view b) {
  if (starts_with(b, "\x89PNG\r\n\x1a\n")) {
    return image_format::png;
  }
  if (starts_with(b, "\xff\xd8\xff")) {
    return image_format::jpeg;
  }
  if (starts_with(b, "RIFF") && starts_with(b, "WEBP", 8)) {
    return image_format::webp;
  }
  if (starts_with(b, "GIF87a") || starts_with(b, "GIF89a")) {
    return image_format::gif;
  }
  if (starts_with(b, std::string_view("II*\0", 4)) || starts_with(b, std::string_view("MM\0*", 4)) ||
      starts_with(b, std::string_view("II+\0", 4)) || starts_with(b, std::string_view("MM\0+", 4))) {
    return image_format::tiff;
  }
  if (is_bmp(b)) {
    return image_format::bmp;
  }
  if (is_ico(b)) {
    return image_format::ico;
  }
  return sniff_bmff(b);
}

bool looks_like_svg(byte_view b) {
  std::size_t i = 0;
  if (starts_with(b, "\xef\xbb\xbf")) {
    i = 3;
  }
  while (i < b.size() && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) {
    ++i;
  }
  if (i >= b.size() || b[i] != '<') {
    return false;
  }
  // An XML prolog, comments or a DOCTYPE may precede the root element.
  const std::size_t end = std::min<std::size_t>(b.size(), i + 4096);
  for (std::size_t k = i; k + 4 <= end; ++k) {
    if (b[k] == '<' && (b[k + 1] | 0x20) == 's' && (b[k + 2] | 0x20) == 'v' && (b[k + 3] | 0x20) == 'g') {
      return true;
    }
  }
  return false;
}

expected<image_format> sniff(byte_view bytes, sniff_context context) {
  if (const auto f = detect_format(bytes)) {
    return *f;
  }
  return fail(errc::bad_request,
              std::string(context == sniff_context::upload ? msg_upload_not_image : msg_not_raster));
}

} // namespace panel::codec
