// Fuzzes the content sniffer and the EXIF orientation parsers: pure parsing of
// untrusted bytes, every offset bounds-checked.

#include <cstddef>
#include <cstdint>

#include "codec/exif.hpp"
#include "codec/sniff.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const panel::codec::byte_view bytes(data, size);
  const auto detected = panel::codec::detect_format(bytes);
  const auto checked = panel::codec::sniff(bytes, panel::codec::sniff_context::upload);
  if (detected.has_value() != checked.has_value()) {
    __builtin_trap(); // the two entry points must agree
  }
  (void)panel::codec::looks_like_svg(bytes);
  (void)panel::codec::detail::jpeg_orientation(bytes);
  const auto o = panel::codec::detail::exif_orientation(panel::codec::detail::strip_exif_prefix(bytes));
  if (o < 1 || o > 8) {
    __builtin_trap();
  }
  return 0;
}
