// mock-upstream: an OpenAI-compatible image API for tests, benchmarks and the demo.
#include "options.hpp"
#include "server.hpp"

#include <cstdio>

int main(int argc, char** argv) {
  mock::options_result const parsed = mock::parse_options(argc, argv);
  if (parsed.help) {
    std::fputs(mock::usage_text().c_str(), stdout);
    return 0;
  }
  if (!parsed.error.empty()) {
    std::fprintf(stderr, "mock-upstream: %s\n", parsed.error.c_str());
    return 2;
  }
  return mock::run_server(parsed.opts);
}
