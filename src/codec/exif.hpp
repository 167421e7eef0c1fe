#pragma once
// Internal: the EXIF orientation tag, read with every offset bounds-checked.
// Only the orientation is read; nothing else in EXIF is trusted or kept.

#include <cstdint>

#include "codec/image.hpp"

namespace panel::codec::detail {

/// Orientation (1..8) from a TIFF-structured EXIF block, i.e. the bytes after
/// "Exif\0\0" (they start with "II*\0" or "MM\0*"). 1 when absent or malformed.
[[nodiscard]] std::uint8_t exif_orientation(byte_view tiff);

/// Orientation from a JPEG's first APP1 "Exif" segment; scans the marker
/// segments up to the first SOS. 1 when absent or malformed.
[[nodiscard]] std::uint8_t jpeg_orientation(byte_view jpeg);

/// Strips an optional "Exif\0\0" prefix (PNG eXIf and WebP EXIF chunks carry
/// the TIFF block directly, but some writers add the JPEG prefix anyway).
[[nodiscard]] byte_view strip_exif_prefix(byte_view exif);

} // namespace panel::codec::detail
