#pragma once
// Command-line options of mock-upstream.
#include <cstddef>
#include <cstdint>
#include <string>

namespace mock {

/// Everything the command line can set; defaults are the documented ones.
struct options {
  std::string host = "127.0.0.1";   ///< --host: address to bind
  unsigned short port = 0;          ///< --port: 0 picks a free port
  std::string tls_cert;             ///< --tls-cert: PEM chain; with --tls-key enables HTTPS
  std::string tls_key;              ///< --tls-key: PEM private key
  std::string port_file;            ///< --port-file: bound port written here once listening
  long latency_ms = 0;              ///< --latency-ms: added before every answer
  double fail_rate = 0.0;           ///< --fail-rate: probability (0..1) of an injected 500
  std::uint64_t seed = 0;           ///< --seed: seeds ids and --fail-rate draws
  bool seed_given = false;          ///< whether --seed was passed (else seeded randomly)
  bool log = false;                 ///< --log: one line per request on stderr
  int threads = 1;                  ///< --threads: io threads
  std::string public_url;           ///< --public-url: base for /files URLs (default: from Host)
  std::size_t cache_mb = 256;       ///< --cache-mb: image cache budget
  std::size_t max_body_mb = 64;     ///< --max-body-mb: request body limit

  /// True when both TLS files were given.
  [[nodiscard]] bool tls() const { return !tls_cert.empty() && !tls_key.empty(); }
};

/// Outcome of parsing argv: options, a help request, or an error text.
struct options_result {
  options opts;
  bool help = false;
  std::string error; ///< Non-empty when the command line is invalid.
};

/// Parses `--name value` and `--name=value` flags.
[[nodiscard]] options_result parse_options(int argc, char** argv);

/// The --help text.
[[nodiscard]] std::string usage_text();

} // namespace mock
