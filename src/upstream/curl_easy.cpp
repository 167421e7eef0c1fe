#include "upstream/curl_easy.hpp"

#include <memory>
#include <mutex>

#include <curl/curl.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace panel::upstream {

namespace {

struct curl_deleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct slist_deleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct sink {
  std::string body;
  std::uint64_t max = 0;
  bool overflow = false;
};

std::size_t on_data(char* data, std::size_t size, std::size_t n, void* user) {
  auto* s = static_cast<sink*>(user);
  auto const len = size * n;
  if (s->body.size() + len > s->max) {
    s->overflow = true;
    return 0; // aborts the transfer
  }
  s->body.append(data, len);
  return len;
}

CURLcode add_ca(CURL*, void* ssl_ctx, void* user) {
  auto const* file = static_cast<std::string const*>(user);
  auto* store = SSL_CTX_get_cert_store(static_cast<SSL_CTX*>(ssl_ctx));
  std::unique_ptr<BIO, decltype(&BIO_free)> bio{BIO_new_file(file->c_str(), "r"), &BIO_free};
  if (!bio) {
    return CURLE_SSL_CACERT_BADFILE;
  }
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    X509_STORE_add_cert(store, cert); // duplicates are harmless
    X509_free(cert);
  }
  return CURLE_OK;
}

std::string without_query(std::string const& url) {
  return url.substr(0, url.find_first_of("?#"));
}

} // namespace

void trust_extra_ca(void* curl_handle, std::string const& extra_ca_file) {
  if (extra_ca_file.empty()) {
    return;
  }
  auto* c = static_cast<CURL*>(curl_handle);
  curl_easy_setopt(c, CURLOPT_SSL_CTX_FUNCTION, &add_ca);
  curl_easy_setopt(c, CURLOPT_SSL_CTX_DATA, &extra_ca_file);
}

expected<http_result> blocking_get(std::string const& url, get_options const& opt) {
  global_init();
  if (opt.https_only && !url.starts_with("https://")) {
    return fail(errc::bad_request, "Only HTTPS URLs are allowed");
  }
  std::unique_ptr<CURL, curl_deleter> c{curl_easy_init()};
  if (!c) {
    return fail(errc::internal, "curl_easy_init failed");
  }
  sink s;
  s.max = opt.max_bytes;
  std::unique_ptr<curl_slist, slist_deleter> headers;
  for (auto const& h : opt.headers) {
    headers.reset(curl_slist_append(headers.release(), h.c_str()));
  }
  curl_easy_setopt(c.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(c.get(), CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c.get(), CURLOPT_TIMEOUT_MS, opt.timeout_ms);
  curl_easy_setopt(c.get(), CURLOPT_CONNECTTIMEOUT_MS, opt.timeout_ms);
  curl_easy_setopt(c.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c.get(), CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c.get(), CURLOPT_PROTOCOLS_STR, opt.https_only ? "https" : "http,https");
  curl_easy_setopt(c.get(), CURLOPT_WRITEFUNCTION, &on_data);
  curl_easy_setopt(c.get(), CURLOPT_WRITEDATA, &s);
  trust_extra_ca(c.get(), opt.extra_ca_file);
  auto const rc = curl_easy_perform(c.get());
  if (s.overflow) {
    return fail(errc::upstream, "Response from " + without_query(url) + " is too large");
  }
  if (rc == CURLE_OPERATION_TIMEDOUT) {
    return fail(errc::upstream_timeout, "Request to " + without_query(url) + " timed out");
  }
  if (rc != CURLE_OK) {
    return fail(errc::upstream, "Request to " + without_query(url) + " failed: " + curl_easy_strerror(rc));
  }
  http_result out;
  curl_easy_getinfo(c.get(), CURLINFO_RESPONSE_CODE, &out.status);
  out.body = std::move(s.body);
  return out;
}

} // namespace panel::upstream
