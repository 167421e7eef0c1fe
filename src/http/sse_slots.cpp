#include "http/sse_slots.hpp"

#include <algorithm>

#include "core/metrics.hpp"

namespace panel::http {

sse_slots::token::token(std::shared_ptr<sse_slots> owner, std::string ip, std::string group)
    : owner_(std::move(owner)), ip_(std::move(ip)), group_(std::move(group)) {}

sse_slots::token::~token() {
  owner_->release(ip_, group_);
}

sse_slots::sse_slots(int global_limit, int per_ip_limit)
    : global_limit_(std::max(1, global_limit)), per_ip_limit_(std::max(1, per_ip_limit)) {}

std::shared_ptr<sse_slots::token> sse_slots::acquire(std::string const& ip, std::string_view group) {
  {
    std::lock_guard lock{mutex_};
    auto& mine = per_ip_[ip];
    if (total_ >= global_limit_ || mine >= per_ip_limit_) {
      bool const global = total_ >= global_limit_;
      if (mine == 0) {
        per_ip_.erase(ip);
      }
      core::metrics::count(global ? "sse.rejected.global_limit" : "sse.rejected.per_ip_limit");
      return nullptr;
    }
    ++mine;
    ++total_;
    if (!group.empty()) {
      ++per_group_[std::string(group)];
    }
  }
  core::metrics::count("sse.acquired");
  return std::make_shared<token>(shared_from_this(), ip, std::string(group));
}

void sse_slots::release(std::string const& ip, std::string const& group) {
  {
    std::lock_guard lock{mutex_};
    --total_;
    if (auto it = per_ip_.find(ip); it != per_ip_.end() && --it->second <= 0) {
      per_ip_.erase(it);
    }
    if (auto it = per_group_.find(group); it != per_group_.end() && --it->second <= 0) {
      per_group_.erase(it);
    }
  }
  core::metrics::count("sse.released");
}

int sse_slots::active() const {
  std::lock_guard lock{mutex_};
  return total_;
}

int sse_slots::active(std::string_view group) const {
  std::lock_guard lock{mutex_};
  auto it = per_group_.find(group);
  return it == per_group_.end() ? 0 : it->second;
}

} // namespace panel::http
