#pragma once
// stream_writer: the single writer of one streaming (SSE) connection. It owns the
// socket once the session hands it over, writes queued chunks in order on the
// connection's strand, watches for the peer going away, and bounds its queue.

#include <array>
#include <deque>
#include <mutex>

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>

#include "http/message.hpp"

namespace panel::http {

class stream_writer : public event_stream, public std::enable_shared_from_this<stream_writer> {
public:
  /// Takes the connection; `max_queued_bytes` bounds what a slow reader may hold.
  stream_writer(boost::beast::tcp_stream&& stream, std::size_t max_queued_bytes);
  ~stream_writer() override;

  /// Writes `header` (the full HTTP response head) and starts watching the peer.
  void start(std::string header);

  bool push(std::string chunk) override;
  void close() override;
  [[nodiscard]] bool closed() const override;
  void on_closed(std::function<void()> fn) override;

private:
  void do_write();
  void do_read();
  void finish();

  boost::beast::tcp_stream stream_;
  boost::asio::steady_timer close_timer_; ///< bounds a graceful close to a stalled reader
  std::size_t max_queued_bytes_;
  mutable std::mutex mutex_;
  std::deque<std::string> queue_;
  std::string current_; ///< the chunk being written (stable buffer)
  std::size_t queued_bytes_ = 0;
  bool writing_ = false;
  bool closing_ = false;
  bool closed_ = false;
  std::function<void()> on_closed_;
  std::array<char, 512> read_buf_{};
};

/// The HTTP head of an event stream for `r`: status line, r's headers with the SSE
/// headers of §5.1 and Connection: close (the body ends when the connection does).
[[nodiscard]] std::string stream_head(response r);

} // namespace panel::http
