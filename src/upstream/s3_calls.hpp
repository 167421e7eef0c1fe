#pragma once
// The five S3 operations of the R2 backup as plain request descriptions: method,
// URL (canonical path and query, s3_url.hpp) and headers, including the
// x-amz-content-sha256 header that libcurl 7.88's CURLOPT_AWS_SIGV4 does not add
// but signs and uses as the payload hash. The transfer (and the signature) is
// upstream_pool's job. Pure functions.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "upstream/s3_url.hpp"

namespace panel::upstream {

/// SHA-256 of the empty payload, for every request without a body.
inline constexpr std::string_view empty_payload_sha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// One S3 request, ready for the pool.
struct s3_call {
  std::string operation;            ///< "HeadBucket", "ListObjectsV2", ... (for messages)
  std::string method;               ///< HEAD, GET, PUT or DELETE
  std::string url;
  std::vector<std::string> headers; ///< "Name: value", no CR/LF
};

/// The CURLOPT_AWS_SIGV4 provider string: "aws:amz:<region>:s3".
[[nodiscard]] std::string sigv4_provider(std::string_view region);

/// HEAD on the bucket.
[[nodiscard]] s3_call head_bucket(s3_bucket const& b);

/// ListObjectsV2 of `prefix` ("" = whole bucket), continuing after `token` when
/// non-empty, at most `max_keys` keys per page (0 = the server's default, 1000).
[[nodiscard]] s3_call list_objects(s3_bucket const& b, std::string_view prefix, std::string_view token,
                                   int max_keys = 0);

/// HEAD on one object.
[[nodiscard]] s3_call head_object(s3_bucket const& b, std::string_view key);

/// PUT of one object whose body hashes to `sha256_hex` (lower-case hex of the
/// exact bytes sent), with `content_type` and user metadata sent as
/// `x-amz-meta-<name>` headers (names lower case; values outside printable ASCII
/// are percent-encoded).
[[nodiscard]] s3_call put_object(s3_bucket const& b, std::string_view key, std::string_view content_type,
                                 std::string_view sha256_hex,
                                 std::vector<std::pair<std::string, std::string>> const& metadata = {});

/// DELETE of one object (the health probe's cleanup; the sync never deletes).
[[nodiscard]] s3_call delete_object(s3_bucket const& b, std::string_view key);

} // namespace panel::upstream
