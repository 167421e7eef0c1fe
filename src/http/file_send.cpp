#include "http/file_send.hpp"

#include <algorithm>
#include <cerrno>
#include <memory>
#include <utility>

#include <boost/asio/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>

#include <sys/sendfile.h>

namespace panel::http {

namespace net = boost::asio;
using boost::system::error_code;

namespace {

// sendfile(2) moves at most ~2 GiB per call; smaller steps keep one big
// download from holding the io thread while the socket buffer has room.
constexpr std::uint64_t step = 4 * 1024 * 1024;

class file_sender : public std::enable_shared_from_this<file_sender> {
public:
  file_sender(net::ip::tcp::socket& socket, file_region region, std::chrono::steady_clock::duration stall,
              std::function<void(error_code)> done)
      : socket_(socket), timer_(socket.get_executor()), region_(region), stall_(stall), done_(std::move(done)) {}

  void start() {
    error_code ec;
    socket_.native_non_blocking(true, ec);
    if (ec) {
      finish(ec);
      return;
    }
    pump();
  }

private:
  void pump() {
    while (region_.length > 0) {
      auto off = static_cast<off_t>(region_.offset);
      auto const n = ::sendfile(socket_.native_handle(), region_.fd, &off,
                                static_cast<std::size_t>(std::min(region_.length, step)));
      if (n > 0) {
        region_.offset += static_cast<std::uint64_t>(n);
        region_.length -= static_cast<std::uint64_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        wait();
        return;
      }
      // 0: the file is shorter than promised; anything else: the socket's error.
      finish(n == 0 ? error_code{net::error::eof} : error_code{errno, boost::system::system_category()});
      return;
    }
    finish({});
  }

  void wait() {
    auto self = shared_from_this();
    timer_.expires_after(stall_);
    timer_.async_wait([self](error_code ec) {
      if (!ec) { // no progress in time: wake the pending wait with an error
        self->timed_out_ = true;
        error_code ignored;
        self->socket_.cancel(ignored);
      }
    });
    socket_.async_wait(net::ip::tcp::socket::wait_write, [self](error_code ec) {
      self->timer_.cancel();
      if (self->timed_out_) {
        self->finish(boost::beast::error::timeout);
        return;
      }
      if (ec) {
        self->finish(ec);
        return;
      }
      self->pump();
    });
  }

  void finish(error_code ec) {
    error_code ignored;
    socket_.native_non_blocking(false, ignored);
    auto done = std::move(done_);
    done(ec);
  }

  net::ip::tcp::socket& socket_;
  net::steady_timer timer_;
  file_region region_;
  std::chrono::steady_clock::duration stall_;
  std::function<void(error_code)> done_;
  bool timed_out_ = false;
};

} // namespace

void async_send_file(net::ip::tcp::socket& socket, file_region region, std::chrono::steady_clock::duration stall,
                     std::function<void(error_code)> done) {
  std::make_shared<file_sender>(socket, region, stall, std::move(done))->start();
}

} // namespace panel::http
