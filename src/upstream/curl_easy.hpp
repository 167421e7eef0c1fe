#pragma once
// A small blocking HTTPS client on libcurl for detached actors only (never on io
// threads or ordinary actor threads): one GET with a timeout, a size cap, no
// redirects, and EXTRA_CA_FILE trusted besides the system CAs.

#include <cstdint>
#include <string>
#include <vector>

#include "core/expected.hpp"

namespace panel::upstream {

struct get_options {
  long timeout_ms = 3000;
  std::uint64_t max_bytes = 1024 * 1024;
  std::string extra_ca_file;              ///< PEM bundle added to the system store
  std::vector<std::string> headers;       ///< "Name: value"
  bool https_only = true;
};

struct http_result {
  long status = 0;
  std::string body;
};

/// Performs one GET. Fails on transport errors, timeouts and oversized bodies;
/// the message never contains the URL's query string.
[[nodiscard]] expected<http_result> blocking_get(std::string const& url, get_options const& opt);

/// Installs `extra_ca_file` on a CURL easy handle so that its certificates are
/// trusted in addition to the system CAs (libcurl's CAINFO would replace them).
/// `curl_handle` is a CURL*; kept void* so callers need not include curl.h.
void trust_extra_ca(void* curl_handle, std::string const& extra_ca_file);

} // namespace panel::upstream
