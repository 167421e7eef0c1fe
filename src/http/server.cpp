#include "http/server.hpp"

#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "core/logging.hpp"
#include "http/session.hpp"

namespace panel::http {

namespace {
constexpr auto drain_limit = std::chrono::seconds(5);
}

struct server::impl {
  impl(app& a, unsigned threads)
      : app_(a), threads_(std::max(1U, threads)), ioc_(static_cast<int>(threads_)), acceptor_(net::make_strand(ioc_)),
        signals_(ioc_, SIGINT, SIGTERM), drain_timer_(ioc_) {}

  void do_accept() {
    acceptor_.async_accept(net::make_strand(ioc_), [this](beast::error_code ec, net::ip::tcp::socket socket) {
      if (ec) {
        if (ec != net::error::operation_aborted && acceptor_.is_open()) {
          core::log_warning("accept failed: " + ec.message());
          do_accept();
        }
        return;
      }
      std::make_shared<session>(std::move(socket), app_, inflight_)->start();
      do_accept();
    });
  }

  // Stop accepting, wait for requests in flight (bounded), then stop the io threads.
  void begin_stop() {
    if (stopping_.exchange(true)) {
      return;
    }
    net::post(acceptor_.get_executor(), [this] {
      beast::error_code ec;
      acceptor_.close(ec);
    });
    drain_deadline_ = std::chrono::steady_clock::now() + drain_limit;
    wait_drained();
  }

  void wait_drained() {
    if (inflight_.active.load() <= 0 || std::chrono::steady_clock::now() >= drain_deadline_) {
      ioc_.stop();
      return;
    }
    drain_timer_.expires_after(std::chrono::milliseconds(20));
    drain_timer_.async_wait([this](beast::error_code) { wait_drained(); });
  }

  app& app_;
  unsigned threads_;
  net::io_context ioc_;
  net::ip::tcp::acceptor acceptor_;
  net::signal_set signals_;
  net::steady_timer drain_timer_;
  inflight_counter inflight_;
  std::atomic<bool> stopping_{false};
  std::chrono::steady_clock::time_point drain_deadline_{};
};

server::server(app& a, unsigned threads) : impl_(std::make_unique<impl>(a, threads)) {}
server::~server() = default;

expected<std::uint16_t> server::listen(std::string const& host, std::uint16_t port) {
  beast::error_code ec;
  auto const addr = net::ip::make_address(host, ec);
  if (ec) {
    return fail(errc::validation, "cannot listen on '" + host + "': not an IP address");
  }
  net::ip::tcp::endpoint const ep{addr, port};
  auto& acc = impl_->acceptor_;
  acc.open(ep.protocol(), ec);
  if (!ec) {
    acc.set_option(net::socket_base::reuse_address(true), ec);
  }
  if (!ec) {
    acc.bind(ep, ec);
  }
  if (!ec) {
    acc.listen(net::socket_base::max_listen_connections, ec);
  }
  if (ec) {
    return fail(errc::unavailable, "cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message());
  }
  return acc.local_endpoint().port();
}

void server::run() {
  impl_->signals_.async_wait([this](beast::error_code ec, int sig) {
    if (!ec) {
      core::log_info(std::string("received ") + (sig == SIGINT ? "SIGINT" : "SIGTERM") + ", shutting down");
      impl_->begin_stop();
    }
  });
  impl_->do_accept();
  std::vector<std::thread> extra;
  for (unsigned i = 1; i < impl_->threads_; ++i) {
    extra.emplace_back([this] { impl_->ioc_.run(); });
  }
  impl_->ioc_.run();
  for (auto& t : extra) {
    t.join();
  }
}

void server::stop() {
  net::post(impl_->ioc_, [this] { impl_->begin_stop(); });
}

} // namespace panel::http
