#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "http/sse_slots.hpp"
#include "http/stream_writer.hpp"

using namespace panel::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// A connected socket pair on loopback: `server` wrapped for the writer, `client` to read.
struct loopback {
  net::io_context ioc;
  tcp::socket client{ioc};
  std::shared_ptr<stream_writer> writer;
  std::thread runner;
  std::unique_ptr<net::executor_work_guard<net::io_context::executor_type>> work;

  explicit loopback(std::size_t limit = 1 << 20) {
    tcp::acceptor acceptor{ioc, {net::ip::make_address("127.0.0.1"), 0}};
    client.connect(acceptor.local_endpoint());
    tcp::socket server{ioc};
    acceptor.accept(server);
    writer = std::make_shared<stream_writer>(boost::beast::tcp_stream{std::move(server)}, limit);
    work = std::make_unique<net::executor_work_guard<net::io_context::executor_type>>(ioc.get_executor());
    runner = std::thread([this] { ioc.run(); });
  }
  ~loopback() {
    work.reset();
    writer.reset();
    ioc.stop();
    runner.join();
  }

  std::string read_until_closed() {
    std::string out;
    boost::system::error_code ec;
    char buf[4096];
    while (true) {
      auto n = client.read_some(net::buffer(buf), ec);
      out.append(buf, n);
      if (ec) {
        return out;
      }
    }
  }
};

bool wait_for(std::atomic<bool>& flag) {
  for (int i = 0; i < 500 && !flag.load(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return flag.load();
}

} // namespace

TEST_CASE("events are written in order after the head, then the stream closes") {
  loopback lb;
  std::atomic<bool> closed{false};
  lb.writer->on_closed([&] { closed = true; });
  response r;
  lb.writer->start(stream_head(r));
  REQUIRE(lb.writer->push(sse_event("job", R"({"id":1})")));
  REQUIRE(lb.writer->push(std::string(sse_keep_alive)));
  REQUIRE(lb.writer->push(sse_event("job", R"({"id":2,"status":"success"})")));
  lb.writer->close();
  REQUIRE_FALSE(lb.writer->push("late"));
  auto const text = lb.read_until_closed();
  REQUIRE(text.starts_with("HTTP/1.1 200 OK\r\n"));
  REQUIRE(text.find("Content-Type: text/event-stream") != std::string::npos);
  REQUIRE(text.find("Cache-Control: no-cache") != std::string::npos);
  REQUIRE(text.find("X-Accel-Buffering: no") != std::string::npos);
  auto const body = text.substr(text.find("\r\n\r\n") + 4);
  REQUIRE(body == "event: job\ndata: {\"id\":1}\n\n: keep-alive\n\nevent: job\ndata: {\"id\":2,\"status\":\"success\"}\n\n");
  REQUIRE(wait_for(closed));
}

TEST_CASE("a vanished reader closes the stream and notifies the producer") {
  loopback lb;
  std::atomic<bool> closed{false};
  lb.writer->start(stream_head(response{}));
  lb.writer->on_closed([&] { closed = true; });
  lb.client.close();
  REQUIRE(wait_for(closed));
  REQUIRE_FALSE(lb.writer->push("x"));
}

TEST_CASE("a reader that does not read is dropped when the queue bound is reached") {
  loopback lb{64 * 1024};
  std::atomic<bool> closed{false};
  lb.writer->on_closed([&] { closed = true; });
  lb.writer->start(stream_head(response{}));
  bool refused = false;
  // Far more than the socket buffers and the 64 KiB queue can hold.
  for (int i = 0; i < 10000 && !refused; ++i) {
    refused = !lb.writer->push(std::string(16 * 1024, 'x'));
  }
  REQUIRE(refused);
  REQUIRE(wait_for(closed));
}

TEST_CASE("SSE slots: global and per-IP limits, released with the token") {
  auto slots = std::make_shared<sse_slots>(3, 2);
  auto a1 = slots->acquire("1.1.1.1");
  auto a2 = slots->acquire("1.1.1.1");
  REQUIRE(a1);
  REQUIRE(a2);
  REQUIRE_FALSE(slots->acquire("1.1.1.1"));
  auto b1 = slots->acquire("2.2.2.2");
  REQUIRE(b1);
  REQUIRE_FALSE(slots->acquire("3.3.3.3")); // global limit
  a1.reset();
  REQUIRE(slots->active() == 2);
  REQUIRE(slots->acquire("3.3.3.3"));
}
