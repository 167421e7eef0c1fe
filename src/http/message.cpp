#include "http/message.hpp"

#include <algorithm>
#include <mutex>

#include "core/strings.hpp"

namespace panel::http {

std::optional<std::string_view> header_list::get(std::string_view name) const {
  for (auto const& [k, v] : fields_) {
    if (core::iequals(k, name)) {
      return std::string_view{v};
    }
  }
  return std::nullopt;
}

std::size_t header_list::count(std::string_view name) const {
  return static_cast<std::size_t>(
      std::count_if(fields_.begin(), fields_.end(), [&](auto const& f) { return core::iequals(f.first, name); }));
}

void header_list::set(std::string_view name, std::string value) {
  erase(name);
  fields_.emplace_back(std::string(name), std::move(value));
}

void header_list::add(std::string_view name, std::string value) {
  fields_.emplace_back(std::string(name), std::move(value));
}

void header_list::erase(std::string_view name) {
  std::erase_if(fields_, [&](auto const& f) { return core::iequals(f.first, name); });
}

std::optional<std::string> request::query_param(std::string_view name) const {
  std::string_view q = query;
  while (!q.empty()) {
    auto const amp = q.find('&');
    auto const pair = q.substr(0, amp);
    auto const eq = pair.find('=');
    auto const k = percent_decode(pair.substr(0, eq), true);
    if (k == name) {
      return eq == std::string_view::npos ? std::string{} : percent_decode(pair.substr(eq + 1), true);
    }
    if (amp == std::string_view::npos) {
      break;
    }
    q.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

response response::json(int status, std::string body) {
  response r;
  r.status = status;
  r.headers.set("Content-Type", "application/json");
  r.body = std::move(body);
  return r;
}

void responder::operator()(response r) const {
  if (!sink_) {
    return;
  }
  std::call_once(*once_, [&] { sink_->deliver(std::move(r)); });
}

std::string percent_decode(std::string_view s, bool plus_as_space) {
  auto const hex = [](char c) -> int {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  };
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      int const hi = i + 1 < s.size() ? hex(s[i + 1]) : -1;
      int const lo = i + 2 < s.size() ? hex(s[i + 2]) : -1;
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_as_space && s[i] == '+' ? ' ' : s[i]);
  }
  return out;
}

} // namespace panel::http
