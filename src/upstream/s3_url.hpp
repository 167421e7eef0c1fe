#pragma once
// Where an S3 request goes (spec/API.md §11): the bucket's base URL in path-style
// or virtual-host addressing, object keys encoded the way S3 canonicalises them,
// and query strings already in SigV4 canonical order. Pure functions, no I/O.
//
// Why the canonical form matters: libcurl 7.88's CURLOPT_AWS_SIGV4 signs the path
// and the query exactly as they appear in the URL, while S3 decodes and re-encodes
// both (and sorts the query) before it checks the signature. A URL built here is
// already in that form, so what curl signs is what the server computes.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/expected.hpp"

namespace panel::upstream {

/// How the bucket is addressed.
enum class s3_addressing {
  path,         ///< https://endpoint/<bucket>/<key> (R2, MinIO, B2, AWS)
  virtual_host, ///< https://<bucket>.host/<key>: the endpoint already names the bucket
};

/// One bucket on one S3-compatible endpoint.
struct s3_bucket {
  std::string endpoint; ///< normalised "https://host[:port]" (core::normalise_r2_endpoint)
  std::string bucket;
  s3_addressing addressing = s3_addressing::path;
};

/// The addressing for `endpoint` and `bucket`: virtual-host when the endpoint's
/// host starts with "<bucket>." (the user gave the bucket's own host, e.g.
/// https://photos.s3.eu-west-1.amazonaws.com), else path-style.
[[nodiscard]] s3_addressing addressing_for(std::string_view endpoint, std::string_view bucket);

/// `text` percent-encoded the way SigV4 canonicalises it: A-Z a-z 0-9 - . _ ~
/// kept, '/' kept when `keep_slash`, every other byte as %XX (upper-case hex).
[[nodiscard]] std::string s3_uri_encode(std::string_view text, bool keep_slash);

/// Query parameters as name/value pairs (unencoded).
using s3_query = std::vector<std::pair<std::string, std::string>>;

/// "a=1&b=" : every name and value encoded with s3_uri_encode (no '/' kept),
/// sorted by encoded name then value, '=' always present. "" for no parameters.
[[nodiscard]] std::string canonical_query(s3_query params);

/// The URL of the bucket itself (HeadBucket, ListObjectsV2), with `query`
/// appended in canonical form when non-empty: "https://h/bucket?list-type=2".
[[nodiscard]] std::string bucket_url(s3_bucket const& b, s3_query const& query = {});

/// The URL of object `key` (encoded, '/' kept).
[[nodiscard]] std::string object_url(s3_bucket const& b, std::string_view key);

/// Checks a bucket name before it goes into a URL: 1-255 characters of
/// A-Z a-z 0-9 . _ - (wider than AWS's rules, which B2 and R2 relax).
/// errc::validation "Invalid bucket name: <why>".
[[nodiscard]] expected<void> check_bucket_name(std::string_view bucket);

/// Checks a signing region before it goes into "aws:amz:<region>:s3":
/// 1-100 characters of A-Z a-z 0-9 _ -. errc::validation "Invalid region: <why>".
[[nodiscard]] expected<void> check_region(std::string_view region);

/// The object key of a gallery file: `prefix` (normalised, "" or "a/b/") + filename.
[[nodiscard]] std::string gallery_object_key(std::string_view prefix, std::string_view filename);

/// The key of a health probe object: "<prefix>.r2-sync-probe-<hex32>.txt".
[[nodiscard]] std::string probe_object_key(std::string_view prefix, std::string_view hex32);

} // namespace panel::upstream
