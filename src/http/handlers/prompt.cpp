// The prompt optimizer (spec §3.4, §6.10): its editable system prompt in
// DATA_DIR/prompt_optimizer_system_prompt.md, and POST /api/prompt/optimize,
// which reads the settings and the system prompt on a store reader, then sends
// one Chat Completions request through upstream_pool (direct, never the job
// queue or the SOCKS5 proxy) and maps the answer.

#include <chrono>
#include <fstream>
#include <sstream>

#include "actors/bridge.hpp"
#include "actors/handles.hpp"
#include "actors/runtime.hpp"
#include "core/json_writer.hpp"
#include "core/logging.hpp"
#include "core/net_guard.hpp"
#include "core/secrets.hpp"
#include "core/strings.hpp"
#include "http/app.hpp"
#include "http/errors.hpp"
#include "http/json_body.hpp"
#include "store/global_settings.hpp"
#include "store/image_files.hpp"
#include "upstream/optimizer.hpp"
#include "upstream/optimizer_prompt.hpp"

namespace panel::http {

namespace {

using steady = std::chrono::steady_clock;

constexpr std::string_view timeout_message = "Prompt optimizer request timed out";

// The custom system prompt file's content, or nullopt when there is none.
// Blocking: store threads only.
std::optional<std::string> read_prompt_file(std::filesystem::path const& data_dir) {
  auto const path = data_dir / upstream::system_prompt_file_name;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return std::nullopt;
  }
  std::ifstream in{path, std::ios::binary};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

response system_prompt_json(upstream::system_prompt_state const& s) {
  core::json_writer w;
  w.begin_object()
      .field("system_prompt", s.system_prompt)
      .field("default_system_prompt", upstream::default_optimizer_system_prompt())
      .field("customized", s.customized)
      .end_object();
  return response::json(200, std::move(w).str());
}

void get_system_prompt(app& a, responder reply) {
  auto data_dir = a.cfg.data_dir;
  actors::on_reader(a.runtime.actors(), reply, [reply, data_dir](store::database&) {
    reply(system_prompt_json(upstream::effective_system_prompt(read_prompt_file(data_dir))));
  });
}

void save_system_prompt(app& a, request& req, responder reply) {
  auto body = json_body::parse(req.body, {"system_prompt"});
  if (!body) {
    reply(error_response(body.error()));
    return;
  }
  auto raw = (*body)->required_string("system_prompt", 0, std::numeric_limits<std::size_t>::max());
  if (!raw) {
    reply(error_response(raw.error()));
    return;
  }
  auto prompt = upstream::normalise_system_prompt(*raw);
  if (!prompt) {
    reply(error_response(prompt.error()));
    return;
  }
  auto data_dir = a.cfg.data_dir;
  actors::on_writer(a.runtime.actors(), reply,
                    [reply, data_dir, text = std::move(*prompt)](store::store&) {
                      auto const content = upstream::system_prompt_file_content(text);
                      auto written = store::write_file_atomically(
                          data_dir, upstream::system_prompt_file_name,
                          reinterpret_cast<std::uint8_t const*>(content.data()), content.size());
                      if (!written) {
                        core::log_error("saving the optimizer system prompt failed: " + written.error().message);
                        reply(error_response(written.error()));
                        return;
                      }
                      reply(system_prompt_json({text, true}));
                    });
}

// "one of" check with pydantic's wording: "Input should be 'a', 'b' or 'c'".
expected<std::optional<std::string>> one_of(json_body const& b, std::string_view key,
                                            std::initializer_list<std::string_view> allowed) {
  auto v = b.optional_string(key);
  if (!v || !*v) {
    return v;
  }
  for (auto const option : allowed) {
    if (**v == option) {
      return v;
    }
  }
  std::string list;
  std::size_t i = 0;
  for (auto const option : allowed) {
    list += (i == 0 ? "'" : (i + 1 == allowed.size() ? " or '" : ", '")) + std::string(option) + "'";
    ++i;
  }
  return tl::unexpected(validation_error(key, "Input should be " + list));
}

std::size_t utf8_chars(std::string_view s) {
  std::size_t n = 0;
  for (char const c : s) {
    n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  }
  return n;
}

expected<std::optional<std::string>> short_text(json_body const& b, std::string_view key, std::size_t max) {
  auto v = b.optional_string(key);
  if (v && *v && utf8_chars(**v) > max) {
    return tl::unexpected(validation_error(key, "String should have at most " + std::to_string(max) + " characters"));
  }
  return v;
}

// The strict body of POST /api/prompt/optimize; model and system prompt are
// filled in later from the settings. Every problem is reported at once.
expected<upstream::optimizer_request> parse_optimize(std::string_view text) {
  auto b = json_body::parse(text, {"prompt", "target_language", "api_path", "model", "size", "quality"});
  if (!b) {
    return tl::unexpected(b.error());
  }
  auto const& obj = **b;
  auto prompt = obj.required_string("prompt", 1, 4000);
  if (prompt && core::trim(*prompt).empty()) {
    prompt = tl::unexpected(validation_error("prompt", "String should have at least 1 character"));
  }
  auto language = one_of(obj, "target_language", {"en", "zh-CN", "same"});
  auto api_path = one_of(obj, "api_path", {"/v1/images/generations", "/v1/responses", "/v1/chat/completions"});
  auto model = short_text(obj, "model", 200);
  auto size = short_text(obj, "size", 40);
  auto quality = one_of(obj, "quality", {"auto", "low", "medium", "high"});
  std::string problems;
  auto note = [&problems](auto const& r) {
    if (!r) {
      problems += (problems.empty() ? "" : "; ") + r.error().message;
    }
  };
  note(prompt);
  note(language);
  note(api_path);
  note(model);
  note(size);
  note(quality);
  if (!problems.empty()) {
    return fail(errc::validation, problems);
  }
  upstream::optimizer_request r;
  r.prompt = std::string(core::trim(*prompt));
  r.target_language = language->value_or("en");
  r.api_path = *api_path;
  r.image_model = *model;
  r.size = *size;
  r.quality = *quality;
  return r;
}

// What the optimizer call needs from the configuration, copied off the app.
struct optimizer_env {
  store::optimizer_settings defaults;
  core::net_policy policy;
  std::filesystem::path data_dir;
  std::uint64_t max_response_bytes = 8ull << 20;
  std::size_t max_output_chars = 4000;
};

// The endpoint and key once every precondition of §3.4 holds (400 otherwise).
struct endpoint {
  std::string url;
  std::string api_key;
};

expected<endpoint> check_settings(store::optimizer_settings const& s, core::net_policy const& policy) {
  if (!s.enabled) {
    return fail(errc::bad_request, "Prompt optimizer is not enabled");
  }
  auto const url = std::string(core::trim(s.api_url));
  if (url.empty()) {
    return fail(errc::bad_request, "Prompt optimizer endpoint URL is not configured");
  }
  auto key = core::resolve_secret(s.api_key);
  if (key.missing || key.value.empty()) {
    return fail(errc::bad_request, "Prompt optimizer API key is not configured");
  }
  if (auto valid = core::validate_url(url, core::url_context::optimizer, policy); !valid) {
    return fail(errc::bad_request, valid.error().message);
  }
  return endpoint{url, std::move(key.value)};
}

// The pool's failure as §3.4 words it: 504 for a timeout, 400 for an endpoint the
// SSRF rules refuse, 502 for the rest.
panel::error optimizer_failure(caf::error const& err) {
  if (err == caf::sec::request_timeout) {
    return {errc::upstream_timeout, std::string(timeout_message)};
  }
  auto e = actors::from_caf_error(err);
  constexpr std::string_view pool_prefix = "Prompt optimizer endpoint connection error: ";
  switch (e.code) {
  case errc::upstream_timeout:
    return {errc::upstream_timeout, std::string(timeout_message)};
  case errc::validation:
  case errc::bad_request:
    return {errc::bad_request, e.message};
  case errc::upstream:
    if (e.message.starts_with(pool_prefix)) {
      return {errc::upstream, "Prompt optimizer connection error: " + e.message.substr(pool_prefix.size())};
    }
    return e;
  default:
    return {errc::upstream, "Prompt optimizer failed"};
  }
}

response optimized_json(upstream::optimizer_reply const& r, steady::time_point started) {
  auto const ms = std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - started).count();
  core::json_writer w;
  w.begin_object()
      .field("optimized_prompt", r.optimized_prompt)
      .field("model", r.model)
      .field("duration_ms", static_cast<std::int64_t>(ms))
      .end_object();
  return response::json(200, std::move(w).str());
}

void send_to_optimizer(caf::actor_system& sys, actors::upstream_pool_actor const& pool, optimizer_env const& env,
                       store::optimizer_settings const& s, endpoint const& target, upstream::optimizer_request req,
                       steady::time_point started, responder reply) {
  req.model = s.model;
  actors::upstream_post_request post;
  post.url = target.url;
  post.headers = {"Authorization: Bearer " + target.api_key};
  post.body.data = std::make_shared<const std::string>(upstream::build_optimizer_payload(req));
  post.content_type = "application/json";
  post.timeout_ms = static_cast<std::int64_t>(std::max(1, s.timeout_seconds)) * 1000;
  post.max_response_bytes = env.max_response_bytes;
  post.size_label = std::string(upstream::optimizer_response_label);
  post.context = core::url_context::optimizer;
  // The pool answers a timeout itself; this only guards against a pool that never does.
  auto const guard = std::chrono::milliseconds(post.timeout_ms) + std::chrono::seconds(15);
  actors::ask(
      sys, pool, guard,
      [reply, model = s.model, max_chars = env.max_output_chars, started](actors::upstream_reply const& r) {
        auto body = r.body.data ? std::string_view{*r.body.data} : std::string_view{};
        auto parsed = upstream::parse_optimizer_response(r.status, body, model, max_chars);
        if (!parsed) {
          core::log_warning("prompt optimizer: " + parsed.error().message);
          reply(error_response(parsed.error()));
          return;
        }
        reply(optimized_json(*parsed, started));
      },
      [reply](caf::error const& err) {
        auto e = optimizer_failure(err);
        core::log_warning("prompt optimizer: " + e.message);
        reply(error_response(e));
      },
      actors::upstream_post_atom::value, std::move(post));
}

void optimize(app& a, request& req, responder reply) {
  auto const started = steady::now();
  auto parsed = parse_optimize(req.body);
  if (!parsed) {
    reply(error_response(parsed.error()));
    return;
  }
  optimizer_env env;
  env.defaults = store::default_optimizer_settings(a.cfg);
  env.policy = core::net_policy::from_config(a.cfg);
  env.data_dir = a.cfg.data_dir;
  env.max_response_bytes = static_cast<std::uint64_t>(std::max(1, a.cfg.prompt_optimizer_max_response_mb)) << 20;
  env.max_output_chars = static_cast<std::size_t>(std::max(1, a.cfg.prompt_optimizer_max_output_chars));
  auto* sys = &a.runtime.system();
  auto pool = a.runtime.actors().upstream;
  actors::on_reader(a.runtime.actors(), reply,
                    [sys, pool, env, started, reply, r = std::move(*parsed)](store::database& db) mutable {
                      auto settings = store::global_settings_repo{db}.optimizer(env.defaults);
                      if (!settings) {
                        core::log_error("reading the optimizer settings failed: " + settings.error().message);
                        reply(error_response(settings.error()));
                        return;
                      }
                      auto target = check_settings(*settings, env.policy);
                      if (!target) {
                        reply(error_response(target.error()));
                        return;
                      }
                      r.system_prompt = upstream::effective_system_prompt(read_prompt_file(env.data_dir)).system_prompt;
                      send_to_optimizer(*sys, pool, env, *settings, *target, std::move(r), started, reply);
                    });
}

} // namespace

void register_prompt_routes(app& a) {
  a.routes.add("GET", "/api/prompt/optimizer-system-prompt",
               {"The optimizer's system prompt and the built-in default", "prompt", true, "", {200, 401}},
               [&a](request&, responder reply) { get_system_prompt(a, std::move(reply)); });
  a.routes.add("POST", "/api/prompt/optimizer-system-prompt",
               {"Save a custom optimizer system prompt", "prompt", true, "json", {200, 401, 422}},
               [&a](request& req, responder reply) { save_system_prompt(a, req, std::move(reply)); });
  a.routes.add("POST", "/api/prompt/optimize",
               {"Rewrite a prompt with the configured optimizer", "prompt", true, "json",
                {200, 400, 401, 422, 502, 504}},
               [&a](request& req, responder reply) { optimize(a, req, std::move(reply)); });
}

} // namespace panel::http
