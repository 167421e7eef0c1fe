#include "upstream/s3_calls.hpp"

#include "core/strings.hpp"

namespace panel::upstream {

namespace {

std::string sha_header(std::string_view hex) {
  return "x-amz-content-sha256: " + std::string{hex};
}

// Header values stay on one line and in printable ASCII: anything else is
// percent-encoded (our values are ids, hashes and numbers, so this is a guard).
std::string header_safe(std::string_view value) {
  std::string out;
  for (char const ch : value) {
    auto const c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c < 0x7f && c != '%') {
      out += ch;
    } else {
      out += s3_uri_encode(std::string_view{&ch, 1}, false);
    }
  }
  return out;
}

s3_call make(std::string operation, std::string method, std::string url, std::string_view payload_sha) {
  s3_call c;
  c.operation = std::move(operation);
  c.method = std::move(method);
  c.url = std::move(url);
  c.headers.push_back(sha_header(payload_sha));
  return c;
}

} // namespace

std::string sigv4_provider(std::string_view region) {
  return "aws:amz:" + std::string{region} + ":s3";
}

s3_call head_bucket(s3_bucket const& b) {
  return make("HeadBucket", "HEAD", bucket_url(b), empty_payload_sha256);
}

s3_call list_objects(s3_bucket const& b, std::string_view prefix, std::string_view token, int max_keys) {
  s3_query q{{"list-type", "2"}};
  if (!prefix.empty()) {
    q.emplace_back("prefix", std::string{prefix});
  }
  if (!token.empty()) {
    q.emplace_back("continuation-token", std::string{token});
  }
  if (max_keys > 0) {
    q.emplace_back("max-keys", std::to_string(max_keys));
  }
  return make("ListObjectsV2", "GET", bucket_url(b, q), empty_payload_sha256);
}

s3_call head_object(s3_bucket const& b, std::string_view key) {
  return make("HeadObject", "HEAD", object_url(b, key), empty_payload_sha256);
}

s3_call put_object(s3_bucket const& b, std::string_view key, std::string_view content_type,
                   std::string_view sha256_hex, std::vector<std::pair<std::string, std::string>> const& metadata) {
  auto c = make("PutObject", "PUT", object_url(b, key), sha256_hex);
  c.headers.push_back("Content-Type: " + header_safe(content_type));
  for (auto const& [name, value] : metadata) {
    c.headers.push_back("x-amz-meta-" + core::to_lower(name) + ": " + header_safe(value));
  }
  return c;
}

s3_call delete_object(s3_bucket const& b, std::string_view key) {
  return make("DeleteObject", "DELETE", object_url(b, key), empty_payload_sha256);
}

} // namespace panel::upstream
