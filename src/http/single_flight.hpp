#pragma once
// single_flight: one piece of work per key however many ask at once. The first
// caller for a key leads (does the work); callers that arrive while it runs
// wait; finish() hands the one result to all of them. Thread-safe.

#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace panel::http {

/// A table of keys whose work is under way and the callers waiting for it.
template <class Result>
class single_flight {
 public:
  /// Receives the result; called once, from the thread that calls finish().
  using waiter = std::function<void(Result const&)>;

  /// Registers `w` for `key`. True when the caller is the leader: it must do
  /// the work and call finish(key, ...) exactly once, on every path. False
  /// when the work is already under way (`w` is called by its finish()).
  [[nodiscard]] bool join(std::string const& key, waiter w) {
    std::lock_guard lock{mutex_};
    auto [it, inserted] = waiting_.try_emplace(key);
    it->second.push_back(std::move(w));
    return inserted;
  }

  /// Gives `result` to every waiter of `key` (the leader's included) and
  /// forgets the key, so the next join() leads again. Waiters run outside the lock.
  void finish(std::string const& key, Result const& result) {
    std::vector<waiter> ready;
    {
      std::lock_guard lock{mutex_};
      auto it = waiting_.find(key);
      if (it == waiting_.end()) {
        return;
      }
      ready = std::move(it->second);
      waiting_.erase(it);
    }
    for (auto& w : ready) {
      w(result);
    }
  }

  /// How many keys are under way.
  [[nodiscard]] std::size_t in_flight() const {
    std::lock_guard lock{mutex_};
    return waiting_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::vector<waiter>> waiting_;
};

} // namespace panel::http
