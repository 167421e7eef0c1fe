// upstream_pool's curl side: one easy handle per hop, configured from a
// transfer_spec (pin, TLS trust, caps, timeouts, optional SOCKS5), the header and
// body callbacks that enforce the caps while streaming, the verdict once curl is
// done, and the RAII multi handle.

#include "actors/upstream_pool_transfer.hpp"

#include <algorithm>
#include <charconv>
#include <mutex>

#include "core/strings.hpp"
#include "upstream/curl_easy.hpp"
#include "upstream/error_body.hpp"
#include "upstream/pinning.hpp"
#include "upstream/size_guard.hpp"

namespace panel::actors::pool {

namespace {

// Error pages and redirect bodies of image downloads are read and dropped;
// past this the connection is not worth keeping.
constexpr std::uint64_t max_discarded_bytes = 1 << 20;
// A Content-Length is a claim, not a promise: reserve no more than this up front.
constexpr std::uint64_t max_reserve_bytes = 16 << 20;

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::size_t header_trampoline(char* data, std::size_t size, std::size_t n, void* user) {
  return static_cast<transfer*>(user)->on_header(std::string_view{data, size * n});
}

std::size_t body_trampoline(char* data, std::size_t size, std::size_t n, void* user) {
  return static_cast<transfer*>(user)->on_body(data, size * n);
}

std::size_t read_trampoline(char* buffer, std::size_t size, std::size_t n, void* user) {
  return static_cast<transfer*>(user)->on_read(buffer, size * n);
}

int seek_trampoline(void* user, curl_off_t offset, int origin) {
  return static_cast<transfer*>(user)->on_seek(offset, origin);
}

// Every option is part of the contract; one refused option fails the transfer.
class options {
public:
  explicit options(CURL* handle) : handle_{handle} {}

  template <class Value>
  void set(CURLoption option, Value value) {
    if (ok_ && curl_easy_setopt(handle_, option, value) != CURLE_OK) {
      ok_ = false;
    }
  }

  [[nodiscard]] expected<void> result() const {
    if (ok_) {
      return {};
    }
    return fail(errc::internal, "curl refused a transfer option");
  }

private:
  CURL* handle_;
  bool ok_ = true;
};

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  c = static_cast<char>(c | 0x20);
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size() || hex_value(text[i + 1]) < 0 || hex_value(text[i + 2]) < 0) {
      return std::nullopt;
    }
    out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
    i += 2;
  }
  return out;
}

std::string_view header_value(std::string_view line, std::string_view name) {
  if (line.size() <= name.size() || line[name.size()] != ':' ||
      !core::iequals(line.substr(0, name.size()), name)) {
    return {};
  }
  return core::trim(line.substr(name.size() + 1));
}

} // namespace

expected<proxy_endpoint> parse_socks5_proxy(std::string_view text) {
  text = core::trim(text);
  if (core::url_scheme_of(text) != "socks5") {
    return fail(errc::validation, "SOCKS5 proxy URL must use socks5://");
  }
  auto const parsed = core::parse_url(text);
  if (!parsed || !parsed->port || parsed->query || parsed->fragment || !(parsed->path.empty() || parsed->path == "/")) {
    return fail(errc::validation, "Invalid SOCKS5 proxy URL");
  }
  proxy_endpoint out;
  out.shown = parsed->host_and_port();
  out.url = "socks5://" + out.shown;
  if (parsed->userinfo) {
    auto const& info = *parsed->userinfo;
    auto const colon = info.find(':');
    auto user = percent_decode(std::string_view{info}.substr(0, colon));
    auto password = percent_decode(colon == std::string::npos ? "" : std::string_view{info}.substr(colon + 1));
    if (!user || !password) {
      return fail(errc::validation, "Invalid SOCKS5 proxy URL");
    }
    out.user = std::move(*user);
    out.password = std::move(*password);
  }
  return out;
}

transfer::transfer(transfer_spec spec) : spec_{std::move(spec)} {}

transfer::~transfer() {
  if (attached_ != nullptr) {
    attached_->remove(*this);
  }
  // The handle goes first: the lists, the pin and the body it points to outlive it.
  curl_easy_cleanup(easy_);
  curl_slist_free_all(header_list_);
}

expected<std::unique_ptr<transfer>> transfer::create(transfer_spec spec, std::string const& extra_ca_file) {
  global_init();
  std::unique_ptr<transfer> t{new transfer(std::move(spec))};
  t->easy_ = curl_easy_init();
  if (t->easy_ == nullptr) {
    return fail(errc::internal, "curl_easy_init failed");
  }
  if (auto ok = t->configure(extra_ca_file); !ok) {
    return tl::unexpected{ok.error()};
  }
  return t;
}

expected<void> transfer::configure(std::string const& extra_ca_file) {
  bool const proxied = !spec_.proxy.empty();
  auto pin = upstream::pin_connection(easy_, spec_.target, spec_.addresses, upstream::pin_options{proxied});
  if (!pin) {
    return tl::unexpected{pin.error()};
  }
  pin_ = std::move(*pin);
  auto lines = spec_.headers;
  if (spec_.method == "POST") {
    // A bare "Content-Type:" stops curl from claiming form encoding.
    lines.push_back(spec_.content_type.empty() ? std::string{"Content-Type:"} : "Content-Type: " + spec_.content_type);
  }
  for (auto const& line : lines) {
    auto* longer = curl_slist_append(header_list_, line.c_str());
    if (longer == nullptr) {
      return fail(errc::internal, "out of memory building the request headers");
    }
    header_list_ = longer;
  }
  options opt{easy_};
  opt.set(CURLOPT_NOSIGNAL, 1L);
  opt.set(CURLOPT_USERAGENT, "opencode");
  opt.set(CURLOPT_HTTPHEADER, header_list_);
  opt.set(CURLOPT_ACCEPT_ENCODING, ""); // decoded bytes are what the caps count
  opt.set(CURLOPT_TIMEOUT_MS, static_cast<long>(spec_.timeout.count()));
  opt.set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(spec_.connect_timeout.count()));
  opt.set(CURLOPT_TCP_KEEPALIVE, 1L); // generations can keep a connection silent for minutes
  opt.set(CURLOPT_HEADERFUNCTION, &header_trampoline);
  opt.set(CURLOPT_HEADERDATA, static_cast<void*>(this));
  opt.set(CURLOPT_WRITEFUNCTION, &body_trampoline);
  opt.set(CURLOPT_WRITEDATA, static_cast<void*>(this));
  opt.set(CURLOPT_ERRORBUFFER, error_buffer_);
  if (spec_.method == "POST") {
    static std::string const empty;
    auto const& body = spec_.body ? *spec_.body : empty;
    opt.set(CURLOPT_POST, 1L);
    opt.set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    opt.set(CURLOPT_POSTFIELDS, body.data());
  } else if (spec_.method == "HEAD") {
    opt.set(CURLOPT_NOBODY, 1L);
  } else if (spec_.method == "PUT") {
    if (auto ok = configure_upload(); !ok) {
      return ok;
    }
    auto const size = spec_.upload_file.empty() ? (spec_.body ? spec_.body->size() : 0) : spec_.upload_size;
    opt.set(CURLOPT_UPLOAD, 1L);
    opt.set(CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(size));
    opt.set(CURLOPT_READFUNCTION, &read_trampoline);
    opt.set(CURLOPT_READDATA, static_cast<void*>(this));
    // A reused connection that turns out dead makes curl send again: it rewinds first.
    opt.set(CURLOPT_SEEKFUNCTION, &seek_trampoline);
    opt.set(CURLOPT_SEEKDATA, static_cast<void*>(this));
  } else if (spec_.method != "GET") {
    opt.set(CURLOPT_CUSTOMREQUEST, spec_.method.c_str());
  }
  if (!spec_.aws_sigv4.empty()) {
    // curl signs every header we add; x-amz-content-sha256 (in spec_.headers) is
    // the payload hash it signs, so it must match the bytes sent.
    opt.set(CURLOPT_AWS_SIGV4, spec_.aws_sigv4.c_str());
    opt.set(CURLOPT_USERNAME, spec_.aws_key.c_str());
    opt.set(CURLOPT_PASSWORD, spec_.aws_secret.c_str());
  }
  if (proxied) {
    // socks5:// (not socks5h): the proxy is asked for the pinned address.
    opt.set(CURLOPT_PROXY, spec_.proxy.c_str());
    opt.set(CURLOPT_PROXYTYPE, static_cast<long>(CURLPROXY_SOCKS5));
    if (!spec_.proxy_user.empty() || !spec_.proxy_password.empty()) {
      opt.set(CURLOPT_PROXYUSERNAME, spec_.proxy_user.c_str());
      opt.set(CURLOPT_PROXYPASSWORD, spec_.proxy_password.c_str());
    }
  }
  if (auto ok = opt.result(); !ok) {
    return ok;
  }
  upstream::trust_extra_ca(easy_, extra_ca_file);
  return {};
}

expected<void> transfer::configure_upload() {
  if (spec_.upload_file.empty()) {
    return {};
  }
  upload_file_.reset(std::fopen(spec_.upload_file.c_str(), "rb"));
  if (!upload_file_) {
    return fail(errc::internal, "Could not open the file to upload");
  }
  return {};
}

std::size_t transfer::on_read(char* buffer, std::size_t size) {
  if (upload_file_) {
    auto const n = std::fread(buffer, 1, size, upload_file_.get());
    if (n == 0 && std::ferror(upload_file_.get()) != 0) {
      abort_ = error{errc::internal, "Could not read the file to upload"};
      return CURL_READFUNC_ABORT;
    }
    return n;
  }
  if (!spec_.body) {
    return 0;
  }
  auto const left = spec_.body->size() - upload_offset_;
  auto const n = std::min<std::uint64_t>(left, size);
  std::copy_n(spec_.body->data() + upload_offset_, n, buffer);
  upload_offset_ += n;
  return static_cast<std::size_t>(n);
}

int transfer::on_seek(curl_off_t offset, int origin) {
  if (origin != SEEK_SET || offset < 0) {
    return CURL_SEEKFUNC_CANTSEEK;
  }
  if (upload_file_) {
    return std::fseek(upload_file_.get(), static_cast<long>(offset), SEEK_SET) == 0 ? CURL_SEEKFUNC_OK
                                                                                    : CURL_SEEKFUNC_FAIL;
  }
  if (!spec_.body || static_cast<std::uint64_t>(offset) > spec_.body->size()) {
    return CURL_SEEKFUNC_FAIL;
  }
  upload_offset_ = static_cast<std::uint64_t>(offset);
  return CURL_SEEKFUNC_OK;
}

long transfer::connects() const {
  long n = 0;
  curl_easy_getinfo(easy_, CURLINFO_NUM_CONNECTS, &n);
  return n;
}

std::size_t transfer::on_header(std::string_view line) {
  if (line.starts_with("HTTP/")) {
    // A new response begins (100 Continue comes before the final one).
    auto const space = line.find(' ');
    long status = 0;
    if (space != std::string_view::npos && line.size() >= space + 4) {
      std::from_chars(line.data() + space + 1, line.data() + space + 4, status);
    }
    result_.status = status;
    result_.location.clear();
    result_.etag.clear();
    content_length_ = -1;
    final_headers_ = false;
    return line.size();
  }
  if (line == "\r\n" || line == "\n") {
    return headers_done() ? line.size() : 0;
  }
  if (auto v = header_value(line, "content-length"); !v.empty()) {
    std::int64_t n = -1;
    if (std::from_chars(v.data(), v.data() + v.size(), n).ec == std::errc{}) {
      content_length_ = n;
    }
  } else if (auto loc = header_value(line, "location"); !loc.empty()) {
    result_.location = std::string{loc};
  } else if (auto etag = header_value(line, "etag"); !etag.empty()) {
    if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
      etag = etag.substr(1, etag.size() - 2);
    }
    result_.etag = std::string{etag};
  }
  return line.size();
}

// The Content-Length check comes before any body byte (§6.2, §6.8).
bool transfer::headers_done() {
  if (result_.status < 200) {
    return true;
  }
  final_headers_ = true;
  if (content_length_ < 0 || spec_.method == "HEAD") {
    return true;
  }
  auto const n = static_cast<std::uint64_t>(content_length_);
  auto const reserve = std::min({n, spec_.max_bytes, max_reserve_bytes});
  if (spec_.kind == transfer_kind::api) {
    auto const label = spec_.size_label.empty() ? upstream::json_response_label : spec_.size_label;
    if (auto ok = upstream::check_response_size(label, n, spec_.max_bytes); !ok && !spec_.truncate) {
      abort_ = ok.error();
      return false;
    }
    result_.text.reserve(reserve);
  } else if (result_.status == 200) {
    if (auto ok = upstream::check_image_size(n, spec_.max_bytes); !ok) {
      abort_ = ok.error();
      return false;
    }
    result_.bytes.reserve(reserve);
  }
  return true;
}

std::size_t transfer::on_body(char const* data, std::size_t size) {
  if (spec_.kind == transfer_kind::api) {
    auto const label = spec_.size_label.empty() ? upstream::json_response_label : spec_.size_label;
    if (auto ok = upstream::check_response_size(label, result_.text.size() + size, spec_.max_bytes); !ok) {
      if (spec_.truncate) {
        result_.text.append(data, spec_.max_bytes - result_.text.size());
        truncated_ = true;
      } else {
        abort_ = ok.error();
      }
      return 0;
    }
    result_.text.append(data, size);
    return size;
  }
  if (result_.status != 200) {
    discarded_ += size;
    return discarded_ > max_discarded_bytes ? 0 : size;
  }
  if (auto ok = upstream::check_image_size(result_.bytes.size() + size, spec_.max_bytes); !ok) {
    abort_ = ok.error();
    return 0;
  }
  result_.bytes.insert(result_.bytes.end(), data, data + size);
  return size;
}

expected<transfer_result> transfer::finish(CURLcode code, core::net_policy const& policy) {
  if (auto ok = upstream::check_after_transfer(easy_, *pin_, spec_.context, policy); !ok) {
    return tl::unexpected{ok.error()};
  }
  if (abort_) {
    return tl::unexpected{*abort_};
  }
  auto const label = std::string{core::context_label(spec_.context)};
  if (code == CURLE_OPERATION_TIMEDOUT) {
    return fail(errc::upstream_timeout, label + " request timed out");
  }
  bool const stopped_on_purpose =
      code == CURLE_WRITE_ERROR && (truncated_ || (final_headers_ && spec_.kind == transfer_kind::image &&
                                                   result_.status != 200));
  if (code != CURLE_OK && !stopped_on_purpose) {
    std::string why = error_buffer_[0] != '\0' ? error_buffer_ : curl_easy_strerror(code);
    // curl words its errors with hosts, not URLs; the password is scrubbed anyway.
    why = upstream::redact_secrets(upstream::redact_secrets(why, spec_.proxy_password), spec_.aws_secret);
    return fail(errc::upstream, label + " connection error: " + why);
  }
  char* content_type = nullptr;
  curl_easy_getinfo(easy_, CURLINFO_CONTENT_TYPE, &content_type);
  result_.content_type = content_type != nullptr ? content_type : "";
  return std::move(result_);
}

multi_loop::multi_loop(long max_host_connections, long max_cached_connections) {
  global_init();
  multi_ = curl_multi_init();
  if (multi_ != nullptr) {
    curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS, max_host_connections);
    curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, max_cached_connections);
  }
}

multi_loop::~multi_loop() {
  curl_multi_cleanup(multi_);
}

expected<void> multi_loop::add(transfer& t) {
  if (multi_ == nullptr || t.attached_ != nullptr) {
    return fail(errc::internal, "the curl multi handle is not usable");
  }
  if (curl_multi_add_handle(multi_, t.easy_) != CURLM_OK) {
    return fail(errc::internal, "curl refused the transfer");
  }
  t.attached_ = this;
  ++attached_;
  return {};
}

void multi_loop::remove(transfer& t) {
  if (t.attached_ == nullptr) {
    return;
  }
  curl_multi_remove_handle(multi_, t.easy_);
  t.attached_ = nullptr;
  --attached_;
}

std::vector<multi_loop::done> multi_loop::perform() {
  std::vector<done> out;
  if (multi_ == nullptr) {
    return out;
  }
  int running = 0;
  curl_multi_perform(multi_, &running);
  int left = 0;
  while (CURLMsg* m = curl_multi_info_read(multi_, &left)) {
    if (m->msg == CURLMSG_DONE) {
      out.emplace_back(m->easy_handle, m->data.result);
    }
  }
  return out;
}

void multi_loop::poll(std::chrono::milliseconds max_wait) {
  if (multi_ != nullptr) {
    curl_multi_poll(multi_, nullptr, 0, static_cast<int>(max_wait.count()), nullptr);
  }
}

} // namespace panel::actors::pool
