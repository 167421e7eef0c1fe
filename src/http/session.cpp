#include "http/session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "core/strings.hpp"
#include "http/errors.hpp"
#include "http/policy.hpp"

namespace panel::http {

namespace bhttp = beast::http;

namespace {
constexpr auto read_timeout = std::chrono::seconds(30);
constexpr auto write_timeout = std::chrono::seconds(60);
constexpr auto file_write_timeout = std::chrono::minutes(30);
constexpr std::uint32_t header_limit = 32 * 1024;

// Expected conditions when a peer goes away: not worth a log line.
bool quiet(beast::error_code const& ec) {
  return ec == net::error::operation_aborted || ec == beast::error::timeout || ec == bhttp::error::end_of_stream ||
         ec == net::error::connection_reset || ec == net::error::eof || ec == net::error::broken_pipe;
}
} // namespace

// Hands a handler's response back to the connection's strand.
class session::reply_sink : public responder::sink {
public:
  explicit reply_sink(std::shared_ptr<session> s) : session_(std::move(s)) {}
  void deliver(response r) override {
    auto s = session_;
    net::post(s->stream_.get_executor(), [s, r = std::move(r)]() mutable { s->send(std::move(r)); });
  }

private:
  std::shared_ptr<session> session_;
};

session::session(net::ip::tcp::socket&& socket, app& a, inflight_counter& inflight)
    : stream_(std::move(socket)), app_(a), inflight_(inflight) {
  beast::error_code ec;
  auto const ep = stream_.socket().remote_endpoint(ec);
  if (!ec) {
    auto addr = ep.address();
    if (addr.is_v6() && addr.to_v6().is_v4_mapped()) {
      addr = net::ip::make_address_v4(net::ip::v4_mapped, addr.to_v6());
    }
    peer_ip_ = addr.to_string();
  }
  stream_.socket().set_option(net::ip::tcp::no_delay(true), ec);
}

void session::start() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->do_read_header(); });
}

void session::do_read_header() {
  header_parser_.emplace();
  header_parser_->header_limit(header_limit);
  body_parser_.reset();
  path_.clear();
  stream_.expires_after(read_timeout);
  bhttp::async_read_header(stream_, buffer_, *header_parser_,
                           [self = shared_from_this()](beast::error_code ec, std::size_t n) { self->on_header(ec, n); });
}

void session::on_header(beast::error_code ec, std::size_t) {
  if (ec == bhttp::error::header_limit) {
    send_early_error(431, "Request header fields too large");
    return;
  }
  if (ec) {
    if (!quiet(ec) && ec != bhttp::error::partial_message) {
      send_early_error(400, "Malformed HTTP request");
      return;
    }
    close();
    return;
  }
  auto const& h = header_parser_->get();
  auto const target = h.target();
  path_ = std::string(target.substr(0, target.find('?')));
  auto const ctype = h[bhttp::field::content_type];
  auto const limit = body_limit(app_.cfg, path_, ctype);
  if (auto const len = header_parser_->content_length(); len && *len > limit) {
    send_early_error(413, "Request body too large");
    return;
  }
  body_parser_.emplace(std::move(*header_parser_));
  body_parser_->body_limit(limit);
  if (core::iequals(body_parser_->get()[bhttp::field::expect], "100-continue")) {
    static constexpr std::string_view cont = "HTTP/1.1 100 Continue\r\n\r\n";
    net::async_write(stream_, net::buffer(cont.data(), cont.size()),
                     [self = shared_from_this()](beast::error_code e, std::size_t) { self->on_continue_sent(e); });
    return;
  }
  do_read_body();
}

void session::on_continue_sent(beast::error_code ec) {
  if (ec) {
    close();
    return;
  }
  do_read_body();
}

void session::do_read_body() {
  stream_.expires_after(read_timeout);
  bhttp::async_read(stream_, buffer_, *body_parser_,
                    [self = shared_from_this()](beast::error_code ec, std::size_t n) { self->on_body(ec, n); });
}

void session::on_body(beast::error_code ec, std::size_t) {
  if (ec == bhttp::error::body_limit) {
    send_early_error(413, "Request body too large");
    return;
  }
  if (ec) {
    close();
    return;
  }
  auto msg = body_parser_->release();
  request req;
  req.method = std::string(msg.method_string());
  req.target = std::string(msg.target());
  req.path = path_;
  if (auto const q = req.target.find('?'); q != std::string::npos) {
    req.query = req.target.substr(q + 1);
  }
  for (auto const& f : msg) {
    req.headers.add(f.name_string(), std::string(f.value()));
  }
  req.body = std::move(msg.body());
  req.peer_ip = peer_ip_;
  keep_alive_ = msg.keep_alive();
  head_ = msg.method() == bhttp::verb::head;
  handle(std::move(req));
}

void session::handle(request req) {
  ++inflight_.active;
  auto sink = std::make_shared<reply_sink>(shared_from_this());
  dispatch(app_, req, responder{std::move(sink)});
}

void session::send(response r) {
  apply_global_headers(r, path_);
  auto const keep_alive = keep_alive_;
  auto fill = [&](auto& msg) {
    msg.result(static_cast<unsigned>(r.status));
    msg.version(11);
    for (auto const& [k, v] : r.headers) {
      msg.insert(k, v);
    }
    msg.keep_alive(keep_alive);
  };
  if (r.file) {
    bhttp::file_body::value_type file;
    beast::error_code ec;
    file.open(r.file->c_str(), beast::file_mode::scan, ec);
    if (ec) {
      r = error_response(404, "Not found");
      r.file.reset();
      apply_global_headers(r, path_);
    } else {
      auto const size = file.size();
      if (head_) {
        auto msg = std::make_shared<bhttp::response<bhttp::empty_body>>();
        fill(*msg);
        msg->content_length(size);
        stream_.expires_after(write_timeout);
        bhttp::async_write(stream_, *msg, [self = shared_from_this(), msg, keep_alive](beast::error_code e, std::size_t n) {
          self->on_write(keep_alive, e, n);
        });
        return;
      }
      auto msg = std::make_shared<bhttp::response<bhttp::file_body>>();
      fill(*msg);
      msg->body() = std::move(file);
      msg->prepare_payload();
      stream_.expires_after(file_write_timeout);
      bhttp::async_write(stream_, *msg, [self = shared_from_this(), msg, keep_alive](beast::error_code e, std::size_t n) {
        self->on_write(keep_alive, e, n);
      });
      return;
    }
  }
  auto msg = std::make_shared<bhttp::response<bhttp::string_body>>();
  fill(*msg);
  if (head_) {
    msg->content_length(r.body.size());
  } else {
    msg->body() = std::move(r.body);
    msg->prepare_payload();
  }
  stream_.expires_after(write_timeout);
  bhttp::async_write(stream_, *msg, [self = shared_from_this(), msg, keep_alive](beast::error_code e, std::size_t n) {
    self->on_write(keep_alive, e, n);
  });
}

void session::on_write(bool keep_alive, beast::error_code ec, std::size_t) {
  --inflight_.active;
  if (ec || !keep_alive) {
    close();
    return;
  }
  do_read_header();
}

void session::send_early_error(int status, std::string_view detail) {
  // The body (if any) is not read, so the connection cannot be reused.
  ++inflight_.active;
  keep_alive_ = false;
  head_ = false;
  send(error_response(status, detail));
}

void session::close() {
  beast::error_code ec;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
  stream_.socket().close(ec);
}

} // namespace panel::http
