#pragma once
// The one place that turns an error into an HTTP status and the JSON error body of
// spec §1.2: {"status":"error","error_code":...,"correlation_id":...,"detail":...,
// "message":...,"error":...}. `detail` is always a string.

#include <string_view>

#include "core/expected.hpp"
#include "http/message.hpp"

namespace panel::http {

/// HTTP status for an error category.
[[nodiscard]] int status_of(errc code);

/// The default `error_code` string for a status (400 bad_request, 401 authentication_required, ...).
[[nodiscard]] std::string_view error_code_of(int status);

/// An error response. `error_code` overrides the status default (gate rejections
/// use host_not_allowed, ip_not_allowed, csrf_rejected).
[[nodiscard]] response error_response(int status, std::string_view detail, std::string_view error_code = {});

/// An error response for a panel::error.
[[nodiscard]] response error_response(error const& e);

/// 500 "Internal Server Error": what anything unexpected becomes.
[[nodiscard]] response internal_error_response();

} // namespace panel::http
