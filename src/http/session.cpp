#include "http/session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "core/strings.hpp"
#include "http/errors.hpp"
#include "http/file_send.hpp"
#include "http/file_source.hpp"
#include "http/policy.hpp"
#include "http/stream_writer.hpp"

namespace panel::http {

namespace bhttp = beast::http;

namespace {
constexpr auto read_timeout = std::chrono::seconds(30);
constexpr auto write_timeout = std::chrono::seconds(60);
constexpr auto file_write_timeout = std::chrono::minutes(30);
constexpr std::uint32_t header_limit = 32 * 1024;
// What one event stream may have queued for a slow reader before it is dropped.
constexpr std::size_t stream_queue_limit = 4 * 1024 * 1024;
// One read of a streamed body (multipart uploads) at most.
constexpr std::size_t chunk_size = 64 * 1024;

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
  // Beast's default 1 MiB body limit would refuse large uploads while reading the
  // header; the real, per-route limit is applied in on_header.
  header_parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
  body_parser_.reset();
  stream_parser_.reset();
  sink_.reset();
  req_ = request{};
  stream_.expires_after(read_timeout);
  bhttp::async_read_header(stream_, buffer_, *header_parser_,
                           [self = shared_from_this()](beast::error_code ec, std::size_t n) { self->on_header(ec, n); });
}

void session::on_header(beast::error_code ec, std::size_t) {
  if (ec == bhttp::error::header_limit) {
    send_early(error_response(431, "Request header fields too large"));
    return;
  }
  if (ec) {
    if (!quiet(ec) && ec != bhttp::error::partial_message) {
      send_early(error_response(400, "Malformed HTTP request"));
      return;
    }
    close();
    return;
  }
  auto const& h = header_parser_->get();
  req_.method = std::string(h.method_string());
  req_.target = std::string(h.target());
  // Origin-form only: an absolute-form target would sidestep the Host check.
  if (!req_.target.starts_with('/')) {
    send_early(error_response(400, "Malformed HTTP request"));
    return;
  }
  auto const q = req_.target.find('?');
  req_.path = req_.target.substr(0, q);
  if (q != std::string::npos) {
    req_.query = req_.target.substr(q + 1);
  }
  for (auto const& f : h) {
    req_.headers.add(f.name_string(), std::string(f.value()));
  }
  req_.peer_ip = peer_ip_;
  keep_alive_ = h.keep_alive();
  head_ = h.method() == bhttp::verb::head;
  // The body limit (§1.5) and then the gate (§2) both answer before the body is read.
  auto const limit = body_limit(app_.cfg, req_.path, h[bhttp::field::content_type]);
  if (auto const len = header_parser_->content_length(); len && *len > limit) {
    send_early(error_response(413, "Request body too large"));
    return;
  }
  if (auto refused = admit(app_, req_)) {
    send_early(std::move(*refused));
    return;
  }
  bool const expects_continue = core::iequals(h[bhttp::field::expect], "100-continue");
  // A route that declares a sink gets its body streamed, never buffered.
  if (auto m = app_.routes.match(req_.method, req_.path); m.result == route_match::kind::found && m.target->make_sink) {
    sink_ = m.target->make_sink(req_);
  }
  if (sink_) {
    stream_parser_.emplace(std::move(*header_parser_));
    stream_parser_->body_limit(limit);
  } else {
    body_parser_.emplace(std::move(*header_parser_));
    body_parser_->body_limit(limit);
  }
  header_parser_.reset();
  if (expects_continue) {
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
  if (sink_) {
    chunk_ = std::make_unique<char[]>(chunk_size);
    do_read_chunk();
    return;
  }
  stream_.expires_after(read_timeout);
  bhttp::async_read(stream_, buffer_, *body_parser_,
                    [self = shared_from_this()](beast::error_code ec, std::size_t n) { self->on_body(ec, n); });
}

void session::on_body(beast::error_code ec, std::size_t) {
  if (ec == bhttp::error::body_limit) {
    send_early(error_response(413, "Request body too large"));
    return;
  }
  if (ec) {
    close();
    return;
  }
  req_.body = std::move(body_parser_->get().body());
  dispatch();
}

void session::do_read_chunk() {
  auto& body = stream_parser_->get().body();
  body.data = chunk_.get();
  body.size = chunk_size;
  body.more = true;
  if (stream_parser_->is_done()) {
    on_chunk({}, 0);
    return;
  }
  // The read timeout applies to each read, not to the whole upload.
  stream_.expires_after(read_timeout);
  bhttp::async_read_some(stream_, buffer_, *stream_parser_,
                         [self = shared_from_this()](beast::error_code ec, std::size_t n) { self->on_chunk(ec, n); });
}

void session::on_chunk(beast::error_code ec, std::size_t) {
  if (ec == bhttp::error::need_buffer) {
    ec = {};
  }
  if (ec == bhttp::error::body_limit) {
    sink_.reset();
    send_early(error_response(413, "Request body too large"));
    return;
  }
  if (ec) {
    sink_.reset();
    close();
    return;
  }
  auto const got = chunk_size - stream_parser_->get().body().size;
  // After a sink error the rest of the body is read and dropped, so the client
  // gets its answer on a clean connection.
  if (got > 0 && !sink_->failure()) {
    (void)sink_->write(std::string_view(chunk_.get(), got));
  }
  if (!stream_parser_->is_done()) {
    do_read_chunk();
    return;
  }
  if (!sink_->failure()) {
    (void)sink_->finish();
  }
  chunk_.reset();
  req_.sink = std::move(sink_);
  dispatch();
}

void session::dispatch() {
  ++inflight_.active;
  route(app_, req_, responder{std::make_shared<reply_sink>(shared_from_this())});
}

// A produced body (body_source): the header, then one chunk at a time.
struct session::source_state {
  bhttp::response<bhttp::buffer_body> msg;
  std::optional<bhttp::response_serializer<bhttp::buffer_body>> sr;
  std::shared_ptr<body_source> source;
  std::string chunk; ///< the chunk being written (stable buffer)
  bool keep_alive = false;
  bool finished = false; ///< the last chunk was handed over
};

void session::send(response r) {
  apply_global_headers(r, req_.path);
  if (r.stream) {
    start_stream(std::move(r));
    return;
  }
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
    // Whole files go through the same produced-body path as ranges: 256 KiB
    // reads instead of Beast file_body's 4 KiB ones.
    auto opened = open_file_source(*r.file);
    r.file.reset();
    if (!opened) {
      r = error_response(404, "Not found");
      apply_global_headers(r, req_.path);
    } else if (head_) {
      auto msg = std::make_shared<bhttp::response<bhttp::empty_body>>();
      fill(*msg);
      msg->content_length(opened->size);
      stream_.expires_after(write_timeout);
      bhttp::async_write(stream_, *msg, [self = shared_from_this(), msg, keep_alive](beast::error_code e, std::size_t n) {
        self->on_write(keep_alive, e, n);
      });
      return;
    } else {
      r.headers.set("Content-Length", std::to_string(opened->size));
      r.source = std::move(opened->source);
    }
  }
  if (r.source) {
    if (head_) {
      r.source->cancel();
      r.source.reset();
    } else {
      auto st = std::make_shared<source_state>();
      fill(st->msg);
      st->keep_alive = keep_alive;
      st->source = std::move(r.source);
      if (auto region = st->source->region(); region && st->msg.has_content_length()) {
        send_region(std::move(st), *region);
        return;
      }
      if (!st->msg.has_content_length()) {
        st->msg.chunked(true);
      }
      send_source(std::move(st));
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

void session::send_source(std::shared_ptr<source_state> st) {
  // The header goes out with the first chunk (one write, not two).
  st->msg.body().data = nullptr;
  st->msg.body().more = true;
  st->sr.emplace(st->msg);
  pull_source(std::move(st));
}

void session::send_region(std::shared_ptr<source_state> st, file_region region) {
  // The header, then the file straight from the page cache. TCP_CORK holds the
  // header back until the first file bytes can share its packet.
  int const fd = stream_.socket().native_handle();
  int on = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_CORK, &on, sizeof on);
  auto header = std::make_shared<bhttp::response<bhttp::empty_body>>();
  header->base() = std::move(st->msg.base());
  stream_.expires_after(write_timeout);
  bhttp::async_write(stream_, *header, [self = shared_from_this(), st, header, region](beast::error_code ec, std::size_t) {
    if (ec) {
      st->source->cancel();
      self->on_write(false, ec, 0);
      return;
    }
    async_send_file(self->stream_.socket(), region, write_timeout, [self, st](boost::system::error_code ec) {
      int const fd = self->stream_.socket().native_handle();
      int off = 0;
      ::setsockopt(fd, IPPROTO_TCP, TCP_CORK, &off, sizeof off);
      if (ec) {
        st->source->cancel();
      }
      self->on_write(st->keep_alive && !ec, ec, 0);
    });
  });
}

void session::pull_source(std::shared_ptr<source_state> st) {
  auto self = shared_from_this();
  st->source->next([self, st](body_chunk chunk) {
    net::post(self->stream_.get_executor(),
              [self, st, chunk = std::move(chunk)]() mutable { self->on_source_chunk(st, std::move(chunk)); });
  });
}

void session::on_source_chunk(std::shared_ptr<source_state> st, body_chunk chunk) {
  if (chunk.failed) {
    // The status line is gone already: all that is left is to cut the body short.
    on_write(false, net::error::operation_aborted, 0);
    return;
  }
  st->finished = chunk.last;
  st->chunk = std::move(chunk.data);
  auto& body = st->msg.body();
  body.data = st->chunk.empty() ? nullptr : st->chunk.data();
  body.size = st->chunk.size();
  body.more = !st->finished;
  if (st->chunk.empty() && !st->finished) {
    pull_source(st);
    return;
  }
  stream_.expires_after(file_write_timeout);
  bhttp::async_write(stream_, *st->sr, [self = shared_from_this(), st](beast::error_code ec, std::size_t n) {
    if (ec == bhttp::error::need_buffer) {
      ec = {};
    }
    if (ec) {
      if (!st->finished) {
        st->source->cancel();
      }
      self->on_write(false, ec, n);
      return;
    }
    if (!st->sr->is_done()) {
      self->pull_source(st);
      return;
    }
    self->on_write(st->keep_alive, ec, n);
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

void session::send_early(response r) {
  // An unread body (or a broken request) leaves the stream unusable: close after
  // this response. A refused request without a body keeps its connection.
  bool const clean = header_parser_ && header_parser_->is_header_done() && header_parser_->is_done();
  ++inflight_.active;
  keep_alive_ = keep_alive_ && clean;
  if (!clean) {
    head_ = false;
  }
  send(std::move(r));
}

void session::start_stream(response r) {
  // The connection now belongs to the stream's writer; this session ends here.
  --inflight_.active;
  auto writer = std::make_shared<stream_writer>(std::move(stream_), stream_queue_limit);
  auto on_open = std::move(r.stream);
  writer->start(stream_head(std::move(r)));
  on_open(writer);
}

void session::close() {
  beast::error_code ec;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
  stream_.socket().close(ec);
}

} // namespace panel::http
