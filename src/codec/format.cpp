#include "codec/format.hpp"

#include <string>

#include "core/strings.hpp"

namespace panel::codec {

namespace {

struct format_row {
  image_format format;
  std::string_view name;
  std::string_view extension;
  std::string_view mime;
};

constexpr format_row rows[] = {
    {image_format::png, "png", "png", "image/png"},     {image_format::jpeg, "jpeg", "jpg", "image/jpeg"},
    {image_format::webp, "webp", "webp", "image/webp"}, {image_format::gif, "gif", "gif", "image/gif"},
    {image_format::avif, "avif", "avif", "image/avif"}, {image_format::bmp, "bmp", "bmp", "image/bmp"},
    {image_format::heif, "heif", "heif", "image/heif"}, {image_format::ico, "ico", "ico", "image/x-icon"},
    {image_format::tiff, "tiff", "tiff", "image/tiff"},
};

const format_row& row_of(image_format f) {
  for (const auto& r : rows) {
    if (r.format == f) {
      return r;
    }
  }
  return rows[0];
}

} // namespace

std::string_view format_name(image_format f) { return row_of(f).name; }

std::string_view format_extension(image_format f) { return row_of(f).extension; }

std::string_view format_mime(image_format f) { return row_of(f).mime; }

std::optional<image_format> format_from_extension(std::string_view ext) {
  if (!ext.empty() && ext.front() == '.') {
    ext.remove_prefix(1);
  }
  const std::string e = core::to_lower(ext);
  struct alias {
    std::string_view ext;
    image_format format;
  };
  // The twelve upload extensions of spec §3.6, nothing more.
  static constexpr alias aliases[] = {
      {"png", image_format::png},   {"jpg", image_format::jpeg},  {"jpeg", image_format::jpeg},
      {"webp", image_format::webp}, {"gif", image_format::gif},   {"avif", image_format::avif},
      {"bmp", image_format::bmp},   {"heic", image_format::heif}, {"heif", image_format::heif},
      {"ico", image_format::ico},   {"tif", image_format::tiff},  {"tiff", image_format::tiff},
  };
  for (const auto& a : aliases) {
    if (a.ext == e) {
      return a.format;
    }
  }
  return std::nullopt;
}

std::optional<image_format> format_from_mime(std::string_view mime) {
  if (const auto semi = mime.find(';'); semi != std::string_view::npos) {
    mime = mime.substr(0, semi);
  }
  const std::string m = core::to_lower(core::trim(mime));
  struct alias {
    std::string_view mime;
    image_format format;
  };
  // What browsers and Python's mimetypes send for these formats.
  static constexpr alias aliases[] = {
      {"image/png", image_format::png},          {"image/apng", image_format::png},
      {"image/jpeg", image_format::jpeg},        {"image/jpg", image_format::jpeg},
      {"image/pjpeg", image_format::jpeg},       {"image/webp", image_format::webp},
      {"image/gif", image_format::gif},          {"image/avif", image_format::avif},
      {"image/bmp", image_format::bmp},          {"image/x-bmp", image_format::bmp},
      {"image/x-ms-bmp", image_format::bmp},     {"image/heic", image_format::heif},
      {"image/heif", image_format::heif},        {"image/heic-sequence", image_format::heif},
      {"image/heif-sequence", image_format::heif}, {"image/x-icon", image_format::ico},
      {"image/vnd.microsoft.icon", image_format::ico}, {"image/ico", image_format::ico},
      {"image/tiff", image_format::tiff},        {"image/tif", image_format::tiff},
  };
  for (const auto& a : aliases) {
    if (a.mime == m) {
      return a.format;
    }
  }
  return std::nullopt;
}

bool upstream_accepts(image_format f) {
  return f == image_format::png || f == image_format::jpeg || f == image_format::webp;
}

} // namespace panel::codec
