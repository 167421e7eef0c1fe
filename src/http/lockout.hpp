#pragma once
// Failed access-key attempts per client IP (spec §2.6), bounded in memory.
// Shared by all io threads; every operation is O(log n) under one mutex.

#include <chrono>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace panel::http {

class lockout_table {
public:
  using clock = std::chrono::steady_clock;

  lockout_table(int max_failures, int lockout_seconds, std::size_t capacity);

  /// Seconds left when `ip` is locked out at `now` (>= 1); nullopt when it may try.
  [[nodiscard]] std::optional<std::int64_t> locked_for(std::string const& ip, clock::time_point now);

  /// Records a wrong key.
  void record_failure(std::string const& ip, clock::time_point now);

  /// Forgets `ip` after a correct key.
  void clear(std::string const& ip);

  /// Tracked IPs, least recently failed first (for tests and metrics).
  [[nodiscard]] std::vector<std::string> tracked() const;

private:
  struct entry {
    int failures = 0;
    clock::time_point last_failed;
    std::list<std::string>::iterator order;
  };
  void purge(clock::time_point now);

  int max_failures_;
  std::chrono::seconds lockout_;
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::list<std::string> order_; ///< least recently failed at the front
  std::unordered_map<std::string, entry> entries_;
};

} // namespace panel::http
