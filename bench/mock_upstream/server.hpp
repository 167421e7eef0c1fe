#pragma once
// The network side of the mock: listener, TLS, keep-alive sessions.
#include "options.hpp"

namespace mock {

/// Binds, prints "listening on ...", writes --port-file, and serves until
/// SIGINT/SIGTERM. Returns the process exit code. Runs on the calling thread
/// plus `opts.threads - 1` io threads and a worker pool of `opts.threads`.
[[nodiscard]] int run_server(options const& opts);

} // namespace mock
