// bench-sse --port P --connections N [--timeout-s S]
//
// Opens N Server-Sent-Event streams on GET /api/generate/jobs/events of a panel on
// 127.0.0.1:P (run with ALLOW_UNAUTHENTICATED=true and SSE limits above N), waits
// until every stream has its first `jobs` event, prints "ready <N>" and waits for
// a line on stdin (the driver samples the panel's memory meanwhile). Then it POSTs
// one job and records, per stream, when the next `jobs` event (the job's creation)
// arrives. Prints one JSON line with the latency percentiles from the POST to each
// stream's receipt. One thread, one io_context: the client never lags the server.

#include <algorithm>
#include <boost/asio.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using clock_type = std::chrono::steady_clock;

namespace {

struct options {
  unsigned short port = 0;
  int connections = 1000;
  int timeout_s = 30;
};

struct stream_conn {
  explicit stream_conn(asio::io_context& io) : sock(io) {}
  tcp::socket sock;
  std::array<char, 4096> chunk{};
  std::string tail;      // unparsed text (kept short)
  int events = 0;        // `event: jobs` seen
  bool failed = false;
  clock_type::time_point second_event{};
};

constexpr std::string_view marker = "event: jobs\n";

struct bench {
  asio::io_context io;
  options opt;
  std::string request;
  std::vector<std::unique_ptr<stream_conn>> conns;
  int connected_with_first = 0;
  int with_second = 0;
  int failures = 0;
  int next_to_open = 0;
  int in_progress = 0;
  bool armed = false;
  clock_type::time_point t0{};

  void open_more() {
    while (in_progress < 256 && next_to_open < opt.connections) {
      auto* c = conns[next_to_open++].get();
      ++in_progress;
      c->sock.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), opt.port),
                            [this, c](boost::system::error_code ec) { on_connect(c, ec); });
    }
  }

  void fail(stream_conn* c) {
    if (!c->failed) {
      c->failed = true;
      ++failures;
      if (c->events == 0) {
        --in_progress;
        open_more();
      }
    }
  }

  void on_connect(stream_conn* c, boost::system::error_code ec) {
    if (ec) {
      fail(c);
      return;
    }
    asio::async_write(c->sock, asio::buffer(request), [this, c](boost::system::error_code e, std::size_t) {
      if (e) {
        fail(c);
        return;
      }
      read(c);
    });
  }

  void read(stream_conn* c) {
    c->sock.async_read_some(asio::buffer(c->chunk), [this, c](boost::system::error_code ec, std::size_t n) {
      if (ec) {
        fail(c);
        return;
      }
      auto const now = clock_type::now();
      c->tail.append(c->chunk.data(), n);
      std::size_t pos = 0;
      while ((pos = c->tail.find(marker, pos)) != std::string::npos) {
        pos += marker.size();
        if (++c->events == 1) {
          ++connected_with_first;
          --in_progress;
          open_more();
        } else if (c->events == 2 && armed) {
          c->second_event = now;
          ++with_second;
        }
      }
      if (c->tail.size() > marker.size()) {
        c->tail.erase(0, c->tail.size() - marker.size());
      }
      read(c);
    });
  }
};

std::string post_job(unsigned short port) {
  asio::io_context io;
  tcp::socket s(io);
  s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  std::string const body = R"({"prompt":"bench fan-out event"})";
  std::string const host = "127.0.0.1:" + std::to_string(port);
  std::string req = "POST /api/generate HTTP/1.1\r\nHost: " + host + "\r\nOrigin: http://" + host +
                    "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                    "\r\nConnection: close\r\n\r\n" + body;
  asio::write(s, asio::buffer(req));
  std::string out;
  boost::system::error_code ec;
  std::array<char, 2048> buf{};
  while (true) {
    auto n = s.read_some(asio::buffer(buf), ec);
    out.append(buf.data(), n);
    if (ec) {
      break;
    }
  }
  return out.substr(0, out.find("\r\n"));
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) {
    return -1;
  }
  std::sort(v.begin(), v.end());
  auto idx = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(idx, v.size() - 1)];
}

} // namespace

int main(int argc, char** argv) {
  bench b;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string const k = argv[i];
    if (k == "--port") {
      b.opt.port = static_cast<unsigned short>(std::stoi(argv[i + 1]));
    } else if (k == "--connections") {
      b.opt.connections = std::stoi(argv[i + 1]);
    } else if (k == "--timeout-s") {
      b.opt.timeout_s = std::stoi(argv[i + 1]);
    }
  }
  if (b.opt.port == 0) {
    std::fprintf(stderr, "usage: bench-sse --port P [--connections N] [--timeout-s S]\n");
    return 2;
  }
  std::string const host = "127.0.0.1:" + std::to_string(b.opt.port);
  b.request = "GET /api/generate/jobs/events HTTP/1.1\r\nHost: " + host + "\r\nAccept: text/event-stream\r\n\r\n";
  for (int i = 0; i < b.opt.connections; ++i) {
    b.conns.push_back(std::make_unique<stream_conn>(b.io));
  }
  b.open_more();
  auto const deadline = clock_type::now() + std::chrono::seconds(b.opt.timeout_s);
  while (b.connected_with_first + b.failures < b.opt.connections && clock_type::now() < deadline) {
    b.io.run_for(std::chrono::milliseconds(50));
  }
  std::printf("ready %d failed %d\n", b.connected_with_first, b.failures);
  std::fflush(stdout);
  std::string line;
  std::getline(std::cin, line);

  b.armed = true;
  std::string status;
  b.t0 = clock_type::now();
  std::thread poster([&] { status = post_job(b.opt.port); });
  auto const deadline2 = clock_type::now() + std::chrono::seconds(b.opt.timeout_s);
  while (b.with_second < b.connected_with_first && clock_type::now() < deadline2) {
    b.io.run_for(std::chrono::milliseconds(10));
  }
  poster.join();
  std::vector<double> ms;
  for (auto const& c : b.conns) {
    if (c->events >= 2) {
      ms.push_back(std::chrono::duration<double, std::milli>(c->second_event - b.t0).count());
    }
  }
  std::printf("{\"connections\":%d,\"failed\":%d,\"received\":%zu,\"post_status\":\"%s\",\"p50_ms\":%.2f,"
              "\"p99_ms\":%.2f,\"max_ms\":%.2f}\n",
              b.connected_with_first, b.failures, ms.size(), status.c_str(), percentile(ms, 0.5),
              percentile(ms, 0.99), percentile(ms, 1.0));
  return ms.size() == static_cast<std::size_t>(b.connected_with_first) ? 0 : 1;
}
