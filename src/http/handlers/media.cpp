// Media (spec §3.9): GET /api/image/{filename}, /api/thumb/{filename} and
// /api/download/{filename}. The name must be a plain basename with an image
// extension AND be referenced by a gallery row, so neither traversal (in any
// encoding: the router decodes once, and what is left must still be a plain
// name) nor orphan files are ever served. Checks and stat run on a reader
// thread; bodies are streamed from disk by the session (ranges through a
// file_source); ETag/Last-Modified, Range and 304 follow http/conditional.

#include <ctime>

#include "actors/bridge.hpp"
#include "actors/handles.hpp"
#include "actors/runtime.hpp"
#include "codec/format.hpp"
#include "http/app.hpp"
#include "http/file_response.hpp"
#include "http/thumbnail_maker.hpp"
#include "store/gallery_repo.hpp"

namespace panel::http {

namespace {

constexpr std::string_view image_not_found = "Image not found";
constexpr std::string_view thumbnail_not_found = "Thumbnail not found";

// Well-formed UTF-8 without overlong forms, surrogates or control characters:
// the bytes a name decodes to must mean one thing to every layer below.
bool clean_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto const c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7F) {
        return false;
      }
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > s.size()) {
      return false;
    }
    for (std::size_t k = 1; k < len; ++k) {
      auto const cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) {
        return false;
      }
      cp = (cp << 6) | (cc & 0x3F);
    }
    constexpr std::uint32_t min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for_len[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || (cp >= 0x80 && cp < 0xA0)) {
      return false;
    }
    i += len;
  }
  return true;
}

/// The image format of a servable name, or nullopt for anything that is not a
/// plain basename with one of the image extensions.
std::optional<codec::image_format> servable(std::string_view name) {
  if (name.empty() || name.size() > 255 || name == "." || name == ".." || name.front() == '.' ||
      name.find_first_of(std::string_view{"/\\\0", 3}) != std::string_view::npos || !clean_utf8(name)) {
    return std::nullopt;
  }
  auto const dot = name.rfind('.');
  if (dot == std::string_view::npos) {
    return std::nullopt;
  }
  return codec::format_from_extension(name.substr(dot));
}

// `gpt-image-<UTC now as YYYYmmdd_HHMMSS>.<ext>` as an attachment (§3.9).
std::string download_disposition(std::string_view name) {
  auto const now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d_%H%M%S", &utc);
  auto const ext = name.substr(name.rfind('.') + 1);
  return "attachment; filename=\"gpt-image-" + std::string{stamp} + "." + std::string{ext} + "\"";
}

// GET /api/image and /api/download: row check and stat on a reader, then the file.
void serve_image(app& a, request& req, responder reply, bool download) {
  auto const name = req.params["filename"];
  auto const format = servable(name);
  if (!format) {
    reply(error_response(404, image_not_found));
    return;
  }
  media_file file;
  file.path = a.cfg.images_dir / name;
  file.content_type = std::string{codec::format_mime(*format)};
  if (download) {
    file.content_disposition = download_disposition(name);
  }
  auto const cond = conditional_fields(req.method, req.headers);
  actors::on_reader(a.runtime.actors(), reply,
                    [reply, name, file, cond](store::database& db) mutable {
                      auto referenced = store::gallery_repo{db}.references_file(name);
                      if (!referenced) {
                        reply(error_response(referenced.error()));
                        return;
                      }
                      auto const stat = *referenced ? stat_file(file.path) : std::nullopt;
                      if (!stat) {
                        reply(error_response(404, image_not_found));
                        return;
                      }
                      file.validators = *stat;
                      reply(media_response(cond, file, image_not_found));
                    });
}

} // namespace

void register_media_routes(app& a) {
  thumbnail_settings settings;
  settings.images_dir = a.cfg.images_dir;
  settings.thumbnails_dir = a.cfg.thumbnails_dir;
  settings.max_side = static_cast<std::uint32_t>(a.cfg.thumbnail_max_side);
  settings.max_pixels = static_cast<std::uint64_t>(a.cfg.max_image_pixels);
  settings.max_bytes = static_cast<std::uint64_t>(a.cfg.max_file_size_mb) << 20;
  auto thumbs = std::make_shared<thumbnail_maker>(a.runtime, std::move(settings));

  a.routes.add("GET", "/api/image/{filename}", {"An image file of the gallery", "media", true, "", {200, 206, 304, 401, 404, 416}},
               [&a](request& req, responder reply) { serve_image(a, req, std::move(reply), false); });

  a.routes.add("GET", "/api/download/{filename}",
               {"An image file of the gallery as an attachment", "media", true, "", {200, 206, 304, 401, 404, 416}},
               [&a](request& req, responder reply) { serve_image(a, req, std::move(reply), true); });

  a.routes.add("GET", "/api/thumb/{filename}",
               {"The WebP thumbnail of a gallery image (made on first request)", "media", true, "",
                {200, 206, 304, 401, 404, 416}},
               [thumbs](request& req, responder reply) {
                 auto const name = req.params["filename"];
                 if (!servable(name)) {
                   reply(error_response(404, thumbnail_not_found));
                   return;
                 }
                 auto const cond = conditional_fields(req.method, req.headers);
                 thumbs->get(name, [reply, cond](thumbnail_maker::result const& found) {
                   if (!found) {
                     reply(found.error().code == errc::not_found ? error_response(404, thumbnail_not_found)
                                                                 : error_response(found.error()));
                     return;
                   }
                   auto const stat = stat_file(*found);
                   if (!stat) {
                     reply(error_response(404, thumbnail_not_found));
                     return;
                   }
                   reply(media_response(cond, media_file{*found, "image/webp", *stat, std::nullopt},
                                        thumbnail_not_found));
                 });
               });
}

} // namespace panel::http
