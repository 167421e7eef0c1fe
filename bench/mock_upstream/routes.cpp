#include "routes.hpp"

#include "handlers.hpp"
#include "core/crypto.hpp"
#include "core/json_writer.hpp"

#include <simdjson.h>

#include <algorithm>
#include <chrono>

// Dispatch, authentication, and the small endpoints (models, files, /mock/*).
// Shared reply helpers are in replies.cpp; the image-producing endpoints in
// image_routes.cpp and chat_routes.cpp.

namespace mock {

using panel::core::json_writer;
namespace {

struct api_endpoint {
  std::string_view suffix;
  std::string_view name;
  std::string_view method;
};

// Matched by suffix so that any base-URL prefix (/v1, /openai/v1, none) works.
constexpr api_endpoint api_endpoints[] = {
    {"/images/generations", "images/generations", "POST"},
    {"/images/edits", "images/edits", "POST"},
    {"/chat/completions", "chat/completions", "POST"},
    {"/responses", "responses", "POST"},
    {"/models", "models", "GET"},
};

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::int64_t unix_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool has_bearer(request_view const& req) {
  std::string_view const auth = req.header("authorization");
  if (auth.size() < 7) {
    return false;
  }
  std::string scheme{auth.substr(0, 7)};
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string_view token = auth.substr(7);
  while (!token.empty() && token.front() == ' ') {
    token.remove_prefix(1);
  }
  return scheme == "bearer " && !token.empty();
}

// The bearer token's hex SHA-256, so a test can check which key arrived
// without the mock ever reporting the key itself.
std::string bearer_sha256(request_view const& req) {
  if (!has_bearer(req)) {
    return {};
  }
  std::string_view token = req.header("authorization").substr(7);
  while (!token.empty() && token.front() == ' ') {
    token.remove_prefix(1);
  }
  return panel::core::to_hex(panel::core::sha256(token));
}

std::vector<std::pair<std::string, std::string>> redacted_headers(request_view const& req) {
  auto out = req.headers;
  for (auto& [name, value] : out) {
    if (name == "authorization" || name == "proxy-authorization") {
      value = value.size() >= 7 && (value.rfind("Bearer", 0) == 0 || value.rfind("bearer", 0) == 0) ? "Bearer ***"
                                                                                                    : "***";
    } else if (name == "api-key" || name == "x-api-key" || name == "cookie") {
      // Other places clients put secrets (Azure-style keys, sessions).
      value = "***";
    }
  }
  return out;
}

reply models_reply() {
  static constexpr std::string_view ids[] = {"gpt-image-1", "gpt-image-1-mini", "gpt-image-1.5", "dall-e-3",
                                             "gpt-5.4", "gpt-4.1"};
  json_writer w;
  w.begin_object().field("object", "list").key("data").begin_array();
  for (auto id : ids) {
    w.begin_object().field("id", id).field("object", "model").field("created", 1'700'000'000);
    w.field("owned_by", id.rfind("dall", 0) == 0 ? "system" : "openai").end_object();
  }
  w.end_array().end_object();
  return json_reply(200, w.take());
}

reply files_reply(mock_state& state, request_view const& req, request_record& rec) {
  rec.endpoint = "files";
  std::string_view const name = std::string_view{req.path}.substr(std::string_view{"/files/"}.size());
  if (req.method != "GET" && req.method != "HEAD") {
    reply r = error_reply(405, "Method not allowed", "invalid_request_error", "method_not_allowed");
    r.headers.emplace_back("Allow", "GET, HEAD");
    return r;
  }
  image_ptr img = state.find_file(name);
  if (!img) {
    return error_reply(404, "File not found: " + std::string{name}, "invalid_request_error", "not_found");
  }
  reply r;
  r.content_type = std::string{format_mime(img->key.format)};
  r.file = std::move(img);
  r.head_only = req.method == "HEAD";
  r.headers.emplace_back("Cache-Control", "public, max-age=3600");
  return r;
}

template <class T>
void read_number(simdjson::dom::element const& doc, char const* key, T& out) {
  if (auto v = doc[key]; v.error() == simdjson::SUCCESS) {
    if (v.is_int64()) {
      out = static_cast<T>(v.get_int64().value_unsafe());
    } else if (v.is_double()) {
      out = static_cast<T>(v.get_double().value_unsafe());
    }
  }
}

reply mock_control(mock_state& state, request_view const& req) {
  if (req.path == "/mock/stats" && req.method == "GET") {
    return json_reply(200, state.stats_json());
  }
  if (req.path == "/mock/reset" && req.method == "POST") {
    state.reset();
    return json_reply(200, R"({"ok":true})");
  }
  if (req.path == "/mock/config" && (req.method == "POST" || req.method == "GET")) {
    runtime_config cfg = state.config();
    if (req.method == "POST") {
      thread_local simdjson::dom::parser parser;
      simdjson::dom::element doc;
      if (parser.parse(req.body.data(), req.body.size()).get(doc) != simdjson::SUCCESS || !doc.is_object()) {
        return error_reply(400, "Body must be a JSON object", "invalid_request_error", "invalid_json");
      }
      read_number(doc, "latency_ms", cfg.latency_ms);
      read_number(doc, "fail_rate", cfg.fail_rate);
      read_number(doc, "options_status", cfg.options_status);
      read_number(doc, "head_status", cfg.head_status);
      // Only final statuses: a 1xx or out-of-range value would break HTTP framing.
      for (unsigned* status : {&cfg.options_status, &cfg.head_status}) {
        if (*status < 200 || *status > 599) {
          *status = 0;
        }
      }
      cfg.fail_rate = std::clamp(cfg.fail_rate, 0.0, 1.0);
      cfg.latency_ms = std::max(0L, cfg.latency_ms);
      state.set_config(cfg);
    }
    json_writer w;
    w.begin_object().field("latency_ms", static_cast<std::int64_t>(cfg.latency_ms)).field("fail_rate", cfg.fail_rate);
    w.field("options_status", cfg.options_status).field("head_status", cfg.head_status).end_object();
    return json_reply(200, w.take());
  }
  return error_reply(404, "Unknown mock control endpoint " + req.method + " " + req.path, "invalid_request_error",
                     "not_found");
}

// Turns a valid JSON reply into one that a JSON parser must reject.
void make_malformed(reply& r) {
  if (!r.sse.empty()) {
    r.sse.insert(r.sse.begin() + 1, "data: {\"id\": \"chatcmpl-broken\", \"choices\": [\n\n");
    return;
  }
  r.body.resize(std::max<std::size_t>(1, r.body.size() / 2));
  r.body += "\"...";
}

reply dispatch_api(call_context& ctx, api_endpoint const& ep) {
  request_view const& req = ctx.req;
  runtime_config const cfg = ctx.state.config();
  if (req.method == "OPTIONS") {
    // Preflight-style answer; browsers never send credentials here, so no auth.
    reply r;
    r.status = cfg.options_status != 0 ? cfg.options_status : 204;
    r.content_type.clear();
    r.headers.emplace_back("Allow", std::string{ep.method} + ", OPTIONS");
    r.headers.emplace_back("Access-Control-Allow-Origin", "*");
    r.headers.emplace_back("Access-Control-Allow-Methods", std::string{ep.method} + ", OPTIONS");
    r.headers.emplace_back("Access-Control-Allow-Headers", "Authorization, Content-Type");
    return r;
  }
  if (!has_bearer(req)) {
    reply r = error_reply(401, "Missing bearer authentication in header", "invalid_request_error");
    r.head_only = req.method == "HEAD";
    return r;
  }
  if (req.method == "HEAD") {
    unsigned const status = cfg.head_status != 0 ? cfg.head_status : (ep.method == "GET" ? 200 : 405);
    reply r = status == 200 && ep.name == "models" ? models_reply()
                                                   : status_error_reply(status, "HEAD probe answered by mock");
    r.status = status;
    r.head_only = true;
    r.headers.emplace_back("Allow", std::string{ep.method} + ", OPTIONS");
    return r;
  }
  if (req.method != ep.method) {
    reply r = error_reply(405, "Method " + req.method + " not allowed for " + req.path, "invalid_request_error",
                          "method_not_allowed");
    r.headers.emplace_back("Allow", std::string{ep.method} + ", OPTIONS");
    return r;
  }
  if (ep.name == "images/generations") {
    return handle_generations(ctx);
  }
  if (ep.name == "images/edits") {
    return handle_edits(ctx);
  }
  if (ep.name == "responses") {
    return handle_responses(ctx);
  }
  if (ep.name == "chat/completions") {
    return handle_chat(ctx);
  }
  if (auto failure = injected_failure(ctx, {})) {
    return std::move(*failure);
  }
  return models_reply();
}

} // namespace

std::string_view request_view::header(std::string_view lower_name) const {
  for (auto const& [name, value] : headers) {
    if (name == lower_name) {
      return value;
    }
  }
  return {};
}

reply handle_request(mock_state& state, request_view const& req) {
  if (req.path.rfind("/mock/", 0) == 0) {
    return mock_control(state, req);
  }
  request_record rec;
  rec.method = req.method;
  rec.path = req.path;
  rec.time_ms = unix_now_ms();
  rec.headers = redacted_headers(req);
  rec.auth_sha256 = bearer_sha256(req);
  call_context ctx{state, req, rec, {}};
  for (auto const& [name, value] : req.headers) {
    apply_header_marker(ctx.plan, name, value);
  }

  reply r;
  if (req.path.rfind("/files/", 0) == 0) {
    r = files_reply(state, req, rec);
  } else {
    auto const* ep = std::find_if(std::begin(api_endpoints), std::end(api_endpoints),
                                  [&](api_endpoint const& e) { return ends_with(req.path, e.suffix); });
    if (ep == std::end(api_endpoints)) {
      rec.endpoint = "unknown";
      r = error_reply(404, "Invalid URL (" + req.method + " " + req.path + ")", "invalid_request_error");
    } else {
      rec.endpoint = std::string{ep->name};
      r = dispatch_api(ctx, *ep);
    }
  }

  if (ctx.plan.malformed && r.status == 200 && (r.content_type == "application/json" || !r.sse.empty())) {
    make_malformed(r);
  }
  if (ctx.plan.text_plain && (r.content_type == "application/json" || !r.sse.empty())) {
    r.content_type = "text/plain; charset=utf-8";
  }
  r.delay += std::chrono::milliseconds{state.config().latency_ms} + ctx.plan.delay;
  rec.status = r.hold || r.close ? 0 : r.status;
  rec.outcome = r.hold ? "timeout" : r.close ? "closed" : "answered";
  state.record(std::move(rec));
  return r;
}

} // namespace mock
