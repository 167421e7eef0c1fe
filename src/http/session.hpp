#pragma once
// One HTTP/1.1 connection: read the header, enforce the body limit of the route
// before reading the body, dispatch, write, repeat while keep-alive.
// Lives only through its pending handlers (shared_from_this).

#include <atomic>
#include <memory>
#include <limits>
#include <optional>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "http/app.hpp"
#include "http/message.hpp"

namespace panel::http {

namespace beast = boost::beast;
namespace net = boost::asio;

/// Counts requests being handled, so a stopping server can wait for them.
struct inflight_counter {
  std::atomic<int> active{0};
};

class session : public std::enable_shared_from_this<session> {
public:
  session(net::ip::tcp::socket&& socket, app& a, inflight_counter& inflight);

  void start();

private:
  class reply_sink;

  void do_read_header();
  void on_header(beast::error_code ec, std::size_t bytes);
  void on_continue_sent(beast::error_code ec);
  void do_read_body();
  void on_body(beast::error_code ec, std::size_t bytes);
  void do_read_chunk();
  void on_chunk(beast::error_code ec, std::size_t bytes);
  void dispatch();
  void send(response r);
  void on_write(bool keep_alive, beast::error_code ec, std::size_t bytes);
  void send_early(response r);
  void start_stream(response r);
  struct source_state;
  void send_source(std::shared_ptr<source_state> st);
  void send_region(std::shared_ptr<source_state> st, file_region region);
  void pull_source(std::shared_ptr<source_state> st);
  void on_source_chunk(std::shared_ptr<source_state> st, body_chunk chunk);
  void close();

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  app& app_;
  inflight_counter& inflight_;
  std::optional<beast::http::request_parser<beast::http::empty_body>> header_parser_;
  std::optional<beast::http::request_parser<beast::http::string_body>> body_parser_;
  /// Routes with a sink_factory: the body goes through chunk_ into sink_.
  std::optional<beast::http::request_parser<beast::http::buffer_body>> stream_parser_;
  std::shared_ptr<body_sink> sink_;
  std::unique_ptr<char[]> chunk_;
  std::string peer_ip_;
  request req_;             ///< the request being read (header first, then body)
  bool keep_alive_ = false;
  bool head_ = false;
};

} // namespace panel::http
