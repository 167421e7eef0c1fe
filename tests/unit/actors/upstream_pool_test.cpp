// upstream_pool against real servers on 127.0.0.1: the mock upstream over HTTPS
// (test CA trusted through extra_ca_file), plus two tiny in-test servers for what
// the mock cannot do: a TLS server answering canned redirects and error pages, and
// a SOCKS5 proxy with username/password authentication.

#include <catch2/catch.hpp>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/ssl.h>
#include <simdjson.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "actors/mock_process.hpp"
#include "actors/upstream_pool.hpp"
#include "upstream/curl_easy.hpp"
#include "upstream/results.hpp"

using namespace panel;
using namespace panel::actors;
using namespace std::chrono_literals;

namespace {

using steady = std::chrono::steady_clock;

using test::read_file;

// ---------------------------------------------------------------------------
// The mock upstream binary, started once for the whole test binary.

#ifdef PANEL_MOCK_UPSTREAM_BIN
class mock_upstream : public test::mock_process {
public:
  // One counter of /mock/stats ("total", or an "endpoints" entry), fetched with a
  // plain blocking client so the pool under test is not its own witness.
  [[nodiscard]] std::int64_t count(std::string const& endpoint = "") const {
    upstream::get_options opt;
    opt.extra_ca_file = ca();
    opt.timeout_ms = 5000;
    auto const got = upstream::blocking_get(base() + "/mock/stats", opt);
    REQUIRE(got.has_value());
    simdjson::dom::parser parser;
    simdjson::dom::element doc = parser.parse(got->body);
    std::int64_t n = 0;
    auto const field = endpoint.empty() ? doc["total"] : doc["endpoints"][endpoint];
    if (field.get(n) != simdjson::SUCCESS) {
      return 0;
    }
    return n;
  }
};

mock_upstream& mock() {
  static mock_upstream m;
  return m;
}
#endif

// ---------------------------------------------------------------------------
// A TLS server with canned answers per request target. One connection at a
// time, `Connection: close`; "<stream>" streams a body without Content-Length.

class canned_tls_server {
public:
  canned_tls_server(std::string const& cert, std::string const& key) {
    std::signal(SIGPIPE, SIG_IGN); // a client that aborts must not kill the test
    ctx_ = SSL_CTX_new(TLS_server_method());
    REQUIRE(SSL_CTX_use_certificate_chain_file(ctx_, cert.c_str()) == 1);
    REQUIRE(SSL_CTX_use_PrivateKey_file(ctx_, key.c_str(), SSL_FILETYPE_PEM) == 1);
    fd_ = listen_loopback(port_);
    thread_ = std::thread([this] { run(); });
  }

  ~canned_tls_server() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
    SSL_CTX_free(ctx_);
  }

  static int listen_loopback(int& port) {
    int const fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(::listen(fd, 16) == 0);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
    return fd;
  }

  [[nodiscard]] std::string base() const { return "https://127.0.0.1:" + std::to_string(port_); }
  [[nodiscard]] int port() const { return port_; }

  void route(std::string const& target, std::string const& response) {
    std::lock_guard lock{mutex_};
    routes_[target] = response;
  }

  [[nodiscard]] std::vector<std::string> seen() const {
    std::lock_guard lock{mutex_};
    return seen_;
  }

private:
  void run() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) {
        continue;
      }
      int const c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c >= 0) {
        serve(c);
        ::close(c);
      }
    }
  }

  void serve(int c) {
    timeval tv{5, 0};
    ::setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    SSL* ssl = SSL_new(ctx_);
    SSL_set_fd(ssl, c);
    if (SSL_accept(ssl) == 1) {
      std::string request;
      char buf[4096];
      while (request.find("\r\n\r\n") == std::string::npos) {
        int const n = SSL_read(ssl, buf, sizeof buf);
        if (n <= 0) {
          break;
        }
        request.append(buf, static_cast<std::size_t>(n));
      }
      auto const first = request.find(' ');
      auto const second = request.find(' ', first + 1);
      std::string const target = request.substr(first + 1, second - first - 1);
      std::string response = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      {
        std::lock_guard lock{mutex_};
        seen_.push_back(target);
        if (auto it = routes_.find(target); it != routes_.end()) {
          response = it->second;
        }
      }
      if (response == "<stream>") {
        std::string const head = "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nConnection: close\r\n\r\n";
        SSL_write(ssl, head.data(), static_cast<int>(head.size()));
        std::string const chunk(16384, 'x');
        for (int i = 0; i < 256 && SSL_write(ssl, chunk.data(), static_cast<int>(chunk.size())) > 0; ++i) {
        }
      } else {
        SSL_write(ssl, response.data(), static_cast<int>(response.size()));
      }
      SSL_shutdown(ssl);
    }
    SSL_free(ssl);
  }

  SSL_CTX* ctx_ = nullptr;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::map<std::string, std::string> routes_;
  std::vector<std::string> seen_;
  std::thread thread_;
};

// ---------------------------------------------------------------------------
// A SOCKS5 proxy (RFC 1928 CONNECT, RFC 1929 username/password only) that
// records the credentials and the target it was asked for.

class socks5_proxy {
public:
  socks5_proxy() {
    fd_ = canned_tls_server::listen_loopback(port_);
    thread_ = std::thread([this] { run(); });
  }

  ~socks5_proxy() {
    stop_ = true;
    thread_.join();
    for (auto& t : relays_) {
      t.join();
    }
    ::close(fd_);
  }

  [[nodiscard]] int port() const { return port_; }

  [[nodiscard]] std::vector<std::string> log() const {
    std::lock_guard lock{mutex_};
    return log_;
  }

private:
  static bool read_exact(int fd, void* out, std::size_t n) {
    auto* p = static_cast<char*>(out);
    while (n > 0) {
      auto const got = ::recv(fd, p, n, 0);
      if (got <= 0) {
        return false;
      }
      p += got;
      n -= static_cast<std::size_t>(got);
    }
    return true;
  }

  void record(std::string line) {
    std::lock_guard lock{mutex_};
    log_.push_back(std::move(line));
  }

  void run() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) {
        continue;
      }
      int const c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c >= 0) {
        relays_.emplace_back([this, c] {
          handle(c);
          ::close(c);
        });
      }
    }
  }

  void handle(int c) {
    timeval tv{5, 0};
    ::setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    unsigned char hello[2];
    unsigned char methods[255];
    if (!read_exact(c, hello, 2) || hello[0] != 5 || !read_exact(c, methods, hello[1])) {
      return;
    }
    unsigned char const choose[2] = {5, 2};
    ::send(c, choose, 2, MSG_NOSIGNAL);
    unsigned char ver_len[2];
    std::string user(255, '\0');
    std::string pass(255, '\0');
    unsigned char plen = 0;
    if (!read_exact(c, ver_len, 2) || !read_exact(c, user.data(), ver_len[1]) || !read_exact(c, &plen, 1) ||
        !read_exact(c, pass.data(), plen)) {
      return;
    }
    user.resize(ver_len[1]);
    pass.resize(plen);
    record("auth " + user + ":" + pass);
    unsigned char const auth_ok[2] = {1, 0};
    ::send(c, auth_ok, 2, MSG_NOSIGNAL);
    unsigned char head[4];
    unsigned char addr[4];
    unsigned char port[2];
    if (!read_exact(c, head, 4) || head[3] != 1 || !read_exact(c, addr, 4) || !read_exact(c, port, 2)) {
      record("unsupported address type");
      return;
    }
    char text[INET_ADDRSTRLEN];
    ::inet_ntop(AF_INET, addr, text, sizeof text);
    int const target_port = port[0] * 256 + port[1];
    record("connect " + std::string{text} + ":" + std::to_string(target_port));
    int const up = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    std::memcpy(&a.sin_addr, addr, 4);
    a.sin_port = htons(static_cast<std::uint16_t>(target_port));
    if (::connect(up, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      ::close(up);
      return;
    }
    unsigned char const ok[10] = {5, 0, 0, 1, 0, 0, 0, 0, 0, 0};
    ::send(c, ok, sizeof ok, MSG_NOSIGNAL);
    relay(c, up);
    ::close(up);
  }

  void relay(int a, int b) {
    char buf[16384];
    while (!stop_) {
      pollfd p[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
      if (::poll(p, 2, 50) <= 0) {
        continue;
      }
      for (int i = 0; i < 2; ++i) {
        if ((p[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) {
          continue;
        }
        auto const n = ::recv(p[i].fd, buf, sizeof buf, 0);
        if (n <= 0 || ::send(i == 0 ? b : a, buf, static_cast<std::size_t>(n), MSG_NOSIGNAL) != n) {
          return;
        }
      }
    }
  }

  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::vector<std::string> log_;
  std::vector<std::thread> relays_;
  std::thread thread_;
};

// Everything written to stderr (where core::log writes) while it lives.
class stderr_capture {
public:
  stderr_capture() : path_{std::filesystem::temp_directory_path() / ("pool-log-" + std::to_string(::getpid()))} {
    std::fflush(stderr);
    saved_ = ::dup(2);
    int const fd = ::open(path_.c_str(), O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0600);
    ::dup2(fd, 2);
    ::close(fd);
  }

  ~stderr_capture() { restore(); }

  std::string finish() {
    restore();
    auto text = read_file(path_);
    std::filesystem::remove(path_);
    return text;
  }

private:
  void restore() {
    if (saved_ >= 0) {
      std::fflush(stderr);
      ::dup2(saved_, 2);
      ::close(saved_);
      saved_ = -1;
    }
  }

  std::filesystem::path path_;
  int saved_ = -1;
};

// ---------------------------------------------------------------------------
// The actor side.

panel::error to_panel_error(caf::error const& e) {
  if (e.category() == caf::atom("panel") && e.context().match_elements<std::string>()) {
    return panel::error{static_cast<errc>(e.code()), e.context().get_as<std::string>(0)};
  }
  return panel::error{errc::internal, "caf error " + std::to_string(e.code())};
}

struct system_config : caf::actor_system_config {
  system_config() {
    add_message_types<caf::id_block::panel>();
    set("scheduler.max-threads", 2);
    set("logger.verbosity", caf::atom("quiet"));
  }
};

// PRIVATE_NETWORK_ALLOWLIST=127.0.0.1,localhost unless `allow_private` is false
// (then only the hostname entry, so localhost resolves but is refused).
upstream_pool_config pool_config(std::string const& ca, bool allow_private = true) {
  upstream_pool_config cfg;
  cfg.extra_ca_file = ca;
  cfg.policy.private_hosts = {"localhost"};
  if (allow_private) {
    cfg.policy.private_networks = {*core::ip_network::parse("127.0.0.1")};
  }
  return cfg;
}

struct fixture {
  system_config cfg;
  caf::actor_system sys{cfg};

  expected<upstream_reply> post(upstream_pool_actor const& pool, upstream_post_request const& req) {
    expected<upstream_reply> out = fail(errc::internal, "no answer");
    caf::scoped_actor self{sys};
    self->request(pool, 30s, upstream_post_atom::value, req)
        .receive([&](upstream_reply const& r) { out = r; },
                 [&](caf::error const& e) { out = tl::unexpected{to_panel_error(e)}; });
    return out;
  }

  expected<image_fetch_reply> fetch(upstream_pool_actor const& pool, std::string const& url,
                                    std::uint64_t max_bytes = 0) {
    expected<image_fetch_reply> out = fail(errc::internal, "no answer");
    caf::scoped_actor self{sys};
    image_fetch_request req;
    req.url = url;
    req.timeout_ms = 10000;
    req.max_bytes = max_bytes;
    self->request(pool, 30s, image_fetch_atom::value, req)
        .receive([&](image_fetch_reply const& r) { out = r; },
                 [&](caf::error const& e) { out = tl::unexpected{to_panel_error(e)}; });
    return out;
  }

  upstream_pool_stats stats(upstream_pool_actor const& pool) {
    upstream_pool_stats out;
    caf::scoped_actor self{sys};
    self->request(pool, 10s, upstream_stats_atom::value)
        .receive([&](upstream_pool_stats const& s) { out = s; }, [](caf::error const&) { FAIL("no stats"); });
    return out;
  }

  // Polls the pool's stats until `pred` holds or 10 s passed.
  template <class Pred>
  bool wait_for(upstream_pool_actor const& pool, Pred pred) {
    auto const deadline = steady::now() + 10s;
    while (steady::now() < deadline) {
      if (pred(stats(pool))) {
        return true;
      }
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }
};

upstream_post_request generation(std::string const& base, std::string const& prompt,
                                 std::string const& response_format = "b64_json") {
  upstream_post_request req;
  req.url = base + "/v1/images/generations";
  req.headers = {"Authorization: Bearer test-key"};
  req.content_type = "application/json";
  req.body.data = std::make_shared<const std::string>(
      R"({"model":"gpt-image-1","prompt":")" + prompt + R"( [mock:size=32x32]","size":"32x32","n":1,)" +
      R"("response_format":")" + response_format + R"("})");
  req.timeout_ms = 20000;
  return req;
}

bool is_png(shared_blob const& b) {
  return b.data && b.data->size() > 8 && (*b.data)[0] == 0x89 && (*b.data)[1] == 'P' && (*b.data)[2] == 'N';
}

std::string redirect(int status, std::string const& location) {
  return "HTTP/1.1 " + std::to_string(status) + " Redirect\r\n" +
         (location.empty() ? "" : "Location: " + location + "\r\n") + "Content-Length: 0\r\nConnection: close\r\n\r\n";
}

} // namespace

// ---------------------------------------------------------------------------
// No server needed: refusals before any request.

TEST_CASE_METHOD(fixture, "URLs the SSRF rules refuse never reach the network", "[actors][upstream_pool]") {
  auto const pool = spawn_upstream_pool(sys, pool_config("", false));
  auto req = generation("http://127.0.0.1:9", "x");
  auto got = post(pool, req);
  REQUIRE_FALSE(got);
  CHECK(got.error().code == errc::validation);
  CHECK(got.error().message == "Only HTTPS URLs are allowed for upstream API");

  auto image = fetch(pool, "http://127.0.0.1:9/files/a.png");
  REQUIRE_FALSE(image);
  CHECK(image.error().message == "Only HTTPS URLs are allowed for image URLs");

  req.url = "https://127.0.0.1:9/v1/images/generations";
  got = post(pool, req);
  REQUIRE_FALSE(got);
  CHECK(got.error().message == "Hostname '127.0.0.1' resolves to private/internal IP(s): '127.0.0.1'");

  // A name: the DNS answer comes from the detached resolver.
  req.url = "https://localhost:9/v1/images/generations";
  got = post(pool, req);
  REQUIRE_FALSE(got);
  CHECK(got.error().message == "Hostname 'localhost' resolves to private/internal IP(s): '127.0.0.1'");

  image = fetch(pool, "https://localhost:9/files/a.png?token=secret");
  REQUIRE_FALSE(image);
  CHECK(image.error().message == "Image URL hostname 'localhost' resolves to private/internal IP(s): '127.0.0.1'");

  CHECK(stats(pool).connections_opened == 0);
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
}

TEST_CASE_METHOD(fixture, "bad proxy settings and headers are refused", "[actors][upstream_pool]") {
  auto const pool = spawn_upstream_pool(sys, pool_config(""));
  auto req = generation("https://127.0.0.1:9", "x");
  req.socks5_proxy = "http://user:secret@127.0.0.1:1080";
  auto got = post(pool, req);
  REQUIRE_FALSE(got);
  CHECK(got.error().message == "SOCKS5 proxy URL must use socks5://");

  req.socks5_proxy = "socks5://user:secret@127.0.0.1:1080";
  req.context = core::url_context::optimizer;
  got = post(pool, req);
  REQUIRE_FALSE(got);
  CHECK(got.error().message == "The SOCKS5 proxy is only for upstream API requests");

  req.socks5_proxy.clear();
  req.headers = {"Authorization: Bearer a\r\nX-Injected: 1"};
  got = post(pool, req);
  REQUIRE_FALSE(got);
  CHECK(got.error().message.find("line breaks") != std::string::npos);
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
}

// ---------------------------------------------------------------------------
// Against the mock upstream.

#ifdef PANEL_MOCK_UPSTREAM_BIN

TEST_CASE_METHOD(fixture, "api_post gets the upstream's status and JSON, reusing the connection",
                 "[actors][upstream_pool]") {
  auto& m = mock();
  auto const pool = spawn_upstream_pool(sys, pool_config(m.ca()));
  auto const before = m.count("images/generations");
  auto got = post(pool, generation(m.base(), "a lighthouse"));
  REQUIRE(got);
  CHECK(got->status == 200);
  CHECK(got->content_type.find("application/json") == 0);
  auto images = upstream::extract_data_images(got->status, got->content_type, *got->body.data);
  REQUIRE(images);
  REQUIRE(images->size() == 1);
  CHECK((*images)[0].kind == upstream::image_kind::base64);

  // A 4xx is a reply, not an error: the caller maps it.
  got = post(pool, generation(m.base(), "[mock:status=429]"));
  REQUIRE(got);
  CHECK(got->status == 429);
  CHECK(got->body.data->find("error") != std::string::npos);

  // Through a name (the resolver actor) it works too when the name is allowed.
  got = post(pool, generation("https://localhost:" + std::to_string(m.port()), "by name"));
  REQUIRE(got);
  CHECK(got->status == 200);

  CHECK(m.count("images/generations") == before + 3);
  auto const s = stats(pool);
  CHECK(s.succeeded == 3);
  // Two calls to 127.0.0.1 share one connection; localhost is another host name.
  CHECK(s.connections_opened == 2);
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
}

TEST_CASE_METHOD(fixture, "response caps give the exact too-large messages", "[actors][upstream_pool]") {
  auto& m = mock();
  auto const pool = spawn_upstream_pool(sys, pool_config(m.ca()));
  auto req = generation(m.base(), "capped");
  req.max_response_bytes = 100;
  auto got = post(pool, req);
  REQUIRE_FALSE(got);
  CHECK(got.error().code == errc::upstream);
  auto const& msg = got.error().message;
  std::string const prefix = "Upstream JSON response too large: ";
  REQUIRE(msg.rfind(prefix, 0) == 0);
  auto const n = std::stoull(msg.substr(prefix.size()));
  CHECK(n > 100);
  CHECK(msg == prefix + std::to_string(n) + " bytes (max 100)");

  // A webhook-style drain keeps the first bytes and the status instead.
  req.truncate_body = true;
  got = post(pool, req);
  REQUIRE(got);
  CHECK(got->status == 200);
  CHECK(got->body.size() == 100);

  // Chunked SSE has no Content-Length: the streamed count trips the cap.
  upstream_post_request chat;
  chat.url = m.base() + "/v1/chat/completions";
  chat.headers = {"Authorization: Bearer test-key"};
  chat.content_type = "application/json";
  chat.body.data = std::make_shared<const std::string>(
      R"({"model":"gpt-image-1","messages":[{"role":"user","content":"a cat [mock:sse] [mock:size=16x16]"}],)"
      R"("stream":false})");
  chat.max_response_bytes = 200;
  chat.size_label = "Upstream chat response";
  got = post(pool, chat);
  REQUIRE_FALSE(got);
  CHECK(got.error().message.rfind("Upstream chat response too large: ", 0) == 0);
  CHECK(got.error().message.ends_with(" bytes (max 200)"));
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
}

TEST_CASE_METHOD(fixture, "a slow upstream times out as upstream_timeout", "[actors][upstream_pool]") {
  auto& m = mock();
  auto const pool = spawn_upstream_pool(sys, pool_config(m.ca()));
  auto req = generation(m.base(), "slow [mock:delay=3000]");
  req.timeout_ms = 1000;
  auto got = post(pool, req); // an answer (200 after 3 s) would fail REQUIRE_FALSE
  REQUIRE_FALSE(got);
  CHECK(got.error().code == errc::upstream_timeout);
  CHECK(got.error().message == "Upstream API request timed out");
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
}

TEST_CASE_METHOD(fixture, "fetch_image downloads a url result directly, capped", "[actors][upstream_pool]") {
  auto& m = mock();
  auto const pool = spawn_upstream_pool(sys, pool_config(m.ca()));
  auto got = post(pool, generation(m.base(), "url result", "url"));
  REQUIRE(got);
  auto images = upstream::extract_data_images(got->status, got->content_type, *got->body.data);
  REQUIRE(images);
  REQUIRE(images->size() == 1);
  REQUIRE((*images)[0].kind == upstream::image_kind::url);
  auto const url = (*images)[0].value;

  auto const files_before = m.count("files");
  auto image = fetch(pool, url);
  REQUIRE(image);
  CHECK(is_png(image->bytes));
  CHECK(image->content_type == "image/png");
  CHECK(image->redirects == 0);
  CHECK(image->final_url == url);

  image = fetch(pool, url, 64);
  REQUIRE_FALSE(image);
  CHECK(image.error().message.rfind("Image too large: ", 0) == 0);
  CHECK(image.error().message.ends_with(" bytes (max 64)"));

  image = fetch(pool, m.base() + "/files/none.png?sig=secret");
  REQUIRE_FALSE(image);
  CHECK(image.error().message == "Failed to download image from " + m.base() + "/files/none.png: 404");
  CHECK(m.count("files") == files_before + 3);
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
}

TEST_CASE_METHOD(fixture, "image redirects are followed by hand and re-validated", "[actors][upstream_pool]") {
  auto& m = mock();
  canned_tls_server server{m.cert(), m.key()};
  auto const pool = spawn_upstream_pool(sys, pool_config(m.ca()));
  auto got = post(pool, generation(m.base(), "redirect target", "url"));
  REQUIRE(got);
  auto const file = (*upstream::extract_data_images(got->status, got->content_type, *got->body.data))[0].value;

  server.route("/to-http", redirect(302, "http://127.0.0.1/x.png"));
  server.route("/to-private", redirect(302, "https://127.0.0.2:" + std::to_string(server.port()) + "/x.png"));
  server.route("/no-location", redirect(302, ""));
  server.route("/loop", redirect(302, "/loop"));
  server.route("/dir/hop1", redirect(301, "hop2?sig=secret"));
  server.route("/dir/hop2?sig=secret", redirect(307, file));
  server.route("/big", "<stream>");

  auto image = fetch(pool, server.base() + "/to-http");
  REQUIRE_FALSE(image);
  CHECK(image.error().message == "Only HTTPS URLs are allowed for image URLs");

  image = fetch(pool, server.base() + "/to-private");
  REQUIRE_FALSE(image);
  CHECK(image.error().message == "Image URL hostname '127.0.0.2' resolves to private/internal IP(s): '127.0.0.2'");

  image = fetch(pool, server.base() + "/no-location");
  REQUIRE_FALSE(image);
  CHECK(image.error().message == "Image URL redirect missing Location: " + server.base() + "/no-location");

  image = fetch(pool, server.base() + "/loop");
  REQUIRE_FALSE(image);
  CHECK(image.error().message == "Image URL redirected too many times");

  // Each refusal came after exactly one request; the loop made 1 + 3.
  CHECK(server.seen() == std::vector<std::string>{"/to-http", "/to-private", "/no-location", "/loop", "/loop",
                                                  "/loop", "/loop"});

  auto const files_before = m.count("files");
  image = fetch(pool, server.base() + "/dir/hop1");
  REQUIRE(image);
  CHECK(image->redirects == 2);
  CHECK(is_png(image->bytes));
  CHECK(image->final_url == file);
  CHECK(m.count("files") == files_before + 1);

  // No Content-Length: the streamed total trips the cap and the transfer stops.
  image = fetch(pool, server.base() + "/big", 65536);
  REQUIRE_FALSE(image);
  CHECK(image.error().message.rfind("Image too large: ", 0) == 0);
  CHECK(image.error().message.ends_with(" bytes (max 65536)"));
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
}

TEST_CASE_METHOD(fixture, "cancel aborts an in-flight request promptly", "[actors][upstream_pool]") {
  auto& m = mock();
  auto const pool = spawn_upstream_pool(sys, pool_config(m.ca()));
  caf::scoped_actor self{sys};
  auto req = generation(m.base(), "never answered [mock:timeout]");
  req.cancel_key = "job-7";
  req.timeout_ms = 60000;
  auto pending = self->request(pool, 10s, upstream_post_atom::value, req);
  REQUIRE(wait_for(pool, [](upstream_pool_stats const& s) { return s.in_flight == 1; }));

  std::uint64_t aborted = 0;
  self->request(pool, 10s, upstream_cancel_atom::value, std::string{"other-job"})
      .receive([&](std::uint64_t n) { aborted = n; }, [](caf::error const&) { FAIL("cancel failed"); });
  CHECK(aborted == 0);
  self->request(pool, 10s, upstream_cancel_atom::value, std::string{"job-7"})
      .receive([&](std::uint64_t n) { aborted = n; }, [](caf::error const&) { FAIL("cancel failed"); });
  CHECK(aborted == 1);

  panel::error err;
  std::move(pending).receive([](upstream_reply const&) { FAIL("a cancelled request was answered"); },
                             [&](caf::error const& e) { err = to_panel_error(e); });
  CHECK(err.code == errc::unavailable);
  CHECK(err.message == "Upstream request cancelled");
  auto const s = stats(pool);
  CHECK(s.in_flight == 0);
  CHECK(s.cancelled == 1);
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
}

TEST_CASE_METHOD(fixture, "four requests run at once on the one multi loop", "[actors][upstream_pool]") {
  auto& m = mock();
  auto const pool = spawn_upstream_pool(sys, pool_config(m.ca()));
  auto const before = m.count("images/generations");
  caf::scoped_actor self{sys};
  std::vector<decltype(self->request(pool, 30s, upstream_post_atom::value, upstream_post_request{}))> pending;
  for (int i = 0; i < 4; ++i) {
    pending.push_back(self->request(pool, 30s, upstream_post_atom::value,
                                    generation(m.base(), "parallel " + std::to_string(i) + " [mock:delay=1500]")));
  }
  int ok = 0;
  for (auto& p : pending) {
    std::move(p).receive([&](upstream_reply const& r) { ok += r.status == 200 ? 1 : 0; },
                         [&](caf::error const& e) { FAIL(to_panel_error(e).message); });
  }
  CHECK(ok == 4);
  CHECK(m.count("images/generations") == before + 4);
  auto const s = stats(pool);
  CHECK(s.peak_in_flight == 4);
  CHECK(s.connections_opened == 4);
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
}

TEST_CASE_METHOD(fixture, "SOCKS5 carries upstream POSTs to the pinned address, with credentials",
                 "[actors][upstream_pool]") {
  auto& m = mock();
  socks5_proxy proxy;
  auto const pool = spawn_upstream_pool(sys, pool_config(m.ca()));
  auto req = generation("https://localhost:" + std::to_string(m.port()), "via proxy");
  req.socks5_proxy = "socks5://puser:p%40ss-word@127.0.0.1:" + std::to_string(proxy.port());
  stderr_capture capture;
  auto got = post(pool, req);
  auto const log = capture.finish();
  REQUIRE(got);
  CHECK(got->status == 200);
  // The proxy was asked for the address checked locally, not for the name.
  CHECK(proxy.log() ==
        std::vector<std::string>{"auth puser:p@ss-word", "connect 127.0.0.1:" + std::to_string(m.port())});
  CHECK(log.find("SOCKS5 proxy is enabled") != std::string::npos);
  CHECK(log.find("proxy is the trust boundary") != std::string::npos);
  CHECK(log.find("p@ss-word") == std::string::npos);
  CHECK(log.find("p%40ss-word") == std::string::npos);
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
}

TEST_CASE_METHOD(fixture, "shutdown answers every request still in flight", "[actors][upstream_pool]") {
  auto& m = mock();
  auto const pool = spawn_upstream_pool(sys, pool_config(m.ca()));
  caf::scoped_actor self{sys};
  auto pending = self->request(pool, 30s, upstream_post_atom::value, generation(m.base(), "[mock:timeout]"));
  REQUIRE(wait_for(pool, [](upstream_pool_stats const& s) { return s.in_flight == 1; }));
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
  panel::error err;
  std::move(pending).receive([](upstream_reply const&) { FAIL("answered after shutdown"); },
                             [&](caf::error const& e) { err = to_panel_error(e); });
  CHECK(err.code == errc::unavailable);
  CHECK(err.message == "Upstream pool is shutting down");
}

#endif
