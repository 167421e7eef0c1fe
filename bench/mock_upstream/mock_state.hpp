#pragma once
// Process-wide state of the mock: published files, image cache, counters,
// request log and runtime switches. Shared by every io thread; all members
// lock internally.
#include "images.hpp"
#include "options.hpp"

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace mock {

/// Settings that POST /mock/config may change while running.
struct runtime_config {
  long latency_ms = 0;         ///< added before every answer
  double fail_rate = 0.0;      ///< probability of an injected 500 on API calls
  unsigned options_status = 0; ///< forced status for OPTIONS on API paths (0 = realistic 204)
  unsigned head_status = 0;    ///< forced status for HEAD on API paths (0 = realistic default)
};

/// One API request as /mock/stats reports it.
struct request_record {
  std::string method;
  std::string path;
  std::string endpoint;     ///< "images/generations", "files", "unknown", ...
  unsigned status = 0;      ///< HTTP status sent (0 when none was sent)
  std::string outcome;      ///< "answered", "timeout" (held) or "closed"
  std::string prompt;       ///< prompt text as received (markers included)
  std::int64_t time_ms = 0; ///< unix time in milliseconds
  std::vector<std::pair<std::string, std::string>> headers; ///< Authorization already redacted
  std::string auth_sha256;  ///< hex SHA-256 of the bearer token ("" when none): tests compare keys without seeing them
  std::string body_json = "null"; ///< JSON text describing the body
};

/// Shared state; owned by main(), referenced by every session.
class mock_state {
public:
  /// Takes the startup options (copied) and sizes the cache from them.
  explicit mock_state(options const& opts);

  /// Startup options.
  [[nodiscard]] options const& opts() const { return opts_; }
  /// The encoded-image cache.
  [[nodiscard]] image_cache& images() { return images_; }

  /// Makes `img` downloadable as /files/<name>; returns the name (`<id>.<ext>`).
  [[nodiscard]] std::string publish(image_ptr img);
  /// The image published as `name`, or nullptr.
  [[nodiscard]] image_ptr find_file(std::string_view name) const;

  /// A fresh random-looking id: `prefix` followed by `hex_chars` hex digits.
  [[nodiscard]] std::string new_id(std::string_view prefix, std::size_t hex_chars = 24);

  /// Current runtime switches.
  [[nodiscard]] runtime_config config() const;
  /// Replaces the runtime switches.
  void set_config(runtime_config const& cfg);

  /// True with probability `config().fail_rate`.
  [[nodiscard]] bool draw_failure();
  /// Counts a request carrying fail-every=`k`; true when it is the k-th, 2k-th, ...
  [[nodiscard]] bool fail_every_due(unsigned k);

  /// Appends a request to the statistics.
  void record(request_record rec);
  /// GET /mock/stats document.
  [[nodiscard]] std::string stats_json() const;
  /// Clears statistics, counters and runtime switches (published files stay).
  void reset();

private:
  options const opts_;
  image_cache images_;
  std::atomic<std::uint64_t> id_counter_{0};
  std::uint64_t id_seed_;

  mutable std::mutex files_mutex_;
  std::unordered_map<std::string, image_ptr> files_;
  std::deque<std::string> file_order_;

  mutable std::mutex mutex_;
  runtime_config config_;
  std::mt19937_64 rng_;
  std::uint64_t fail_every_counter_ = 0;
  std::uint64_t total_ = 0;
  std::map<std::string, std::uint64_t> endpoint_counts_;
  std::map<unsigned, std::uint64_t> status_counts_;
  std::deque<request_record> recent_;
  // The last call that was not a /files download: what a panel test asserts on.
  std::optional<request_record> last_api_;
};

} // namespace mock
