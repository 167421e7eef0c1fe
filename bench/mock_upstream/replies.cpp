// Reply helpers shared by every route: OpenAI-style errors, injected
// failures, sizes and seeds.
#include "handlers.hpp"
#include "core/json_writer.hpp"

#include <charconv>

namespace mock {

using panel::core::json_writer;

reply json_reply(unsigned status, std::string body) {
  reply r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

reply error_reply(unsigned status, std::string_view message, std::string_view type, std::string_view code,
                  std::string_view param) {
  json_writer w;
  w.begin_object().key("error").begin_object();
  w.field("message", message).field("type", type);
  w.key("param");
  param.empty() ? w.null() : w.value(param);
  w.key("code");
  code.empty() ? w.null() : w.value(code);
  w.end_object().end_object();
  return json_reply(status, w.take());
}

reply status_error_reply(unsigned status, std::string_view message) {
  std::string_view type = status >= 500 ? "server_error" : "invalid_request_error";
  std::string_view code = status >= 500 ? "server_error" : "invalid_request";
  switch (status) {
    case 401: code = "invalid_api_key"; break;
    case 403: type = "permission_error"; code = "permission_denied"; break;
    case 404: code = "not_found"; break;
    case 405: code = "method_not_allowed"; break;
    case 413: code = "payload_too_large"; break;
    case 429: type = "requests"; code = "rate_limit_exceeded"; break;
    case 502: code = "bad_gateway"; break;
    case 503: code = "service_unavailable"; break;
    case 504: code = "gateway_timeout"; break;
    default: break;
  }
  reply r = error_reply(status, message, type, code);
  if (status == 429 || status == 503) {
    r.headers.emplace_back("Retry-After", "1");
  }
  return r;
}

std::optional<reply> injected_failure(call_context& ctx, std::string_view prompt) {
  apply_prompt_markers(ctx.plan, prompt);
  fault_plan const& p = ctx.plan;
  if (p.timeout || p.close) {
    reply r;
    r.hold = p.timeout;
    r.close = !p.timeout;
    return r;
  }
  if (p.status != 0) {
    std::string const msg = !p.error_message.empty()
                                ? p.error_message
                                : "Mock upstream injected HTTP " + std::to_string(p.status) + " ([mock:status])";
    return status_error_reply(p.status, msg);
  }
  if (p.fail_every != 0 && ctx.state.fail_every_due(p.fail_every)) {
    return status_error_reply(500, !p.error_message.empty() ? p.error_message
                                                            : "Mock upstream injected failure (fail-every=" +
                                                                  std::to_string(p.fail_every) + ")");
  }
  if (ctx.state.draw_failure()) {
    return status_error_reply(500, "Mock upstream random failure (--fail-rate)");
  }
  return std::nullopt;
}

std::string file_url(call_context const& ctx, std::string_view name) {
  return ctx.req.base_url + "/files/" + std::string{name};
}

std::optional<std::pair<int, int>> parse_size(std::string_view size) {
  if (size.empty() || size == "auto") {
    return std::pair{1024, 1024};
  }
  std::size_t const x = size.find('x');
  if (x == std::string_view::npos) {
    return std::nullopt;
  }
  int w = 0;
  int h = 0;
  auto const r1 = std::from_chars(size.data(), size.data() + x, w);
  auto const r2 = std::from_chars(size.data() + x + 1, size.data() + size.size(), h);
  if (r1.ec != std::errc{} || r1.ptr != size.data() + x || r2.ec != std::errc{} ||
      r2.ptr != size.data() + size.size() || w < 16 || h < 16 || w > 4096 || h > 4096) {
    return std::nullopt;
  }
  return std::pair{w, h};
}

std::uint64_t prompt_seed(std::string_view prompt) {
  // FNV-1a: stable across runs and platforms.
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : strip_markers(prompt)) {
    h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  }
  return h;
}

std::uint64_t item_seed(std::uint64_t base, int index) {
  return base + 0x9E3779B97F4A7C15ULL * static_cast<std::uint64_t>(index);
}

} // namespace mock
