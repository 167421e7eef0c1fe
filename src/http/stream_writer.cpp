#include "http/stream_writer.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/status.hpp>

#include <cerrno>
#include <sys/socket.h>

namespace panel::http {

namespace net = boost::asio;
namespace beast = boost::beast;

stream_writer::stream_writer(beast::tcp_stream&& stream, std::size_t max_queued_bytes)
    : stream_(std::move(stream)), close_timer_(stream_.get_executor()), max_queued_bytes_(max_queued_bytes) {}

stream_writer::~stream_writer() {
  beast::error_code ec;
  stream_.socket().close(ec);
}

void stream_writer::start(std::string header) {
  // Streams live until the peer or the producer ends them; no per-operation timeout.
  stream_.expires_never();
  push(std::move(header));
  do_read();
}

bool stream_writer::push(std::string chunk) {
  std::lock_guard lock{mutex_};
  if (closed_ || closing_) {
    return false;
  }
  if (!writing_ && queue_.empty()) {
    // Fast path, on the producer's thread: nothing is queued or in flight, so a
    // non-blocking send keeps the order. It saves a strand hop and an async
    // operation per event, which is most of an SSE fan-out's cost (bench/jobs).
    // finish() closes the socket under the same mutex, so the descriptor is ours.
    auto const sent = ::send(stream_.socket().native_handle(), chunk.data(), chunk.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    if (sent == static_cast<ssize_t>(chunk.size())) {
      return true;
    }
    if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      closing_ = true; // the peer is gone
      net::post(stream_.get_executor(), [self = shared_from_this()] { self->finish(); });
      return false;
    }
    if (sent > 0) {
      chunk.erase(0, static_cast<std::size_t>(sent));
    }
  }
  if (queued_bytes_ + chunk.size() > max_queued_bytes_) {
    // The reader cannot keep up: drop it rather than buffer without bound.
    closing_ = true;
    queue_.clear();
    net::post(stream_.get_executor(), [self = shared_from_this()] { self->finish(); });
    return false;
  }
  queued_bytes_ += chunk.size();
  queue_.push_back(std::move(chunk));
  if (!writing_) {
    writing_ = true;
    net::post(stream_.get_executor(), [self = shared_from_this()] { self->do_write(); });
  }
  return true;
}

void stream_writer::do_write() {
  bool drained_and_closing = false;
  {
    std::lock_guard lock{mutex_};
    if (closed_) {
      return;
    }
    if (queue_.empty()) {
      writing_ = false;
      drained_and_closing = closing_;
      if (!drained_and_closing) {
        return;
      }
    } else {
      current_ = std::move(queue_.front());
      queue_.pop_front();
    }
  }
  if (drained_and_closing) {
    finish();
    return;
  }
  net::async_write(stream_, net::buffer(current_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (ec) {
      self->finish();
      return;
    }
    {
      std::lock_guard lock{self->mutex_};
      self->queued_bytes_ -= self->current_.size();
    }
    self->do_write();
  });
}

void stream_writer::do_read() {
  // Browsers send nothing on an event stream: any completion means it went away.
  stream_.async_read_some(net::buffer(read_buf_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (ec) {
      self->finish();
      return;
    }
    self->do_read();
  });
}

void stream_writer::close() {
  std::lock_guard lock{mutex_};
  if (closed_ || closing_) {
    return;
  }
  closing_ = true;
  auto self = shared_from_this();
  net::post(stream_.get_executor(), [self] {
    // A reader that stopped reading must not keep the connection forever.
    self->close_timer_.expires_after(std::chrono::seconds(10));
    self->close_timer_.async_wait([self](beast::error_code ec) {
      if (!ec) {
        self->finish();
      }
    });
  });
  if (!writing_) {
    writing_ = true; // do_write sees the empty queue and finishes
    net::post(stream_.get_executor(), [self] { self->do_write(); });
  }
}

bool stream_writer::closed() const {
  std::lock_guard lock{mutex_};
  return closed_ || closing_;
}

void stream_writer::on_closed(std::function<void()> fn) {
  {
    std::lock_guard lock{mutex_};
    if (!closed_) {
      on_closed_ = std::move(fn);
      return;
    }
  }
  fn();
}

void stream_writer::finish() {
  std::function<void()> notify;
  {
    std::lock_guard lock{mutex_};
    if (closed_) {
      return;
    }
    closed_ = true;
    queue_.clear();
    notify = std::move(on_closed_);
    beast::error_code ec;
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
  }
  close_timer_.cancel();
  if (notify) {
    notify();
  }
}

std::string stream_head(response r) {
  r.headers.set("Content-Type", "text/event-stream; charset=utf-8");
  r.headers.set("Cache-Control", "no-cache");
  r.headers.set("X-Accel-Buffering", "no");
  r.headers.set("Connection", "close");
  auto const reason = beast::http::obsolete_reason(static_cast<beast::http::status>(r.status));
  std::string head = "HTTP/1.1 " + std::to_string(r.status) + " " + std::string(reason) + "\r\n";
  for (auto const& [k, v] : r.headers) {
    head += k + ": " + v + "\r\n";
  }
  head += "\r\n";
  return head;
}

} // namespace panel::http
