#pragma once
// webhook_sender: signed webhook deliveries (spec/API.md §10.2) on terminal job
// states: resolves and re-validates the URL (SSRF rules, WEBHOOK_HOST_ALLOWLIST),
// builds the restricted body, signs it with WEBHOOK_SIGNING_SECRET, POSTs it
// through upstream_pool (direct, never SOCKS5, no redirects) and retries with
// 1 s, 2 s, 4 s, 4 s... backoff up to WEBHOOK_MAX_ATTEMPTS. Fire-and-forget:
// never affects the job. URLs in logs are masked.

#include "actors/upstream_pool.hpp"

namespace panel::core {
struct config;
}

namespace panel::actors {

/// (webhook_atom, delivery): deliver (asynchronously, with retries).
using webhook_sender_actor = caf::typed_actor<caf::reacts_to<webhook_atom, webhook_delivery>>;

/// Spawns the process-wide sender; it sends through `upstream`.
[[nodiscard]] webhook_sender_actor spawn_webhook_sender(caf::actor_system& sys, core::config const& cfg,
                                                        upstream_pool_actor upstream);

} // namespace panel::actors
