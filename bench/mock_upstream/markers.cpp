#include "markers.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace mock {
namespace {

constexpr std::string_view marker_open = "[mock:";

std::string lower(std::string_view s) {
  std::string out{s};
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool truthy(std::string_view v) {
  std::string const l = lower(v);
  return l.empty() || l == "1" || l == "true" || l == "yes" || l == "on";
}

long to_long(std::string_view v, long fallback) {
  long out = fallback;
  auto const [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc{} || ptr != v.data() + v.size()) {
    return fallback;
  }
  return out;
}

} // namespace

bool apply_marker(fault_plan& plan, std::string_view key_in, std::string_view value) {
  std::string const key = lower(key_in);
  if (key == "status") {
    long const s = to_long(value, 0);
    // Final statuses only; a 1xx answer would break HTTP framing.
    plan.status = s >= 200 && s <= 599 ? static_cast<unsigned>(s) : 0;
  } else if (key == "error-message" || key == "message") {
    plan.error_message = std::string{value};
  } else if (key == "delay" || key == "delay-ms") {
    plan.delay += std::chrono::milliseconds{std::clamp(to_long(value, 0), 0L, 600'000L)};
  } else if (key == "timeout") {
    plan.timeout = truthy(value);
  } else if (key == "close") {
    plan.close = truthy(value);
  } else if (key == "malformed") {
    plan.malformed = truthy(value);
  } else if (key == "text-plain") {
    plan.text_plain = truthy(value);
  } else if (key == "fail-every") {
    plan.fail_every = static_cast<unsigned>(std::clamp(to_long(value, 0), 0L, 1'000'000L));
  } else if (key == "sse" || key == "chat-sse") {
    plan.chat_sse = truthy(value);
  } else if (key == "format") {
    plan.format = lower(value);
  } else if (key == "count") {
    plan.count = static_cast<int>(std::clamp(to_long(value, 1), 1L, 10L));
  } else if (key == "chat") {
    plan.chat_style = lower(value);
  } else if (key == "result") {
    plan.result_style = lower(value);
  } else if (key == "size") {
    plan.size = lower(value);
  } else {
    return false;
  }
  return true;
}

void apply_prompt_markers(fault_plan& plan, std::string_view text) {
  std::size_t pos = 0;
  while ((pos = text.find(marker_open, pos)) != std::string_view::npos) {
    std::size_t const start = pos + marker_open.size();
    std::size_t const end = text.find(']', start);
    if (end == std::string_view::npos) {
      return;
    }
    std::string_view const body = text.substr(start, end - start);
    std::size_t const eq = body.find('=');
    if (eq == std::string_view::npos) {
      apply_marker(plan, body, "");
    } else {
      apply_marker(plan, body.substr(0, eq), body.substr(eq + 1));
    }
    pos = end + 1;
  }
}

void apply_header_marker(fault_plan& plan, std::string_view name, std::string_view value) {
  constexpr std::string_view prefix = "x-mock-";
  if (name.size() <= prefix.size() || lower(name.substr(0, prefix.size())) != prefix) {
    return;
  }
  apply_marker(plan, name.substr(prefix.size()), value);
}

std::string strip_markers(std::string_view text) {
  std::string out;
  std::size_t pos = 0;
  for (;;) {
    std::size_t const open = text.find(marker_open, pos);
    std::size_t const end = open == std::string_view::npos ? open : text.find(']', open);
    if (end == std::string_view::npos) {
      out.append(text.substr(pos));
      break;
    }
    out.append(text.substr(pos, open - pos));
    pos = end + 1;
  }
  // Markers usually sit at the end of a prompt; drop the space they leave behind.
  while (!out.empty() && std::isspace(static_cast<unsigned char>(out.back()))) {
    out.pop_back();
  }
  return out;
}

} // namespace mock
