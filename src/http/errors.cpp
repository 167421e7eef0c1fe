#include "http/errors.hpp"

#include "core/crypto.hpp"
#include "core/json_writer.hpp"

namespace panel::http {

int status_of(errc code) {
  switch (code) {
  case errc::bad_request: return 400;
  case errc::unauthorized: return 401;
  case errc::forbidden: return 403;
  case errc::not_found: return 404;
  case errc::method_not_allowed: return 405;
  case errc::conflict: return 409;
  case errc::too_large: return 413;
  case errc::unsupported_media: return 415;
  case errc::validation: return 422;
  case errc::rate_limited: return 429;
  case errc::internal: return 500;
  case errc::upstream: return 502;
  case errc::unavailable: return 503;
  case errc::upstream_timeout: return 504;
  }
  return 500;
}

std::string_view error_code_of(int status) {
  switch (status) {
  case 400: return "bad_request";
  case 401: return "authentication_required";
  case 403: return "forbidden";
  case 404: return "not_found";
  case 405: return "method_not_allowed";
  case 409: return "conflict";
  case 413: return "request_too_large";
  case 415: return "unsupported_media_type";
  case 422: return "validation_error";
  case 429: return "rate_limited";
  case 502: return "upstream_error";
  case 503: return "service_unavailable";
  case 504: return "upstream_timeout";
  default: return status >= 500 ? "internal_error" : "request_rejected";
  }
}

response error_response(int status, std::string_view detail, std::string_view error_code) {
  auto const correlation_id = core::to_hex(core::random_bytes(16));
  core::json_writer w;
  w.begin_object()
      .field("status", "error")
      .field("error_code", error_code.empty() ? error_code_of(status) : error_code)
      .field("correlation_id", correlation_id)
      .field("detail", detail)
      .field("message", detail)
      .field("error", detail)
      .end_object();
  auto r = response::json(status, std::move(w).str());
  r.headers.set("X-Correlation-ID", correlation_id);
  r.headers.set("Cache-Control", "private, no-store");
  return r;
}

response error_response(error const& e) {
  auto const status = status_of(e.code);
  // Unexpected failures never leak their internals to the client.
  return status == 500 ? internal_error_response() : error_response(status, e.message);
}

response internal_error_response() {
  return error_response(500, "Internal Server Error");
}

} // namespace panel::http
