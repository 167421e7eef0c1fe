#include "http/openapi.hpp"

#include <map>

#include "core/json_writer.hpp"
#include "core/strings.hpp"

namespace panel::http {

namespace {

std::string reason(int status) {
  switch (status) {
  case 200: return "OK";
  case 201: return "Created";
  case 202: return "Accepted";
  case 304: return "Not Modified";
  case 400: return "Bad request";
  case 401: return "Access key required";
  case 403: return "Forbidden (IP allowlist or CSRF)";
  case 404: return "Not found";
  case 409: return "Conflict";
  case 413: return "Request body too large";
  case 415: return "Unsupported media type";
  case 422: return "Validation error";
  case 429: return "Too many requests";
  case 500: return "Internal Server Error";
  case 502: return "Upstream error";
  case 504: return "Upstream timeout";
  default: return "Response";
  }
}

void write_operation(core::json_writer& w, route const& r) {
  w.key(core::to_lower(r.method)).begin_object();
  w.field("summary", r.doc.summary);
  w.key("tags").begin_array().value(r.doc.tag).end_array();
  w.field("operationId", core::to_lower(r.method) + r.pattern);
  if (!r.doc.needs_access) {
    w.key("security").begin_array().end_array();
  }
  w.key("parameters").begin_array();
  std::string_view p = r.pattern;
  while (true) {
    auto const open = p.find('{');
    if (open == std::string_view::npos) {
      break;
    }
    auto const close = p.find('}', open);
    w.begin_object()
        .field("name", p.substr(open + 1, close - open - 1))
        .field("in", "path")
        .field("required", true)
        .key("schema")
        .begin_object()
        .field("type", "string")
        .end_object()
        .end_object();
    p.remove_prefix(close + 1);
  }
  w.end_array();
  if (!r.doc.request_body.empty()) {
    auto const type = r.doc.request_body == "multipart" ? "multipart/form-data" : "application/json";
    w.key("requestBody").begin_object().field("required", true).key("content").begin_object();
    w.key(type).begin_object().key("schema").begin_object().field("type", "object").end_object().end_object();
    w.end_object().end_object();
  }
  w.key("responses").begin_object();
  for (int const status : r.doc.responses) {
    w.key(std::to_string(status)).begin_object().field("description", reason(status));
    if (status >= 400) {
      w.key("content").begin_object().key("application/json").begin_object().key("schema").begin_object();
      w.field("$ref", "#/components/schemas/Error").end_object().end_object().end_object();
    }
    w.end_object();
  }
  w.end_object();
  w.end_object();
}

} // namespace

std::string openapi_path(std::string const& pattern) {
  return pattern.find("...}") != std::string::npos ? std::string{} : pattern;
}

std::string openapi_document(router const& r, std::string const& cookie_name) {
  std::map<std::string, std::vector<route const*>> paths;
  for (auto const& rt : r.routes()) {
    if (auto p = openapi_path(rt.pattern); !p.empty()) {
      paths[p].push_back(&rt);
    }
  }
  core::json_writer w;
  w.begin_object().field("openapi", "3.1.0");
  w.key("info").begin_object().field("title", "Image Panel API").field("version", "1");
  w.field("description", "Self-hosted panel for GPT-compatible image APIs. Unsafe methods need a same-origin "
                         "Origin/Referer; most routes need the access cookie from POST /api/access.");
  w.end_object();
  w.key("paths").begin_object();
  for (auto const& [path, routes] : paths) {
    w.key(path).begin_object();
    for (auto const* rt : routes) {
      write_operation(w, *rt);
    }
    w.end_object();
  }
  w.end_object();
  w.key("components").begin_object();
  w.key("securitySchemes").begin_object().key("accessCookie").begin_object();
  w.field("type", "apiKey").field("in", "cookie").field("name", cookie_name).end_object().end_object();
  w.key("schemas").begin_object().key("Error").begin_object().field("type", "object");
  w.key("required").begin_array().value("detail").end_array();
  w.key("properties").begin_object();
  for (auto const* f : {"status", "error_code", "correlation_id", "detail", "message", "error"}) {
    w.key(f).begin_object().field("type", "string").end_object();
  }
  w.end_object().end_object().end_object();
  w.end_object();
  w.key("security").begin_array().begin_object().key("accessCookie").begin_array().end_array().end_object().end_array();
  w.end_object();
  return std::move(w).str();
}

} // namespace panel::http
