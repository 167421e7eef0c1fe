#include "http/lockout.hpp"

#include <algorithm>

namespace panel::http {

lockout_table::lockout_table(int max_failures, int lockout_seconds, std::size_t capacity)
    : max_failures_(std::max(1, max_failures)), lockout_(std::max(1, lockout_seconds)),
      capacity_(std::max<std::size_t>(1, capacity)) {}

void lockout_table::purge(clock::time_point now) {
  // order_ is sorted by last failure, so expired records sit at the front.
  while (!order_.empty()) {
    auto it = entries_.find(order_.front());
    if (now - it->second.last_failed < lockout_) {
      break;
    }
    entries_.erase(it);
    order_.pop_front();
  }
}

std::optional<std::int64_t> lockout_table::locked_for(std::string const& ip, clock::time_point now) {
  std::lock_guard lock{mutex_};
  purge(now);
  auto it = entries_.find(ip);
  if (it == entries_.end() || it->second.failures < max_failures_) {
    return std::nullopt;
  }
  auto const left = std::chrono::duration_cast<std::chrono::seconds>(lockout_ - (now - it->second.last_failed));
  return std::max<std::int64_t>(1, left.count());
}

void lockout_table::record_failure(std::string const& ip, clock::time_point now) {
  std::lock_guard lock{mutex_};
  purge(now);
  auto it = entries_.find(ip);
  if (it == entries_.end()) {
    if (entries_.size() >= capacity_) {
      entries_.erase(order_.front());
      order_.pop_front();
    }
    order_.push_back(ip);
    it = entries_.emplace(ip, entry{0, now, std::prev(order_.end())}).first;
  } else {
    order_.splice(order_.end(), order_, it->second.order);
  }
  ++it->second.failures;
  it->second.last_failed = now;
}

void lockout_table::clear(std::string const& ip) {
  std::lock_guard lock{mutex_};
  if (auto it = entries_.find(ip); it != entries_.end()) {
    order_.erase(it->second.order);
    entries_.erase(it);
  }
}

std::vector<std::string> lockout_table::tracked() const {
  std::lock_guard lock{mutex_};
  return {order_.begin(), order_.end()};
}

} // namespace panel::http
