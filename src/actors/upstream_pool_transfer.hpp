#pragma once
// Private to upstream_pool: one libcurl transfer (the easy handle and everything
// it points to, owned together) and the multi handle that drives them. No CAF
// here; everything runs on the pool's own thread.

#include <chrono>
#include <cstdio>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <curl/curl.h>

#include "core/expected.hpp"
#include "core/net_guard.hpp"

namespace panel::upstream {
class connect_pin;
}

namespace panel::actors {
struct upstream_pool_config;
struct upstream_post_request;
struct s3_request;
} // namespace panel::actors

namespace panel::actors::pool {

class multi_loop;

/// API calls keep any status and its body; image downloads keep only a 200's body.
enum class transfer_kind { api, image };

/// Everything one hop needs; filled by the actor once the target is checked.
struct transfer_spec {
  transfer_kind kind = transfer_kind::api;
  core::url_context context = core::url_context::upstream_api;
  core::url target;                          ///< passed validate_url / validate_redirect
  std::vector<core::ip_address> addresses;   ///< passed resolve_and_check; the pin
  std::string method = "GET";                ///< GET, POST, OPTIONS, HEAD; PUT, DELETE (S3)
  std::vector<std::string> headers;          ///< "Name: value", already checked for CR/LF
  std::shared_ptr<const std::string> body;   ///< POST body (kept alive for the transfer)
  std::string content_type;                  ///< of `body`
  std::string proxy;                         ///< "socks5://host:port" without credentials, or ""
  std::string proxy_user;                    ///< decoded; secret
  std::string proxy_password;                ///< decoded; secret
  std::chrono::milliseconds timeout{0};
  std::chrono::milliseconds connect_timeout{0};
  std::uint64_t max_bytes = 0;               ///< response cap (api) or image cap (image)
  std::string size_label;                    ///< api: "<label> too large: ..."
  bool truncate = false;                     ///< api: past max_bytes keep what fits and stop, no error
  // S3 requests (api kind): SigV4 signing by curl and a PUT body.
  std::string aws_sigv4;                     ///< CURLOPT_AWS_SIGV4 provider ("aws:amz:<region>:s3"), or ""
  std::string aws_key;                       ///< access key ID; secret
  std::string aws_secret;                    ///< secret access key; secret
  std::string upload_file;                   ///< PUT: stream the body from this file ...
  std::uint64_t upload_size = 0;             ///< ... of exactly this many bytes (else `body` is sent)
};

/// What a finished transfer brought back.
struct transfer_result {
  long status = 0;
  std::string content_type;
  std::string location;            ///< the final response's raw Location header
  std::string etag;                ///< the final response's ETag header, quotes removed
  std::string text;                ///< api: the body
  std::vector<std::uint8_t> bytes; ///< image: the body of a 200
};

/// One transfer: an easy handle configured from a transfer_spec, the pin, the
/// header list and the body it points to. Not movable (curl holds its address).
/// Removes itself from the multi handle when destroyed while attached.
class transfer {
public:
  /// Builds the easy handle; fails when the pin or an option is refused.
  [[nodiscard]] static expected<std::unique_ptr<transfer>> create(transfer_spec spec,
                                                                  std::string const& extra_ca_file);
  ~transfer();
  transfer(transfer const&) = delete;
  transfer& operator=(transfer const&) = delete;

  /// The easy handle (owned here).
  [[nodiscard]] CURL* handle() const { return easy_; }
  /// The spec it was built from.
  [[nodiscard]] transfer_spec const& spec() const { return spec_; }
  /// New connections this transfer opened (CURLINFO_NUM_CONNECTS; 0 = reused).
  [[nodiscard]] long connects() const;

  /// Judges the ended transfer in this order: pin and peer (check_after_transfer),
  /// a cap that aborted it, a timeout, any other curl failure; else the result.
  [[nodiscard]] expected<transfer_result> finish(CURLcode code, core::net_policy const& policy);

  // libcurl callbacks (static trampolines call these).
  std::size_t on_header(std::string_view line);
  std::size_t on_body(char const* data, std::size_t size);
  std::size_t on_read(char* buffer, std::size_t size);
  int on_seek(curl_off_t offset, int origin);

private:
  explicit transfer(transfer_spec spec);
  [[nodiscard]] expected<void> configure(std::string const& extra_ca_file);
  [[nodiscard]] expected<void> configure_upload();
  [[nodiscard]] bool headers_done();
  friend class multi_loop;

  transfer_spec spec_;
  std::unique_ptr<upstream::connect_pin> pin_;
  curl_slist* header_list_ = nullptr;
  transfer_result result_;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> upload_file_{nullptr, &std::fclose}; ///< PUT from a file
  std::uint64_t upload_offset_ = 0; ///< PUT from `spec_.body`: bytes handed to curl so far
  std::int64_t content_length_ = -1;
  std::uint64_t discarded_ = 0;
  bool final_headers_ = false;
  bool truncated_ = false;       ///< stopped at max_bytes on purpose (spec_.truncate)
  std::optional<error> abort_;   ///< why a callback stopped the transfer
  char error_buffer_[CURL_ERROR_SIZE] = {};
  multi_loop* attached_ = nullptr;
  CURL* easy_ = nullptr;         ///< cleaned up first in the destructor
};

/// The one multi handle: connection cache, per-host limit, polling.
class multi_loop {
public:
  /// One finished transfer: its easy handle and curl's verdict.
  using done = std::pair<CURL*, CURLcode>;

  multi_loop(long max_host_connections, long max_cached_connections);
  ~multi_loop();
  multi_loop(multi_loop const&) = delete;
  multi_loop& operator=(multi_loop const&) = delete;

  /// Starts driving `t`; it stays attached until `remove` or its destruction.
  [[nodiscard]] expected<void> add(transfer& t);
  /// Stops driving `t` (aborts it if it is still running).
  void remove(transfer& t);
  /// Lets curl make progress without waiting; returns the transfers that ended.
  [[nodiscard]] std::vector<done> perform();
  /// Waits until a socket is ready, curl's own timer is due or `max_wait` passed.
  void poll(std::chrono::milliseconds max_wait);
  /// Transfers attached now.
  [[nodiscard]] std::size_t attached() const { return attached_; }

private:
  CURLM* multi_ = nullptr;
  std::size_t attached_ = 0;
};

/// "socks5://host:port" plus decoded credentials from a proxy setting
/// `socks5://[user[:pass]@]host:port` (§6.11); errors never repeat the input.
struct proxy_endpoint {
  std::string url;
  std::string user;
  std::string password;
  std::string shown; ///< host:port, fit for logs
};

/// Parses a SOCKS5 proxy setting (scheme socks5, host and port, no path, query
/// or fragment). Fails with errc::validation "SOCKS5 proxy URL must use socks5://"
/// or "Invalid SOCKS5 proxy URL".
[[nodiscard]] expected<proxy_endpoint> parse_socks5_proxy(std::string_view text);

/// Connection timeout cap of every transfer.
inline constexpr std::chrono::milliseconds max_connect_timeout{10'000};

/// An API call (POST, or OPTIONS/HEAD for the health probe) as a transfer,
/// judged without I/O (upstream_pool_spec.cpp).
[[nodiscard]] expected<transfer_spec> api_spec(upstream_pool_config const& cfg, upstream_post_request const& req);
/// An S3 request: the R2 endpoint rules on the URL's origin (path and query are
/// canonical from upstream/s3_url), the same pinning and caps, SigV4 by curl.
[[nodiscard]] expected<transfer_spec> s3_spec(upstream_pool_config const& cfg, s3_request const& req);

} // namespace panel::actors::pool
