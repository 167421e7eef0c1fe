// Listener and sessions: one coroutine per connection on its own strand.
// Sessions only move bytes; every decision is made by handle_request(), which
// runs on a worker pool so a slow uncached encode never stalls the io threads.
#include "server.hpp"

#include "mock_state.hpp"
#include "routes.hpp"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <array>
#include <cstdio>
#include <fstream>
#include <optional>
#include <thread>

namespace mock {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

constexpr auto idle_timeout = 120s;
constexpr auto io_timeout = 60s;
// A [mock:timeout] request is held until the client gives up, but not forever.
constexpr auto hold_limit = 15min;

struct server_context {
  mock_state& state;
  options const& opts;
  net::thread_pool& workers;
  std::optional<ssl::context> tls;
  std::string bound_authority; ///< host:port actually bound
};

std::string lower(std::string_view s) {
  std::string out{s};
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

request_view make_view(http::request<http::string_body> const& req, server_context const& ctx) {
  request_view v;
  v.method = std::string{req.method_string()};
  v.target = std::string{req.target()};
  v.path = v.target.substr(0, v.target.find('?'));
  for (auto const& field : req) {
    v.headers.emplace_back(lower(field.name_string()), std::string{field.value()});
  }
  v.body = req.body();
  if (!ctx.opts.public_url.empty()) {
    v.base_url = ctx.opts.public_url;
  } else {
    std::string_view host = v.header("host");
    bool const sane = !host.empty() && host.size() < 256 &&
                      host.find_first_of(" /\\\"'<>@") == std::string_view::npos;
    v.base_url = std::string{ctx.tls ? "https://" : "http://"} + std::string{sane ? host : ctx.bound_authority};
  }
  return v;
}

bool status_allows_body(unsigned status) {
  return status >= 200 && status != 204 && status != 304;
}

template <class Message>
void apply_common(Message& res, reply const& r, bool keep_alive) {
  if (!r.content_type.empty()) {
    res.set(http::field::content_type, r.content_type);
  }
  res.set(http::field::server, "mock-upstream");
  for (auto const& [name, value] : r.headers) {
    res.set(name, value);
  }
  res.keep_alive(keep_alive);
}

template <class Stream>
net::awaitable<bool> write_reply(Stream& stream, reply const& r, unsigned version, bool keep_alive) {
  beast::error_code ec;
  std::string_view const data = r.file ? std::string_view{reinterpret_cast<char const*>(r.file->bytes.data()),
                                                          r.file->bytes.size()}
                                       : std::string_view{r.body};
  if (!r.sse.empty() && !r.head_only) {
    // Real SSE framing: chunked transfer, one chunk per event.
    http::response<http::empty_body> res{static_cast<http::status>(r.status), version};
    apply_common(res, r, keep_alive);
    res.chunked(true);
    http::response_serializer<http::empty_body> sr{res};
    co_await http::async_write_header(stream, sr, net::redirect_error(net::use_awaitable, ec));
    for (std::size_t i = 0; i < r.sse.size() && !ec; ++i) {
      co_await net::async_write(stream, http::make_chunk(net::buffer(r.sse[i])),
                                net::redirect_error(net::use_awaitable, ec));
    }
    if (!ec) {
      co_await net::async_write(stream, http::make_chunk_last(), net::redirect_error(net::use_awaitable, ec));
    }
    co_return !ec;
  }
  if (r.head_only || !status_allows_body(r.status)) {
    http::response<http::empty_body> res{static_cast<http::status>(r.status), version};
    apply_common(res, r, keep_alive);
    if (status_allows_body(r.status)) {
      res.content_length(data.size());
    }
    co_await http::async_write(stream, res, net::redirect_error(net::use_awaitable, ec));
    co_return !ec;
  }
  http::response<http::span_body<char const>> res{static_cast<http::status>(r.status), version};
  apply_common(res, r, keep_alive);
  res.body() = boost::beast::span<char const>{data.data(), data.size()};
  res.content_length(data.size());
  co_await http::async_write(stream, res, net::redirect_error(net::use_awaitable, ec));
  co_return !ec;
}

// Reads and discards until the peer closes (or hold_limit passes).
template <class Stream>
net::awaitable<void> hold_connection(Stream& stream) {
  beast::get_lowest_layer(stream).expires_after(hold_limit);
  std::array<char, 1024> sink{};
  beast::error_code ec;
  while (!ec) {
    co_await stream.async_read_some(net::buffer(sink), net::redirect_error(net::use_awaitable, ec));
  }
}

enum class session_end { graceful, abort };

template <class Stream>
net::awaitable<session_end> serve(Stream& stream, server_context& ctx) {
  beast::flat_buffer buffer;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(ctx.opts.max_body_mb * 1024 * 1024);
    parser.header_limit(64 * 1024);
    beast::error_code ec;
    beast::get_lowest_layer(stream).expires_after(idle_timeout);
    co_await http::async_read_header(stream, buffer, parser, net::redirect_error(net::use_awaitable, ec));
    if (!ec && lower(parser.get()[http::field::expect]) == "100-continue") {
      // libcurl waits a full second for this before sending large bodies (edits).
      http::response<http::empty_body> cont{http::status::continue_, parser.get().version()};
      co_await http::async_write(stream, cont, net::redirect_error(net::use_awaitable, ec));
    }
    if (!ec && !parser.is_done()) {
      co_await http::async_read(stream, buffer, parser, net::redirect_error(net::use_awaitable, ec));
    }
    if (ec == http::error::body_limit) {
      reply r;
      r.status = 413;
      r.body = R"json({"error":{"message":"Request body too large for mock-upstream (--max-body-mb)",)json"
               R"json("type":"invalid_request_error","param":null,"code":"payload_too_large"}})json";
      co_await write_reply(stream, r, parser.get().version(), false);
      co_return session_end::graceful;
    }
    if (ec) {
      co_return ec == http::error::end_of_stream ? session_end::graceful : session_end::abort;
    }
    auto const started = std::chrono::steady_clock::now();
    http::request<http::string_body> const& req = parser.get();
    request_view const view = make_view(req, ctx);
    reply r = co_await net::co_spawn(
        ctx.workers, [&]() -> net::awaitable<reply> { co_return handle_request(ctx.state, view); },
        net::use_awaitable);
    if (r.delay.count() > 0) {
      net::steady_timer timer{co_await net::this_coro::executor, r.delay};
      co_await timer.async_wait(net::redirect_error(net::use_awaitable, ec));
    }
    if (ctx.opts.log) {
      auto const ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
      std::string const outcome = r.hold ? "held" : r.close ? "closed" : std::to_string(r.status);
      std::fprintf(stderr, "mock-upstream: %s %s -> %s (%lld ms)\n", view.method.c_str(), view.target.c_str(),
                   outcome.c_str(), static_cast<long long>(ms));
    }
    if (r.close) {
      co_return session_end::abort;
    }
    if (r.hold) {
      co_await hold_connection(stream);
      co_return session_end::abort;
    }
    bool const keep_alive = req.keep_alive();
    beast::get_lowest_layer(stream).expires_after(io_timeout);
    if (!co_await write_reply(stream, r, req.version(), keep_alive) || !keep_alive) {
      co_return session_end::graceful;
    }
  }
}

net::awaitable<void> plain_session(tcp::socket socket, server_context& ctx) {
  beast::tcp_stream stream{std::move(socket)};
  session_end const end = co_await serve(stream, ctx);
  beast::error_code ec;
  if (end == session_end::graceful) {
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  }
  stream.socket().close(ec);
}

net::awaitable<void> tls_session(tcp::socket socket, server_context& ctx) {
  beast::ssl_stream<beast::tcp_stream> stream{std::move(socket), *ctx.tls};
  beast::error_code ec;
  beast::get_lowest_layer(stream).expires_after(30s);
  co_await stream.async_handshake(ssl::stream_base::server, net::redirect_error(net::use_awaitable, ec));
  if (ec) {
    if (ctx.opts.log) {
      std::fprintf(stderr, "mock-upstream: TLS handshake failed: %s\n", ec.message().c_str());
    }
    co_return;
  }
  session_end const end = co_await serve(stream, ctx);
  if (end == session_end::graceful) {
    beast::get_lowest_layer(stream).expires_after(5s);
    co_await stream.async_shutdown(net::redirect_error(net::use_awaitable, ec));
  }
  beast::get_lowest_layer(stream).socket().close(ec);
}

void log_session_exception(std::exception_ptr e) {
  if (!e) {
    return;
  }
  try {
    std::rethrow_exception(e);
  } catch (std::exception const& ex) {
    std::fprintf(stderr, "mock-upstream: session error: %s\n", ex.what());
  }
}

net::awaitable<void> accept_loop(tcp::acceptor& acceptor, net::io_context& ioc, server_context& ctx) {
  for (;;) {
    tcp::socket socket{net::make_strand(ioc)};
    beast::error_code ec;
    co_await acceptor.async_accept(socket, net::redirect_error(net::use_awaitable, ec));
    if (ec == net::error::operation_aborted) {
      co_return;
    }
    if (ec) {
      // E.g. EMFILE: back off instead of spinning.
      net::steady_timer pause{ioc, 50ms};
      co_await pause.async_wait(net::redirect_error(net::use_awaitable, ec));
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    auto ex = socket.get_executor();
    if (ctx.tls) {
      net::co_spawn(ex, tls_session(std::move(socket), ctx), log_session_exception);
    } else {
      net::co_spawn(ex, plain_session(std::move(socket), ctx), log_session_exception);
    }
  }
}

std::optional<tcp::endpoint> resolve_bind(net::io_context& ioc, options const& opts) {
  beast::error_code ec;
  auto const addr = net::ip::make_address(opts.host, ec);
  if (!ec) {
    return tcp::endpoint{addr, opts.port};
  }
  tcp::resolver resolver{ioc};
  auto results = resolver.resolve(opts.host, std::to_string(opts.port), ec);
  if (ec || results.empty()) {
    return std::nullopt;
  }
  return results.begin()->endpoint();
}

bool write_port_file(std::string const& path, unsigned short port) {
  // Write then rename, so a polling reader never sees a half-written number.
  std::string const tmp = path + ".tmp";
  {
    std::ofstream out{tmp, std::ios::trunc};
    out << port << '\n';
    if (!out) {
      return false;
    }
  }
  return std::rename(tmp.c_str(), path.c_str()) == 0;
}

} // namespace

int run_server(options const& opts) {
  mock_state state{opts};
  net::thread_pool workers{static_cast<std::size_t>(opts.threads)};
  server_context ctx{state, opts, workers, std::nullopt, {}};
  if (opts.tls()) {
    ctx.tls.emplace(ssl::context::tls_server);
    ctx.tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                         ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    beast::error_code ec;
    ctx.tls->use_certificate_chain_file(opts.tls_cert, ec);
    if (!ec) {
      ctx.tls->use_private_key_file(opts.tls_key, ssl::context::pem, ec);
    }
    if (ec) {
      std::fprintf(stderr, "mock-upstream: cannot load TLS certificate/key: %s\n", ec.message().c_str());
      return 1;
    }
  }

  net::io_context ioc{opts.threads};
  auto const endpoint = resolve_bind(ioc, opts);
  if (!endpoint) {
    std::fprintf(stderr, "mock-upstream: cannot resolve --host %s\n", opts.host.c_str());
    return 1;
  }
  tcp::acceptor acceptor{ioc};
  beast::error_code ec;
  acceptor.open(endpoint->protocol(), ec);
  if (!ec) {
    acceptor.set_option(net::socket_base::reuse_address(true), ec);
    acceptor.bind(*endpoint, ec);
  }
  if (!ec) {
    acceptor.listen(net::socket_base::max_listen_connections, ec);
  }
  if (ec) {
    std::fprintf(stderr, "mock-upstream: cannot listen on %s:%u: %s\n", opts.host.c_str(), opts.port,
                 ec.message().c_str());
    return 1;
  }
  unsigned short const port = acceptor.local_endpoint().port();
  std::string const host = opts.host.find(':') != std::string::npos ? "[" + opts.host + "]" : opts.host;
  ctx.bound_authority = host + ":" + std::to_string(port);
  if (!opts.port_file.empty() && !write_port_file(opts.port_file, port)) {
    std::fprintf(stderr, "mock-upstream: cannot write --port-file %s\n", opts.port_file.c_str());
    return 1;
  }
  std::printf("listening on %s://%s\n", opts.tls() ? "https" : "http", ctx.bound_authority.c_str());
  std::fflush(stdout);

  net::signal_set signals{ioc, SIGINT, SIGTERM};
  signals.async_wait([&](beast::error_code const&, int) { ioc.stop(); });
  net::co_spawn(ioc, accept_loop(acceptor, ioc, ctx), net::detached);

  std::vector<std::thread> threads;
  for (int i = 1; i < opts.threads; ++i) {
    threads.emplace_back([&ioc] { ioc.run(); });
  }
  ioc.run();
  for (auto& t : threads) {
    t.join();
  }
  workers.stop();
  workers.join();
  return 0;
}

} // namespace mock
