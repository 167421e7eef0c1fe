// The access gate endpoints (spec §3.2, §2.5, §2.6).

#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/json_writer.hpp"
#include "http/access_token.hpp"
#include "http/app.hpp"
#include "http/errors.hpp"
#include "http/json_body.hpp"

namespace panel::http {

namespace {

response access_json(bool authenticated, std::optional<std::int64_t> expires) {
  core::json_writer w;
  w.begin_object().field("authenticated", authenticated).key("expires_at");
  expires ? w.value(core::iso_utc(std::chrono::system_clock::time_point{std::chrono::seconds{*expires}})) : w.null();
  w.end_object();
  return response::json(200, std::move(w).str());
}

std::string access_cookie(core::config const& cfg, std::string const& token, std::int64_t exp) {
  auto const expires = std::chrono::system_clock::time_point{std::chrono::seconds{exp}};
  auto const t = std::chrono::system_clock::to_time_t(expires);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char date[64];
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  auto cookie = cfg.access_key_cookie_name + "=" + token + "; Expires=" + date +
                "; HttpOnly; Max-Age=" + std::to_string(access_token_ttl_seconds) + "; Path=/; SameSite=Lax";
  if (cfg.access_cookie_secure) {
    cookie += "; Secure";
  }
  return cookie;
}

void post_access(app& a, request& req, responder reply) {
  auto body = json_body::parse(req.body, {"access_key"});
  if (!body) {
    reply(error_response(body.error()));
    return;
  }
  auto key = (*body)->required_string("access_key", 1, 4096);
  if (!key) {
    reply(error_response(key.error()));
    return;
  }
  if (!a.cfg.access_enabled()) {
    reply(access_json(true, std::nullopt));
    return;
  }
  auto const now = lockout_table::clock::now();
  if (auto left = a.lockout.locked_for(req.client_ip, now)) {
    reply(error_response(429, "Too many failed attempts. Try again in " + std::to_string(*left) + " seconds."));
    return;
  }
  if (!core::constant_time_equal(*key, a.cfg.access_key)) {
    a.lockout.record_failure(req.client_ip, now);
    reply(error_response(401, "Invalid access key"));
    return;
  }
  a.lockout.clear(req.client_ip);
  auto const exp = core::unix_seconds(std::chrono::system_clock::now()) + access_token_ttl_seconds;
  auto token = mint_access_token(a.cfg.access_key, exp);
  if (!token) {
    reply(error_response(token.error()));
    return;
  }
  auto r = access_json(true, exp);
  r.headers.add("Set-Cookie", access_cookie(a.cfg, *token, exp));
  reply(std::move(r));
}

} // namespace

void register_access_routes(app& a) {
  a.routes.add("GET", "/api/access/status", {"Is this browser unlocked?", "access", false, "", {200}},
               [&a](request& req, responder reply) {
                 if (!a.cfg.access_enabled()) {
                   reply(access_json(true, std::nullopt));
                   return;
                 }
                 reply(access_json(req.authenticated, req.session_expires));
               });
  a.routes.add("POST", "/api/access", {"Unlock with the access key", "access", false, "json", {200, 401, 403, 422, 429}},
               [&a](request& req, responder reply) { post_access(a, req, std::move(reply)); });
}

} // namespace panel::http
