#include "http/sse_slots.hpp"

#include <algorithm>

namespace panel::http {

sse_slots::token::token(std::shared_ptr<sse_slots> owner, std::string ip)
    : owner_(std::move(owner)), ip_(std::move(ip)) {}

sse_slots::token::~token() {
  owner_->release(ip_);
}

sse_slots::sse_slots(int global_limit, int per_ip_limit)
    : global_limit_(std::max(1, global_limit)), per_ip_limit_(std::max(1, per_ip_limit)) {}

std::shared_ptr<sse_slots::token> sse_slots::acquire(std::string const& ip) {
  std::lock_guard lock{mutex_};
  auto& mine = per_ip_[ip];
  if (total_ >= global_limit_ || mine >= per_ip_limit_) {
    if (mine == 0) {
      per_ip_.erase(ip);
    }
    return nullptr;
  }
  ++mine;
  ++total_;
  return std::make_shared<token>(shared_from_this(), ip);
}

void sse_slots::release(std::string const& ip) {
  std::lock_guard lock{mutex_};
  --total_;
  if (auto it = per_ip_.find(ip); it != per_ip_.end() && --it->second <= 0) {
    per_ip_.erase(it);
  }
}

int sse_slots::active() const {
  std::lock_guard lock{mutex_};
  return total_;
}

} // namespace panel::http
