#include "upstream/s3_url.hpp"

#include <algorithm>

#include "core/strings.hpp"

namespace panel::upstream {

namespace {

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

// The host of a normalised endpoint "https://host[:port]" (lower case already).
std::string_view endpoint_host(std::string_view endpoint) {
  auto const scheme = endpoint.find("://");
  if (scheme != std::string_view::npos) {
    endpoint.remove_prefix(scheme + 3);
  }
  return endpoint.substr(0, endpoint.find_first_of(":/"));
}

// The endpoint without a trailing '/', so paths can be appended.
std::string_view endpoint_base(std::string_view endpoint) {
  while (!endpoint.empty() && endpoint.back() == '/') {
    endpoint.remove_suffix(1);
  }
  return endpoint;
}

std::string bucket_root(s3_bucket const& b) {
  std::string out{endpoint_base(b.endpoint)};
  out += '/';
  if (b.addressing == s3_addressing::path) {
    out += s3_uri_encode(b.bucket, false);
  }
  return out;
}

} // namespace

s3_addressing addressing_for(std::string_view endpoint, std::string_view bucket) {
  auto const host = core::to_lower(endpoint_host(endpoint));
  auto const lead = core::to_lower(bucket) + ".";
  if (!bucket.empty() && host.size() > lead.size() && host.starts_with(lead)) {
    return s3_addressing::virtual_host;
  }
  return s3_addressing::path;
}

std::string s3_uri_encode(std::string_view text, bool keep_slash) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char const ch : text) {
    auto const c = static_cast<unsigned char>(ch);
    if (unreserved(c) || (keep_slash && c == '/')) {
      out += ch;
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 0x0f];
    }
  }
  return out;
}

std::string canonical_query(s3_query params) {
  for (auto& [name, value] : params) {
    name = s3_uri_encode(name, false);
    value = s3_uri_encode(value, false);
  }
  // SigV4 sorts by the encoded bytes: std::string's operator< compares them as char,
  // and every encoded byte is ASCII, so the order is the byte order.
  std::sort(params.begin(), params.end());
  std::string out;
  for (auto const& [name, value] : params) {
    if (!out.empty()) {
      out += '&';
    }
    out += name;
    out += '=';
    out += value;
  }
  return out;
}

std::string bucket_url(s3_bucket const& b, s3_query const& query) {
  // Path-style: "/bucket" without a trailing '/', the form the SDKs send.
  auto out = bucket_root(b);
  if (!query.empty()) {
    out += '?';
    out += canonical_query(query);
  }
  return out;
}

std::string object_url(s3_bucket const& b, std::string_view key) {
  auto out = bucket_root(b);
  if (b.addressing == s3_addressing::path) {
    out += '/';
  }
  out += s3_uri_encode(key, true);
  return out;
}

expected<void> check_bucket_name(std::string_view bucket) {
  if (bucket.empty()) {
    return fail(errc::validation, "Invalid bucket name: it is empty");
  }
  if (bucket.size() > 255) {
    return fail(errc::validation, "Invalid bucket name: it is longer than 255 characters");
  }
  bool const ok = std::all_of(bucket.begin(), bucket.end(), [](char c) {
    auto const u = static_cast<unsigned char>(c);
    return unreserved(u) && c != '~';
  });
  if (!ok) {
    return fail(errc::validation, "Invalid bucket name: use only letters, digits, '.', '_' and '-'");
  }
  return {};
}

expected<void> check_region(std::string_view region) {
  if (region.empty() || region.size() > 100) {
    return fail(errc::validation, "Invalid region: it must have 1 to 100 characters");
  }
  bool const ok = std::all_of(region.begin(), region.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
  if (!ok) {
    return fail(errc::validation, "Invalid region: use only letters, digits, '_' and '-'");
  }
  return {};
}

std::string gallery_object_key(std::string_view prefix, std::string_view filename) {
  std::string out{prefix};
  out += filename;
  return out;
}

std::string probe_object_key(std::string_view prefix, std::string_view hex32) {
  std::string out{prefix};
  out += ".r2-sync-probe-";
  out += hex32;
  out += ".txt";
  return out;
}

} // namespace panel::upstream
