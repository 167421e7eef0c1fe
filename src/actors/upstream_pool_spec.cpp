// upstream_pool, the request side: what a request asks for, judged without I/O
// (methods, header injection, SOCKS5 only for API calls, the URL rules of its
// context, timeouts and caps) and turned into a transfer_spec.

#include <algorithm>

#include "actors/r2_messages.hpp"
#include "actors/upstream_pool.hpp"
#include "actors/upstream_pool_transfer.hpp"
#include "upstream/s3_calls.hpp"

namespace panel::actors::pool {

namespace {

bool has_line_break(std::string const& text) {
  return text.find_first_of("\r\n") != std::string::npos;
}

} // namespace

// Everything about an API call that can be judged without I/O.
expected<transfer_spec> api_spec(upstream_pool_config const& cfg, upstream_post_request const& req) {
  if (req.method != "POST" && req.method != "OPTIONS" && req.method != "HEAD") {
    return fail(errc::internal, "Unsupported upstream method: " + req.method);
  }
  if (std::any_of(req.headers.begin(), req.headers.end(), has_line_break) || has_line_break(req.content_type)) {
    return fail(errc::internal, "Upstream request headers must not contain line breaks");
  }
  transfer_spec spec;
  if (!req.socks5_proxy.empty()) {
    if (req.context != core::url_context::upstream_api) {
      return fail(errc::internal, "The SOCKS5 proxy is only for upstream API requests");
    }
    auto proxy = parse_socks5_proxy(req.socks5_proxy);
    if (!proxy) {
      return tl::unexpected{proxy.error()};
    }
    spec.proxy = std::move(proxy->url);
    spec.proxy_user = std::move(proxy->user);
    spec.proxy_password = std::move(proxy->password);
  }
  auto target = core::validate_url(req.url, req.context, cfg.policy);
  if (!target) {
    return tl::unexpected{target.error()};
  }
  auto const timeout = std::chrono::milliseconds{req.timeout_ms > 0 ? req.timeout_ms : cfg.api_timeout_ms};
  auto const connect = req.connect_timeout_ms > 0 ? std::chrono::milliseconds{req.connect_timeout_ms}
                                                  : max_connect_timeout;
  spec.kind = transfer_kind::api;
  spec.context = req.context;
  spec.target = std::move(*target);
  spec.method = req.method;
  spec.headers = req.headers;
  spec.body = req.body.data;
  spec.content_type = req.content_type;
  spec.timeout = timeout;
  spec.connect_timeout = std::min(connect, timeout);
  spec.max_bytes = req.max_response_bytes > 0 ? req.max_response_bytes : cfg.max_json_bytes;
  spec.size_label = req.size_label;
  spec.truncate = req.truncate_body;
  return spec;
}

// An S3 request: the endpoint rules of §11.1 on the URL's origin (the path and
// query are ours, built canonical by upstream/s3_url), then the same pinning and
// caps as any API call, plus SigV4 by curl.
expected<transfer_spec> s3_spec(upstream_pool_config const& cfg, s3_request const& req) {
  if (req.method != "GET" && req.method != "HEAD" && req.method != "PUT" && req.method != "DELETE") {
    return fail(errc::internal, "Unsupported S3 method: " + req.method);
  }
  if (std::any_of(req.headers.begin(), req.headers.end(), has_line_break)) {
    return fail(errc::internal, "S3 request headers must not contain line breaks");
  }
  if (auto region = upstream::check_region(req.region); !region) {
    return tl::unexpected{region.error()};
  }
  auto target = core::parse_url(req.url);
  if (!target) {
    return tl::unexpected{target.error()};
  }
  if (target->fragment || target->userinfo) {
    return fail(errc::internal, "S3 request URLs carry no userinfo and no fragment");
  }
  auto origin = core::validate_url(target->scheme + "://" + target->host_and_port(), core::url_context::r2,
                                   cfg.policy);
  if (!origin) {
    return tl::unexpected{origin.error()};
  }
  transfer_spec spec;
  spec.kind = transfer_kind::api;
  spec.context = core::url_context::r2;
  spec.target = std::move(*target);
  spec.method = req.method;
  spec.headers = req.headers;
  spec.body = req.body.data;
  spec.timeout = std::chrono::milliseconds{req.timeout_ms > 0 ? req.timeout_ms : cfg.api_timeout_ms};
  spec.connect_timeout = std::min(max_connect_timeout, spec.timeout);
  spec.max_bytes = req.max_response_bytes > 0 ? req.max_response_bytes : cfg.max_s3_bytes;
  spec.size_label = "S3 response";
  spec.aws_sigv4 = upstream::sigv4_provider(req.region);
  spec.aws_key = req.access_key_id;
  spec.aws_secret = req.secret_access_key;
  spec.upload_file = req.file_path;
  spec.upload_size = req.file_size;
  return spec;
}

} // namespace panel::actors::pool
