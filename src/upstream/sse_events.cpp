#include "upstream/sse_events.hpp"

#include "core/strings.hpp"

namespace panel::upstream {

namespace {

struct event_builder {
  std::vector<std::string> lines;
  std::vector<std::string> payloads;

  void flush() {
    if (lines.empty()) {
      return;
    }
    std::string joined;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (i > 0) {
        joined.push_back('\n');
      }
      joined += lines[i];
    }
    lines.clear();
    const auto data = core::trim(joined);
    if (data.empty() || data == "[DONE]") {
      return;
    }
    payloads.emplace_back(data);
  }
};

} // namespace

std::vector<std::string> sse_data_payloads(std::string_view body) {
  event_builder b;
  std::size_t pos = 0;
  while (pos <= body.size()) {
    const auto end = body.find_first_of("\r\n", pos);
    const auto line = body.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    if (line.empty()) {
      b.flush();
    } else if (line.starts_with("data:")) {
      b.lines.emplace_back(core::trim(line.substr(5)));
    }
    if (end == std::string_view::npos) {
      break;
    }
    // CRLF is one line break, not two.
    pos = end + ((body[end] == '\r' && end + 1 < body.size() && body[end + 1] == '\n') ? 2 : 1);
  }
  b.flush();
  return std::move(b.payloads);
}

} // namespace panel::upstream
