#include "http/router.hpp"

#include <algorithm>

namespace panel::http {

namespace {

std::vector<std::string_view> split_raw(std::string_view path) {
  std::vector<std::string_view> out;
  if (!path.empty() && path.front() == '/') {
    path.remove_prefix(1);
  }
  while (true) {
    auto const slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) {
      break;
    }
    path.remove_prefix(slash + 1);
  }
  return out;
}

// Score a pattern so literal segments outrank parameters and tails when several match.
int specificity(std::string_view pattern) {
  int score = 0;
  for (auto seg : split_raw(pattern)) {
    score = score * 3 + (seg.starts_with('{') ? (seg.ends_with("...}") ? 0 : 1) : 2);
  }
  return score;
}

bool match_pattern(std::string_view pattern, std::vector<std::string> const& segs,
                   std::map<std::string, std::string>& params) {
  auto const pat = split_raw(pattern);
  std::size_t i = 0;
  for (; i < pat.size(); ++i) {
    auto const p = pat[i];
    if (p.starts_with('{') && p.ends_with("...}")) {
      std::string rest;
      for (std::size_t j = i; j < segs.size(); ++j) {
        rest += (j == i ? "" : "/") + segs[j];
      }
      params[std::string(p.substr(1, p.size() - 5))] = rest;
      return true;
    }
    if (i >= segs.size()) {
      return false;
    }
    if (p.starts_with('{') && p.ends_with('}')) {
      if (segs[i].empty()) {
        return false;
      }
      params[std::string(p.substr(1, p.size() - 2))] = segs[i];
    } else if (p != segs[i]) {
      return false;
    }
  }
  return i == segs.size();
}

} // namespace

std::vector<std::string> path_segments(std::string_view raw_path) {
  std::vector<std::string> out;
  for (auto seg : split_raw(raw_path)) {
    out.push_back(percent_decode(seg));
  }
  return out;
}

void router::add(std::string method, std::string pattern, route_doc doc, handler fn) {
  add(std::move(method), std::move(pattern), std::move(doc), nullptr, std::move(fn));
}

void router::add(std::string method, std::string pattern, route_doc doc, sink_factory make_sink,
                           handler fn) {
  routes_.push_back(route{std::move(method), std::move(pattern), std::move(doc), std::move(fn), std::move(make_sink)});
  std::stable_sort(routes_.begin(), routes_.end(),
                   [](route const& a, route const& b) { return specificity(a.pattern) > specificity(b.pattern); });
}

route_match router::match(std::string_view method, std::string_view raw_path) const {
  auto const segs = path_segments(raw_path);
  route_match out;
  // HEAD is served by GET routes (the session drops the body).
  auto const wanted = method == "HEAD" ? std::string_view{"GET"} : method;
  for (auto const& r : routes_) {
    std::map<std::string, std::string> params;
    if (!match_pattern(r.pattern, segs, params)) {
      continue;
    }
    if (r.method == wanted) {
      out.result = route_match::kind::found;
      out.target = &r;
      out.params = std::move(params);
      return out;
    }
    // A catch-all tail route does not make a concrete API path "method not allowed".
    if (r.pattern.find("...}") == std::string::npos &&
        std::find(out.allowed.begin(), out.allowed.end(), r.method) == out.allowed.end()) {
      out.allowed.push_back(r.method);
    }
  }
  if (!out.allowed.empty()) {
    out.result = route_match::kind::method_not_allowed;
  }
  return out;
}

} // namespace panel::http
