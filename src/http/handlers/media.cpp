// Image files (spec §3.9): GET /api/image/{filename}. The name must be a plain
// basename with an image extension AND be referenced by a gallery row, so
// neither traversal nor orphan files are ever served; the body is streamed
// from disk by the session. (Thumbnails, downloads, Range and ETag arrive with
// the gallery issue.)

#include "actors/bridge.hpp"
#include "actors/handles.hpp"
#include "actors/runtime.hpp"
#include "codec/format.hpp"
#include "http/app.hpp"

namespace panel::http {

namespace {

constexpr std::string_view image_not_found = "Image not found";

/// The image format of a servable name, or nullopt for anything that is not a
/// plain basename with one of the image extensions.
std::optional<codec::image_format> servable(std::string_view name) {
  if (name.empty() || name == "." || name == ".." || name.front() == '.' ||
      name.find_first_of(std::string_view{"/\\\0", 3}) != std::string_view::npos) {
    return std::nullopt;
  }
  auto const dot = name.rfind('.');
  if (dot == std::string_view::npos) {
    return std::nullopt;
  }
  return codec::format_from_extension(name.substr(dot));
}

} // namespace

void register_media_routes(app& a) {
  a.routes.add("GET", "/api/image/{filename}", {"An image file of the gallery", "media", true, "", {200, 401, 404}},
               [&a](request& req, responder reply) {
                 auto const name = req.params["filename"];
                 auto const format = servable(name);
                 if (!format) {
                   reply(error_response(404, image_not_found));
                   return;
                 }
                 auto path = a.cfg.images_dir / name;
                 auto const mime = std::string(codec::format_mime(*format));
                 actors::ask(
                     a.runtime.system(), a.runtime.actors().store, std::chrono::seconds(30),
                     [reply, path, mime](bool found) {
                       if (!found) {
                         reply(error_response(404, image_not_found));
                         return;
                       }
                       response r;
                       r.file = path;
                       r.headers.set("Content-Type", mime);
                       r.headers.set("Cache-Control", "public, max-age=31536000");
                       reply(std::move(r));
                     },
                     actors::error_reply(reply), actors::gallery_file_atom::value, name, path.string());
               });
}

} // namespace panel::http
