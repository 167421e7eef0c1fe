#pragma once
// The HTTP server: io threads, the listener, and a clean stop on SIGINT/SIGTERM.
// Light header; Beast and Asio live in the .cpp files.

#include <cstdint>
#include <memory>
#include <string>

#include "core/expected.hpp"

namespace panel::http {

struct app;

class server {
public:
  /// `threads` io threads (at least 1).
  server(app& a, unsigned threads);
  ~server();

  /// Binds and listens; returns the bound port (useful with port 0).
  [[nodiscard]] expected<std::uint16_t> listen(std::string const& host, std::uint16_t port);

  /// Serves until SIGINT/SIGTERM (or stop()): then stops accepting, lets requests in
  /// flight finish (up to a few seconds) and returns.
  void run();

  /// Asks the server to stop, from any thread.
  void stop();

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace panel::http
