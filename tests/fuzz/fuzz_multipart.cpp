// libFuzzer target for the streaming multipart parser (src/http/multipart.cpp):
// the body of every edit upload reaches it straight from the network. The first
// input byte picks a chunk size; the rest is parsed once whole and once in
// chunks of that size, and both runs must report the same parts, the same bytes
// and the same outcome (a delimiter split across chunks must change nothing).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "http/multipart.hpp"

namespace {

struct recorder : panel::http::multipart_handler {
  std::string log;
  panel::expected<void> on_part_begin(panel::http::multipart_part const& part) override {
    log += "[begin " + part.name + "|" + part.filename.value_or("-") + "|" + part.content_type + "]";
    return {};
  }
  panel::expected<void> on_part_data(std::string_view data) override {
    log.append(data);
    return {};
  }
  panel::expected<void> on_part_end() override {
    log += "[end]";
    return {};
  }
};

std::string run(std::string_view body, std::size_t chunk) {
  recorder r;
  panel::http::multipart_parser parser{"fuzzboundary", r, 1024};
  bool ok = true;
  for (std::size_t at = 0; ok && at < body.size(); at += chunk) {
    ok = parser.feed(body.substr(at, chunk)).has_value();
  }
  if (ok) {
    ok = parser.finish().has_value();
  }
  // A failed parse may have reported a prefix of the parts; only the outcome counts then.
  return ok ? "ok:" + r.log : std::string{"failed"};
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  std::size_t const chunk = 1 + data[0] % 64;
  std::string_view const body{reinterpret_cast<char const*>(data + 1), size - 1};
  if (run(body, body.size() + 1) != run(body, chunk)) {
    __builtin_trap();
  }
  return 0;
}
