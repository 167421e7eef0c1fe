#pragma once
// The OpenAPI 3.1 document of the API (§18), generated from the router's table so
// that every routed path is in it.

#include <string>

#include "http/router.hpp"

namespace panel::http {

/// Serialises the routes of `r` (except the SPA catch-all) as OpenAPI 3.1 JSON;
/// `cookie_name` is the access cookie (ACCESS_KEY_COOKIE_NAME).
[[nodiscard]] std::string openapi_document(router const& r, std::string const& cookie_name);

/// The OpenAPI form of a route pattern ("/api/x/{id}"); "" for routes left out
/// of the document (the static catch-all).
[[nodiscard]] std::string openapi_path(std::string const& pattern);

} // namespace panel::http
