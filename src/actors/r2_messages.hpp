#pragma once
// Messages of the R2 backup (issue 7): one S3 request through upstream_pool and
// its answer. Plain values with inspect() so CAF can carry them.

#include <cstdint>
#include <string>
#include <vector>

#include "actors/messages.hpp"

namespace panel::actors {

/// One S3 request (upstream/s3_calls.hpp builds method, URL and headers), signed
/// by libcurl with AWS SigV4 ("aws:amz:<region>:s3"). The URL's origin must pass
/// the R2 endpoint rules (§11.1) and the private-address check (§6.8); redirects
/// are not followed. The credentials are secrets: the pool never logs them or
/// puts them in errors.
struct s3_request {
  std::string method;                   ///< HEAD, GET, PUT or DELETE
  std::string url;                      ///< https URL with canonical path and query
  std::vector<std::string> headers;     ///< "Name: value", x-amz-content-sha256 included; no CR/LF
  std::string region;                   ///< signing region ("auto" for R2)
  std::string access_key_id;            ///< resolved secret
  std::string secret_access_key;        ///< resolved secret
  shared_text body;                     ///< PUT body from memory (ignored when file_path is set)
  std::string file_path;                ///< PUT body streamed from this file, `file_size` bytes
  std::uint64_t file_size = 0;
  std::int64_t timeout_ms = 0;          ///< whole transfer; 0: the pool default
  std::uint64_t max_response_bytes = 0; ///< 0: 16 MiB (listings are far smaller)
  std::string cancel_key;               ///< `upstream_cancel_atom` with this key aborts it; "" = none
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, s3_request& x) {
  return f(x.method, x.url, x.headers, x.region, x.access_key_id, x.secret_access_key, x.body, x.file_path,
           x.file_size, x.timeout_ms, x.max_response_bytes, x.cancel_key);
}

/// Any HTTP answer to an s3_request (errors included: the caller turns them into
/// messages with upstream::s3_error_message).
struct s3_reply {
  std::int32_t status = 0;
  std::string etag; ///< the ETag header, quotes removed ("" when none)
  shared_text body;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, s3_reply& x) {
  return f(x.status, x.etag, x.body);
}

} // namespace panel::actors
