#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <curl/curl.h>

#include "core/net_guard.hpp"
#include "upstream/pinning.hpp"

using panel::core::ip_address;
using panel::core::net_policy;
using panel::core::url_context;
using panel::upstream::pin_connection;
using panel::upstream::pin_options;

namespace {

ip_address ip(char const* text) {
  auto a = ip_address::parse(text);
  REQUIRE(a.has_value());
  return *a;
}

panel::core::url parsed(std::string const& text) {
  auto u = panel::core::parse_url(text);
  REQUIRE(u.has_value());
  return *u;
}

struct curl_deleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
using curl_ptr = std::unique_ptr<CURL, curl_deleter>;

curl_ptr make_curl() {
  curl_ptr c{curl_easy_init()};
  REQUIRE(c);
  curl_easy_setopt(c.get(), CURLOPT_TIMEOUT_MS, 10000L);
  curl_easy_setopt(c.get(), CURLOPT_WRITEFUNCTION, +[](char*, std::size_t s, std::size_t n, void*) { return s * n; });
  return c;
}

// A listening socket on 127.0.0.1 with a kernel-chosen port. Without serve() it
// only listens, so a connection attempt would be visible as a pending accept.
class local_listener {
public:
  local_listener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::listen(fd_, 8) == 0);
    socklen_t len = sizeof addr;
    REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    port_ = ntohs(addr.sin_port);
    REQUIRE(::pipe2(stop_, O_CLOEXEC) == 0);
  }

  ~local_listener() {
    if (thread_.joinable()) {
      [[maybe_unused]] auto const n = ::write(stop_[1], "x", 1);
      thread_.join();
    }
    ::close(stop_[0]);
    ::close(stop_[1]);
    ::close(fd_);
  }

  local_listener(local_listener const&) = delete;
  local_listener& operator=(local_listener const&) = delete;

  /// Answers every request with `response`, one request per connection.
  void serve(std::string response) {
    response_ = std::move(response);
    thread_ = std::thread([this] { run(); });
  }

  [[nodiscard]] std::uint16_t port() const { return port_; }

  [[nodiscard]] bool has_pending_connection() const {
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, 0) > 0;
  }

  [[nodiscard]] std::vector<std::string> requests() const {
    std::lock_guard lock{mutex_};
    return requests_;
  }

private:
  void run() {
    for (;;) {
      pollfd fds[2] = {{fd_, POLLIN, 0}, {stop_[0], POLLIN, 0}};
      if (::poll(fds, 2, -1) <= 0 || (fds[1].revents & POLLIN) != 0) {
        return;
      }
      int const conn = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (conn < 0) {
        continue;
      }
      std::string request;
      char buf[4096];
      while (request.find("\r\n\r\n") == std::string::npos) {
        auto const n = ::read(conn, buf, sizeof buf);
        if (n <= 0) {
          break;
        }
        request.append(buf, static_cast<std::size_t>(n));
      }
      {
        std::lock_guard lock{mutex_};
        requests_.push_back(request);
      }
      [[maybe_unused]] auto const w = ::write(conn, response_.data(), response_.size());
      ::close(conn);
    }
  }

  int fd_ = -1;
  int stop_[2] = {-1, -1};
  std::uint16_t port_ = 0;
  std::string response_;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::vector<std::string> requests_;
};

// Sets an environment variable for one scope and restores it afterwards.
class scoped_env {
public:
  scoped_env(char const* name, char const* value) : name_{name} {
    if (char const* old = std::getenv(name)) {
      old_ = old;
    }
    ::setenv(name, value, 1);
  }
  ~scoped_env() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  scoped_env(scoped_env const&) = delete;
  scoped_env& operator=(scoped_env const&) = delete;

private:
  char const* name_;
  std::optional<std::string> old_;
};

constexpr char const* ok_response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";

pin_options test_http() {
  pin_options o;
  o.allow_http_for_tests = true;
  return o;
}

} // namespace

TEST_CASE("pinning: the CURLOPT_RESOLVE entry", "[upstream][pinning]") {
  using panel::upstream::resolve_entry;
  CHECK(resolve_entry(parsed("https://api.example.com/v1"), {ip("93.184.216.34")}) ==
        "api.example.com:443:93.184.216.34");
  CHECK(resolve_entry(parsed("https://API.example.com.:8443/v1"), {ip("93.184.216.34"), ip("2606:2800:220:1::1")}) ==
        "api.example.com:8443:93.184.216.34,[2606:2800:220:1::1]");
  CHECK(resolve_entry(parsed("http://pinned.invalid:8080/"), {ip("127.0.0.1")}) == "pinned.invalid:8080:127.0.0.1");
  // Nothing to resolve for IP literals; nothing to pin without addresses.
  CHECK(resolve_entry(parsed("https://93.184.216.34/"), {ip("93.184.216.34")}).empty());
  CHECK(resolve_entry(parsed("https://[2001:db8::1]/"), {ip("2001:db8::1")}).empty());
  CHECK(resolve_entry(parsed("https://api.example.com/"), {}).empty());
}

TEST_CASE("pinning: refuses what it cannot pin", "[upstream][pinning]") {
  auto const c = make_curl();
  auto const none = pin_connection(c.get(), parsed("https://no-such-host.invalid/v1"), {});
  REQUIRE_FALSE(none.has_value());
  CHECK(none.error().code == panel::errc::upstream);
  CHECK(none.error().message == "Could not resolve host: no-such-host.invalid");
  auto const http = pin_connection(c.get(), parsed("http://api.example.com/v1"), {ip("93.184.216.34")});
  REQUIRE_FALSE(http.has_value());
  CHECK(http.error().message == "Only HTTPS URLs are allowed");
  auto const null_handle = pin_connection(nullptr, parsed("https://api.example.com/"), {ip("93.184.216.34")});
  CHECK_FALSE(null_handle.has_value());
}

TEST_CASE("pinning: curl connects to the pinned address without DNS", "[upstream][pinning]") {
  local_listener server;
  server.serve(ok_response);
  auto const target = parsed("http://pinned.invalid:" + std::to_string(server.port()) + "/img.png?x=1#frag");
  // The name is unknown to DNS: only the pin can make this transfer work.
  auto const dns = panel::core::resolve_and_check("pinned.invalid", server.port(), url_context::image_url, {});
  REQUIRE(dns.has_value());
  REQUIRE(dns->empty());

  // A proxy from the environment must not take over the transfer.
  scoped_env proxy{"http_proxy", "http://127.0.0.1:9"};
  scoped_env all_proxy{"ALL_PROXY", "http://127.0.0.1:9"};
  auto const c = make_curl();
  auto pin = pin_connection(c.get(), target, {ip("127.0.0.1")}, test_http());
  REQUIRE(pin.has_value());
  CHECK((*pin)->resolve_entry() == "pinned.invalid:" + std::to_string(server.port()) + ":127.0.0.1");
  CHECK((*pin)->checks_peer());

  REQUIRE(curl_easy_perform(c.get()) == CURLE_OK);
  long status = 0;
  curl_easy_getinfo(c.get(), CURLINFO_RESPONSE_CODE, &status);
  CHECK(status == 200);
  char* primary = nullptr;
  curl_easy_getinfo(c.get(), CURLINFO_PRIMARY_IP, &primary);
  REQUIRE(primary != nullptr);
  CHECK(std::string{primary} == "127.0.0.1");
  CHECK_FALSE((*pin)->refused().has_value());

  auto const requests = server.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].starts_with("GET /img.png?x=1 HTTP/1.1\r\n"));
  CHECK(requests[0].find("\r\nHost: pinned.invalid:" + std::to_string(server.port()) + "\r\n") != std::string::npos);

  // The after-transfer check sees 127.0.0.1 and refuses it unless allowlisted.
  auto const refused = panel::upstream::check_after_transfer(c.get(), **pin, url_context::image_url, {});
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().message == "Image URL connected to private/internal IP: 127.0.0.1");
  auto const direct = panel::upstream::check_transfer_peer(c.get(), url_context::upstream_api, {});
  REQUIRE_FALSE(direct.has_value());
  CHECK(direct.error().message == "Upstream API connected to private/internal IP: 127.0.0.1");
  net_policy exempt;
  exempt.private_networks = {*panel::core::ip_network::parse("127.0.0.1")};
  CHECK(panel::upstream::check_after_transfer(c.get(), **pin, url_context::image_url, exempt));
}

TEST_CASE("pinning: an IP-literal host connects without a resolve entry", "[upstream][pinning]") {
  local_listener server;
  server.serve(ok_response);
  auto const c = make_curl();
  auto pin = pin_connection(c.get(), parsed("http://127.0.0.1:" + std::to_string(server.port()) + "/"),
                            {ip("127.0.0.1")}, test_http());
  REQUIRE(pin.has_value());
  CHECK((*pin)->resolve_entry().empty());
  CHECK(curl_easy_perform(c.get()) == CURLE_OK);
  CHECK(server.requests().size() == 1);
}

TEST_CASE("pinning: redirects are not followed", "[upstream][pinning]") {
  local_listener server;
  server.serve("HTTP/1.1 302 Found\r\nLocation: /next\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  auto const c = make_curl();
  // Whatever the caller set before, the pin turns redirects off.
  curl_easy_setopt(c.get(), CURLOPT_FOLLOWLOCATION, 1L);
  auto pin = pin_connection(c.get(), parsed("http://pinned.invalid:" + std::to_string(server.port()) + "/first"),
                            {ip("127.0.0.1")}, test_http());
  REQUIRE(pin.has_value());
  REQUIRE(curl_easy_perform(c.get()) == CURLE_OK);
  long status = 0;
  curl_easy_getinfo(c.get(), CURLINFO_RESPONSE_CODE, &status);
  CHECK(status == 302);
  auto const requests = server.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].starts_with("GET /first "));
}

TEST_CASE("pinning: the open-socket check refuses an unchecked address", "[upstream][pinning]") {
  local_listener listener; // listens, never accepts
  auto const port = std::to_string(listener.port());
  auto const c = make_curl();
  auto pin = pin_connection(c.get(), parsed("http://pinned.invalid:" + port + "/"), {ip("127.0.0.2")}, test_http());
  REQUIRE(pin.has_value());

  SECTION("a private address") {
    // Stand-in for curl resolving on its own: its cache now says 127.0.0.1.
    auto const entry = "pinned.invalid:" + port + ":127.0.0.1";
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> other{curl_slist_append(nullptr, entry.c_str()),
                                                                       &curl_slist_free_all};
    curl_easy_setopt(c.get(), CURLOPT_RESOLVE, other.get());
    CHECK(curl_easy_perform(c.get()) == CURLE_COULDNT_CONNECT);
    CHECK_FALSE(listener.has_pending_connection());
    REQUIRE((*pin)->refused().has_value());
    CHECK(*(*pin)->refused() == ip("127.0.0.1"));
    auto const r = panel::upstream::check_after_transfer(c.get(), **pin, url_context::webhook, {});
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message == "Webhook connected to private/internal IP: 127.0.0.1");
  }
  SECTION("a public address") {
    auto const entry = "pinned.invalid:" + port + ":192.0.2.10";
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> other{curl_slist_append(nullptr, entry.c_str()),
                                                                       &curl_slist_free_all};
    curl_easy_setopt(c.get(), CURLOPT_RESOLVE, other.get());
    CHECK(curl_easy_perform(c.get()) == CURLE_COULDNT_CONNECT);
    REQUIRE((*pin)->refused().has_value());
    auto const r = panel::upstream::check_after_transfer(c.get(), **pin, url_context::upstream_api, {});
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message == "Upstream API connection to an unchecked address was refused: 192.0.2.10");
  }
}

TEST_CASE("pinning: only https reaches the wire", "[upstream][pinning]") {
  local_listener listener; // listens, never accepts
  auto const port = std::to_string(listener.port());
  auto const c = make_curl();
  auto pin = pin_connection(c.get(), parsed("https://pinned.invalid:" + port + "/"), {ip("127.0.0.1")});
  REQUIRE(pin.has_value());
  // A later change of URL to plain http is refused by CURLOPT_PROTOCOLS_STR.
  auto const http = "http://pinned.invalid:" + port + "/";
  curl_easy_setopt(c.get(), CURLOPT_URL, http.c_str());
  CHECK(curl_easy_perform(c.get()) == CURLE_UNSUPPORTED_PROTOCOL);
  CHECK_FALSE(listener.has_pending_connection());
}

TEST_CASE("pinning: proxy mode keeps the resolve entry and drops the peer checks", "[upstream][pinning]") {
  auto const c = make_curl();
  pin_options proxy;
  proxy.via_proxy = true;
  auto pin = pin_connection(c.get(), parsed("https://api.example.com/v1/images/generations"),
                            {ip("93.184.216.34")}, proxy);
  REQUIRE(pin.has_value());
  CHECK((*pin)->resolve_entry() == "api.example.com:443:93.184.216.34");
  CHECK_FALSE((*pin)->checks_peer());
  // The socket goes to the proxy: any address is admitted and nothing is checked afterwards.
  CHECK((*pin)->admit(ip("10.0.0.1")));
  CHECK(panel::upstream::check_after_transfer(c.get(), **pin, url_context::upstream_api, {}));
}
