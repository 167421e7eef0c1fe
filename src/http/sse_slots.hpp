#pragma once
// SSE subscriber limits (spec §5.2): at most MAX_SSE_SUBSCRIBERS_GLOBAL streams in
// the process and MAX_SSE_SUBSCRIBERS_PER_IP per client IP. A slot is held for the
// life of a stream and released when its token is destroyed. Thread-safe. Counts
// sse.acquired / sse.released / sse.rejected.* in core::metrics (§12.1).

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace panel::http {

class sse_slots : public std::enable_shared_from_this<sse_slots> {
public:
  /// Holds one slot; destroying it releases the slot.
  class token {
  public:
    token(std::shared_ptr<sse_slots> owner, std::string ip, std::string group);
    ~token();
    token(token const&) = delete;
    token& operator=(token const&) = delete;

  private:
    std::shared_ptr<sse_slots> owner_;
    std::string ip_;
    std::string group_;
  };

  sse_slots(int global_limit, int per_ip_limit);

  /// A slot for `ip`, or nullptr when a limit is reached (answer 429
  /// "Too many SSE connections"). `group` names the kind of stream ("job",
  /// "jobs", ...) for the per-kind gauges of the metrics; it has no limit of its own.
  [[nodiscard]] std::shared_ptr<token> acquire(std::string const& ip, std::string_view group = {});

  /// Streams open now.
  [[nodiscard]] int active() const;
  /// Streams of `group` open now.
  [[nodiscard]] int active(std::string_view group) const;

private:
  void release(std::string const& ip, std::string const& group);

  int global_limit_;
  int per_ip_limit_;
  mutable std::mutex mutex_;
  int total_ = 0;
  std::map<std::string, int> per_ip_;
  std::map<std::string, int, std::less<>> per_group_;
};

} // namespace panel::http
