#include "options.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <string_view>

namespace mock {
namespace {

template <class T>
bool parse_number(std::string_view s, T& out) {
  auto const [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && ptr == s.data() + s.size();
}

bool parse_double(std::string const& s, double& out) {
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  return !s.empty() && end == s.c_str() + s.size();
}

} // namespace

std::string usage_text() {
  return R"(mock-upstream: an OpenAI-compatible image API for tests, benchmarks and demos.

Usage: mock-upstream [flags]

  --host ADDR         address to bind (default 127.0.0.1)
  --port N            port to bind; 0 picks a free one (default 0)
  --tls-cert FILE     PEM certificate chain; with --tls-key serves HTTPS
  --tls-key FILE      PEM private key
  --port-file PATH    write the bound port to PATH once listening
  --latency-ms N      delay added before every answer (default 0)
  --fail-rate F       probability 0..1 of answering an API call with 500 (default 0)
  --seed N            seed for ids and --fail-rate draws (default: random)
  --threads N         io threads (default 1)
  --public-url URL    base of /files URLs in answers (default: scheme + Host header)
  --cache-mb N        encoded-image cache budget in MiB (default 256)
  --max-body-mb N     request body limit in MiB (default 64)
  --log               log one line per request to stderr
  --help              show this text

Endpoints (matched by path suffix, so any prefix such as /v1 or /openai/v1 works):
  POST /v1/images/generations   POST /v1/images/edits   POST /v1/responses
  POST /v1/chat/completions     GET  /v1/models          GET /files/<name>
  GET  /mock/stats   POST /mock/reset   POST /mock/config
Prompt markers such as [mock:status=500], [mock:delay=2000], [mock:timeout] are
described in docs/mock-upstream.md.
)";
}

options_result parse_options(int argc, char** argv) {
  options_result r;
  options& o = r.opts;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::string value;
    bool has_value = false;
    if (auto eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg.resize(eq);
      has_value = true;
    }
    if (arg == "--help" || arg == "-h") {
      r.help = true;
      return r;
    }
    if (arg == "--log") {
      o.log = true;
      continue;
    }
    static constexpr std::string_view value_flags[] = {
        "--host", "--port", "--tls-cert", "--tls-key", "--port-file", "--latency-ms", "--fail-rate",
        "--seed", "--threads", "--public-url", "--cache-mb", "--max-body-mb"};
    if (std::find(std::begin(value_flags), std::end(value_flags), arg) == std::end(value_flags)) {
      r.error = "unknown flag " + arg + " (see --help)";
      return r;
    }
    if (!has_value) {
      if (i + 1 >= argc) {
        r.error = "missing value for " + arg;
        return r;
      }
      value = argv[++i];
    }
    bool ok = true;
    if (arg == "--host") {
      o.host = value;
    } else if (arg == "--port") {
      ok = parse_number(value, o.port);
    } else if (arg == "--tls-cert") {
      o.tls_cert = value;
    } else if (arg == "--tls-key") {
      o.tls_key = value;
    } else if (arg == "--port-file") {
      o.port_file = value;
    } else if (arg == "--latency-ms") {
      ok = parse_number(value, o.latency_ms) && o.latency_ms >= 0;
    } else if (arg == "--fail-rate") {
      ok = parse_double(value, o.fail_rate) && o.fail_rate >= 0.0 && o.fail_rate <= 1.0;
    } else if (arg == "--seed") {
      ok = parse_number(value, o.seed);
      o.seed_given = ok;
    } else if (arg == "--threads") {
      ok = parse_number(value, o.threads) && o.threads >= 1 && o.threads <= 64;
    } else if (arg == "--public-url") {
      o.public_url = value;
      while (!o.public_url.empty() && o.public_url.back() == '/') {
        o.public_url.pop_back();
      }
    } else if (arg == "--cache-mb") {
      ok = parse_number(value, o.cache_mb);
    } else if (arg == "--max-body-mb") {
      ok = parse_number(value, o.max_body_mb) && o.max_body_mb >= 1;
    }
    if (!ok) {
      r.error = "invalid value for " + arg + ": " + value;
      return r;
    }
  }
  if (o.tls_cert.empty() != o.tls_key.empty()) {
    r.error = "--tls-cert and --tls-key must be given together";
  }
  return r;
}

} // namespace mock
