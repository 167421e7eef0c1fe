#pragma once
// panel::expected<T>: the one error-carrying return type of the project.

#include <string>
#include <utility>

#include <tl/expected.hpp>

namespace panel {

/// Every error category the panel knows. Exactly one function
/// (http/error_mapping) turns a category into an HTTP status.
enum class errc {
  bad_request = 1,      ///< 400: malformed or refused input
  unauthorized,         ///< 401
  forbidden,            ///< 403
  not_found,            ///< 404
  method_not_allowed,   ///< 405
  conflict,             ///< 409
  too_large,            ///< 413
  unsupported_media,    ///< 415
  validation,           ///< 422: input parsed but did not validate
  rate_limited,         ///< 429
  internal,             ///< 500: anything unexpected
  upstream,             ///< 502: the upstream answered badly
  unavailable,          ///< 503
  upstream_timeout,     ///< 504
};

/// An error category plus a human-readable message that is safe to show
/// (never contains a secret).
struct error {
  errc code = errc::internal;
  std::string message;
};

template <class T>
using expected = tl::expected<T, error>;

/// Shorthand for returning a failure: `return fail(errc::validation, "...")`.
inline tl::unexpected<error> fail(errc code, std::string message) {
  return tl::unexpected<error>{error{code, std::move(message)}};
}

} // namespace panel
