#pragma once
// SSE subscriber limits (spec §5.2): at most MAX_SSE_SUBSCRIBERS_GLOBAL streams in
// the process and MAX_SSE_SUBSCRIBERS_PER_IP per client IP. A slot is held for the
// life of a stream and released when its token is destroyed. Thread-safe.

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace panel::http {

class sse_slots : public std::enable_shared_from_this<sse_slots> {
public:
  /// Holds one slot; destroying it releases the slot.
  class token {
  public:
    token(std::shared_ptr<sse_slots> owner, std::string ip);
    ~token();
    token(token const&) = delete;
    token& operator=(token const&) = delete;

  private:
    std::shared_ptr<sse_slots> owner_;
    std::string ip_;
  };

  sse_slots(int global_limit, int per_ip_limit);

  /// A slot for `ip`, or nullptr when a limit is reached (answer 429
  /// "Too many SSE connections").
  [[nodiscard]] std::shared_ptr<token> acquire(std::string const& ip);

  [[nodiscard]] int active() const;

private:
  void release(std::string const& ip);

  int global_limit_;
  int per_ip_limit_;
  mutable std::mutex mutex_;
  int total_ = 0;
  std::map<std::string, int> per_ip_;
};

} // namespace panel::http
