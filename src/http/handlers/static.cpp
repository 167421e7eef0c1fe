// The web app: index with CSP nonce, favicon, assets and the SPA fallback (§3.1).

#include "http/app.hpp"

namespace panel::http {

void register_static_routes(app& a) {
  a.routes.add("GET", "/", {"The web app", "web", false, "", {200, 500}},
               [&a](request&, responder reply) { reply(a.site.index()); });
  a.routes.add("GET", "/favicon.ico", {"Favicon", "web", false, "", {200, 404}},
               [&a](request&, responder reply) { reply(a.site.favicon()); });
  a.routes.add("GET", "/{path...}", {"Web app assets and deep links", "web", true, "", {200, 404}},
               [&a](request& req, responder reply) { reply(a.site.serve(req.path)); });
}

} // namespace panel::http
