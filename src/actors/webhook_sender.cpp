// webhook_sender
//   (webhook_atom, webhook_delivery): resolves the stored URL, re-validates it
//   (SSRF rules, WEBHOOK_HOST_ALLOWLIST), builds and signs the body, then spawns a
//   short-lived delivery actor that POSTs through upstream_pool and retries with
//   delayed_send (1 s, 2 s, 4 s, 4 s...) up to WEBHOOK_MAX_ATTEMPTS. One delivery
//   actor per delivery, so any number can be in flight; none blocks a scheduler
//   thread. Skips and final failures are only logged (URL masked, never the
//   secret or the body).
//
// delivery actor (internal)
//   (tick_atom): the next attempt, after the backoff pause.

#include "actors/webhook_sender.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <utility>

#include "actors/errors.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/logging.hpp"
#include "core/secrets.hpp"
#include "upstream/webhook.hpp"

namespace panel::actors {

namespace {

// Extra time the sender waits for the pool beyond the transfer timeout, so a
// lost answer cannot keep a delivery actor alive for ever.
constexpr std::chrono::milliseconds ask_margin{15'000};

// Everything a delivery actor needs; built once by the sender.
struct delivery_plan {
  upstream_post_request request;
  std::string job_id;
  std::string masked_url; ///< redact_url(url, mask): what logs show
  std::string kept_url;   ///< redact_url(url, keep): how the pool words the URL in errors
  std::string raw_url;    ///< the resolved URL, to scrub from error text
  int max_attempts = 1;
};

struct delivery_state {
  delivery_plan plan;
  upstream_pool_actor upstream;
  int attempt = 0;
  static inline char const* name = "webhook_delivery";
};

using delivery_actor = caf::stateful_actor<delivery_state>;

void replace_all(std::string& text, std::string const& from, std::string const& to) {
  if (from.empty() || from == to) {
    return;
  }
  for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
}

// Pool messages keep the URL path, which for webhooks often is the token.
std::string scrub(std::string message, delivery_plan const& plan) {
  replace_all(message, plan.raw_url, plan.masked_url);
  replace_all(message, plan.kept_url, plan.masked_url);
  return message;
}

void attempt_once(delivery_actor* self);

void attempt_failed(delivery_actor* self, std::string const& reason) {
  auto& st = self->state;
  if (st.attempt < st.plan.max_attempts) {
    self->delayed_send(self, upstream::webhook_retry_delay(st.attempt), tick_atom::value);
    return;
  }
  core::log_warning("Webhook delivery for job " + st.plan.job_id + " to " + st.plan.masked_url + " failed after " +
                    std::to_string(st.attempt) + " attempt(s): " + reason);
  self->quit();
}

void attempt_once(delivery_actor* self) {
  auto& st = self->state;
  ++st.attempt;
  auto const wait = std::chrono::milliseconds{st.plan.request.timeout_ms} + ask_margin;
  self->request(st.upstream, wait, upstream_post_atom::value, st.plan.request)
      .then(
          [self](upstream_reply const& reply) {
            auto& s = self->state;
            if (upstream::webhook_succeeded(reply.status)) {
              core::log(core::log_level::debug, "Webhook delivered for job " + s.plan.job_id + " (HTTP " +
                                                    std::to_string(reply.status) + ", attempt " +
                                                    std::to_string(s.attempt) + ")");
              self->quit();
              return;
            }
            attempt_failed(self, "HTTP " + std::to_string(reply.status));
          },
          [self](caf::error const& err) { attempt_failed(self, scrub(from_caf_error(err).message, self->state.plan)); });
}

caf::behavior delivery(delivery_actor* self, upstream_pool_actor upstream, delivery_plan plan) {
  self->state.upstream = std::move(upstream);
  self->state.plan = std::move(plan);
  attempt_once(self);
  return {
      [self](tick_atom) { attempt_once(self); },
  };
}

// The sender's settings, copied from the configuration at spawn.
struct sender_settings {
  core::net_policy policy;
  std::string secret;
  std::int64_t timeout_ms = 5'000;
  int max_attempts = 3;
};

// Builds the delivery, or logs why there is none and returns nullopt.
std::optional<delivery_plan> plan_delivery(sender_settings const& cfg, webhook_delivery const& d) {
  auto const skip = [&d](std::string const& why) {
    core::log_warning("Webhook for job " + d.job_id + " skipped: " + why);
    return std::nullopt;
  };
  auto const resolved = core::resolve_secret(d.url);
  if (resolved.missing) {
    return skip("environment variable " + resolved.env_var + " is not set");
  }
  if (resolved.value.empty()) {
    return std::nullopt; // no webhook configured
  }
  auto const masked = core::redact_url(resolved.value, core::redact_path::mask);
  auto target = core::validate_url(resolved.value, core::url_context::webhook, cfg.policy);
  if (!target) {
    delivery_plan scratch;
    scratch.raw_url = resolved.value;
    scratch.kept_url = core::redact_url(resolved.value, core::redact_path::keep);
    scratch.masked_url = masked;
    return skip(masked + ": " + scrub(target.error().message, scratch));
  }
  if (cfg.secret.empty()) {
    return skip("WEBHOOK_SIGNING_SECRET is required to sign webhook callbacks");
  }
  auto body = upstream::build_webhook_body(d.job_json, core::now_iso_utc());
  if (!body) {
    return skip(body.error().message);
  }
  auto const timestamp = core::unix_seconds(std::chrono::system_clock::now());
  auto const signature = upstream::webhook_signature(cfg.secret, timestamp, *body);

  delivery_plan plan;
  plan.job_id = d.job_id;
  plan.masked_url = masked;
  plan.kept_url = core::redact_url(resolved.value, core::redact_path::keep);
  plan.raw_url = resolved.value;
  plan.max_attempts = std::max(1, cfg.max_attempts);
  auto& req = plan.request;
  req.url = target->request_url();
  req.method = "POST";
  req.headers = upstream::webhook_headers(d.job_id, timestamp, signature);
  req.body.data = std::make_shared<std::string const>(std::move(*body));
  req.content_type = std::string{upstream::webhook_content_type};
  req.timeout_ms = cfg.timeout_ms;
  req.max_response_bytes = upstream::webhook_max_response_bytes;
  req.truncate_body = true;
  req.socks5_proxy.clear(); // never through the proxy (§6.11)
  req.context = core::url_context::webhook;
  return plan;
}

} // namespace

webhook_sender_actor spawn_webhook_sender(caf::actor_system& sys, core::config const& cfg,
                                          upstream_pool_actor upstream) {
  sender_settings settings;
  settings.policy = core::net_policy::from_config(cfg);
  settings.secret = cfg.webhook_signing_secret;
  settings.timeout_ms = std::int64_t{std::max(1, cfg.webhook_timeout_seconds)} * 1000;
  settings.max_attempts = std::max(1, cfg.webhook_max_attempts);
  return sys.spawn([settings = std::move(settings), upstream = std::move(upstream)](
                       webhook_sender_actor::pointer self) -> webhook_sender_actor::behavior_type {
    return {
        [self, settings, upstream](webhook_atom, webhook_delivery const& d) {
          auto plan = plan_delivery(settings, d);
          if (!plan) {
            return;
          }
          self->spawn(delivery, upstream, std::move(*plan));
        },
    };
  });
}

} // namespace panel::actors
