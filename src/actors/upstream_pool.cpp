// upstream_pool, in messages:
//   (upstream_post_atom, upstream_post_request) -> upstream_reply    | caf::error (panel errc)
//   (image_fetch_atom, image_fetch_request)     -> image_fetch_reply | caf::error
//   (s3_atom, s3_request)                       -> s3_reply          | caf::error
//   (upstream_cancel_atom, cancel_key)          -> requests aborted (each answered with an error)
//   (upstream_stats_atom)                       -> upstream_pool_stats
//   (pool_tick_atom)                            internal: one turn of the curl loop
// A request: validate the URL here (no I/O) -> resolve and check its host in a
// one-shot detached resolver (IP literals need no DNS and are checked here) ->
// pin the checked addresses, add the transfer to the multi handle -> ticks drive
// it -> transfer::finish judges it -> reply. An image 3xx goes back to "validate"
// with its Location, at most 3 times.
//
// Why this shape: the pool is an event-based actor spawned detached, so it owns a
// thread and may block. While transfers run it sends itself a tick, and each tick
// blocks in curl_multi_poll for at most poll_interval (50 ms): messages that arrive
// meanwhile (requests, cancels, resolver answers) wait at most that long and are
// then handled by ordinary CAF dispatch between ticks. With nothing on the wire no
// tick is sent and the actor sleeps in its mailbox. (A blocking_actor cannot have a
// typed interface in CAF 0.17; a bare curl thread would need a second queue and
// locks.) getaddrinfo may take seconds, so DNS never runs on this thread: it would
// stall every transfer.

#include "actors/upstream_pool.hpp"

#include <caf/actor_system.hpp>
#include <caf/blocking_actor.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/make_message.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <algorithm>
#include <map>
#include <unordered_map>

#include "actors/upstream_pool_transfer.hpp"
#include "core/config.hpp"
#include "core/logging.hpp"
#include "upstream/s3_calls.hpp"

namespace panel::actors {

namespace {

using pool_tick_atom = caf::atom_constant<caf::atom("uptick")>;
using resolve_atom = caf::atom_constant<caf::atom("upresolve")>;
// The tick is the pool's own business, so it stays out of the public interface.
using pool_impl = upstream_pool_actor::extend<caf::reacts_to<pool_tick_atom>>;
using steady = std::chrono::steady_clock;

constexpr int max_image_redirects = 3;

// Same layout as actors/bridge.hpp's to_caf_error, without its HTTP headers.
caf::error pool_error(panel::error const& e) {
  return caf::error{static_cast<std::uint8_t>(e.code), caf::atom("panel"), caf::make_message(e.message)};
}

panel::error from_pool_error(caf::error const& e) {
  if (e.category() == caf::atom("panel") && e.context().match_elements<std::string>()) {
    return panel::error{static_cast<errc>(e.code()), e.context().get_as<std::string>(0)};
  }
  return panel::error{errc::internal, "The DNS resolver of the upstream pool failed"};
}

struct request_state {
  std::uint64_t id = 0;
  std::string cancel_key;
  caf::typed_response_promise<upstream_reply> api;    // set for API calls
  caf::typed_response_promise<image_fetch_reply> image; // set for image downloads
  caf::typed_response_promise<s3_reply> s3;           // set for S3 requests (api kind)
  bool is_s3 = false;
  pool::transfer_spec spec;                           // the current hop
  int redirects = 0;
  steady::time_point deadline;                        // DNS, redirects and transfer all count
  bool resolving = false;
  std::unique_ptr<pool::transfer> wire;               // while on the multi handle
};

struct pool_state {
  upstream_pool_config cfg;
  std::unique_ptr<pool::multi_loop> multi;            // outlives every transfer below
  std::map<std::uint64_t, request_state> requests;
  std::unordered_map<CURL*, std::uint64_t> on_wire;
  std::uint64_t next_id = 1;
  bool tick_pending = false;
  upstream_pool_stats stats;
  static inline char const* name = "upstream_pool";

  // Runs when the actor ends for any reason: nobody is left waiting, and the
  // transfers leave the multi handle before it is cleaned up.
  ~pool_state() {
    panel::error const stopped{errc::unavailable, "Upstream pool is shutting down"};
    for (auto& [id, r] : requests) {
      if (r.spec.kind == pool::transfer_kind::image) {
        r.image.deliver(pool_error(stopped));
      } else if (r.is_s3) {
        r.s3.deliver(pool_error(stopped));
      } else {
        r.api.deliver(pool_error(stopped));
      }
    }
    requests.clear();
  }
};

using pool_ptr = pool_impl::stateful_pointer<pool_state>;

void resolver(caf::blocking_actor* self, std::string host, std::uint16_t port, core::url_context context,
              core::net_policy policy) {
  self->receive([&](resolve_atom) -> caf::result<std::vector<std::string>> {
    auto checked = core::resolve_and_check(host, port, context, policy);
    if (!checked) {
      return pool_error(checked.error());
    }
    std::vector<std::string> out;
    for (auto const& a : *checked) {
      out.push_back(a.to_string());
    }
    return out;
  });
}

void schedule_tick(pool_ptr self) {
  if (!self->state.tick_pending) {
    self->state.tick_pending = true;
    self->send(caf::actor_cast<pool_impl>(self), pool_tick_atom::value);
  }
}

void finish_request(pool_ptr self, std::uint64_t id, panel::error const& e) {
  auto& st = self->state;
  auto it = st.requests.find(id);
  if (it == st.requests.end()) {
    return;
  }
  auto& r = it->second;
  if (r.wire) {
    st.on_wire.erase(r.wire->handle());
  }
  if (r.resolving) {
    --st.stats.resolving;
  }
  ++st.stats.failed;
  if (r.spec.kind == pool::transfer_kind::image) {
    r.image.deliver(pool_error(e));
  } else if (r.is_s3) {
    r.s3.deliver(pool_error(e));
  } else {
    r.api.deliver(pool_error(e));
  }
  st.requests.erase(it);
}

void start_transfer(pool_ptr self, request_state& r) {
  auto& st = self->state;
  auto const left = std::chrono::duration_cast<std::chrono::milliseconds>(r.deadline - steady::now());
  if (left.count() <= 0) {
    auto const label = std::string{core::context_label(r.spec.context)};
    return finish_request(self, r.id, panel::error{errc::upstream_timeout, label + " request timed out"});
  }
  r.spec.timeout = left;
  r.spec.connect_timeout = std::min(r.spec.connect_timeout, left);
  if (!r.spec.proxy.empty()) {
    core::log_warning("SOCKS5 proxy is enabled for upstream API requests (proxy " +
                      core::redact_url(r.spec.proxy) + ", target host " + r.spec.target.host +
                      "): the private-address check ran on local DNS only, so the proxy is the trust boundary");
  }
  auto t = pool::transfer::create(r.spec, st.cfg.extra_ca_file);
  if (!t) {
    return finish_request(self, r.id, t.error());
  }
  if (auto added = st.multi->add(**t); !added) {
    return finish_request(self, r.id, added.error());
  }
  st.on_wire[(*t)->handle()] = r.id;
  r.wire = std::move(*t);
  st.stats.peak_in_flight = std::max<std::uint64_t>(st.stats.peak_in_flight, st.multi->attached());
  schedule_tick(self);
}

void on_resolved(pool_ptr self, std::uint64_t id, expected<std::vector<core::ip_address>> addresses) {
  auto& st = self->state;
  auto it = st.requests.find(id);
  if (it == st.requests.end()) {
    return; // cancelled while resolving
  }
  auto& r = it->second;
  if (r.resolving) {
    r.resolving = false;
    --st.stats.resolving;
  }
  if (!addresses) {
    return finish_request(self, id, addresses.error());
  }
  r.spec.addresses = std::move(*addresses);
  start_transfer(self, r);
}

void resolve(pool_ptr self, std::uint64_t id) {
  auto& st = self->state;
  auto& r = st.requests.at(id);
  auto const& target = r.spec.target;
  if (target.host_is_ipv6 || core::ip_address::parse(target.host)) {
    // An IP literal is judged without DNS, so it can be judged here.
    return on_resolved(self, id,
                       core::resolve_and_check(target.host, target.effective_port(), r.spec.context, st.cfg.policy));
  }
  r.resolving = true;
  ++st.stats.resolving;
  auto worker = self->spawn<caf::detached>(resolver, target.host, target.effective_port(), r.spec.context,
                                           st.cfg.policy);
  // The request's deadline bounds DNS too; a resolver still stuck in getaddrinfo
  // then answers nobody and ends on its own.
  auto const left = std::max(std::chrono::duration_cast<std::chrono::milliseconds>(r.deadline - steady::now()),
                             std::chrono::milliseconds{1});
  self->request(worker, left, resolve_atom::value)
      .then(
          [self, id](std::vector<std::string> const& texts) {
            std::vector<core::ip_address> addresses;
            for (auto const& text : texts) {
              if (auto a = core::ip_address::parse(text)) {
                addresses.push_back(*a);
              }
            }
            on_resolved(self, id, std::move(addresses));
          },
          [self, id, context = r.spec.context](caf::error const& e) {
            auto why = e == caf::sec::request_timeout
                           ? panel::error{errc::upstream_timeout,
                                          std::string{core::context_label(context)} + " request timed out"}
                           : from_pool_error(e);
            on_resolved(self, id, tl::unexpected{std::move(why)});
          });
}

void on_image_done(pool_ptr self, request_state& r, pool::transfer_result result) {
  auto& st = self->state;
  auto const shown = core::redact_url(r.spec.target.to_string());
  if (result.status == 200) {
    image_fetch_reply reply;
    reply.bytes.data = std::make_shared<const std::vector<std::uint8_t>>(std::move(result.bytes));
    reply.content_type = std::move(result.content_type);
    reply.final_url = shown;
    reply.redirects = r.redirects;
    ++st.stats.succeeded;
    r.image.deliver(std::move(reply));
    auto const id = r.id; // erase() must not read the key of the node it destroys
    st.requests.erase(id);
    return;
  }
  if (result.status < 300 || result.status > 399) {
    return finish_request(self, r.id,
                          panel::error{errc::upstream, "Failed to download image from " + shown + ": " +
                                                           std::to_string(result.status)});
  }
  if (r.redirects >= max_image_redirects) {
    return finish_request(self, r.id, panel::error{errc::upstream, "Image URL redirected too many times"});
  }
  if (result.location.empty()) {
    return finish_request(self, r.id, panel::error{errc::upstream, "Image URL redirect missing Location: " + shown});
  }
  auto next = core::validate_redirect(r.spec.target, result.location, core::url_context::image_url, st.cfg.policy);
  if (!next) {
    return finish_request(self, r.id, next.error());
  }
  ++r.redirects;
  r.spec.target = std::move(*next);
  r.spec.addresses.clear();
  resolve(self, r.id);
}

void on_transfer_done(pool_ptr self, CURL* handle, CURLcode code) {
  auto& st = self->state;
  auto const found = st.on_wire.find(handle);
  if (found == st.on_wire.end()) {
    return;
  }
  auto const id = found->second;
  st.on_wire.erase(found);
  auto& r = st.requests.at(id);
  auto const t = std::move(r.wire);
  st.multi->remove(*t);
  st.stats.connections_opened += static_cast<std::uint64_t>(std::max(0L, t->connects()));
  auto result = t->finish(code, st.cfg.policy);
  if (!result) {
    return finish_request(self, id, result.error());
  }
  if (r.spec.kind == pool::transfer_kind::image) {
    return on_image_done(self, r, std::move(*result));
  }
  ++st.stats.succeeded;
  if (r.is_s3) {
    s3_reply reply;
    reply.status = static_cast<std::int32_t>(result->status);
    reply.etag = std::move(result->etag);
    reply.body.data = std::make_shared<const std::string>(std::move(result->text));
    r.s3.deliver(std::move(reply));
    st.requests.erase(id);
    return;
  }
  upstream_reply reply;
  reply.status = static_cast<std::int32_t>(result->status);
  reply.content_type = std::move(result->content_type);
  reply.body.data = std::make_shared<const std::string>(std::move(result->text));
  r.api.deliver(std::move(reply));
  st.requests.erase(id);
}

void tick(pool_ptr self) {
  auto& st = self->state;
  st.tick_pending = false;
  for (auto const& [handle, code] : st.multi->perform()) {
    on_transfer_done(self, handle, code);
  }
  if (st.multi->attached() > 0) {
    st.multi->poll(st.cfg.poll_interval);
    for (auto const& [handle, code] : st.multi->perform()) {
      on_transfer_done(self, handle, code);
    }
  }
  if (st.multi->attached() > 0) {
    schedule_tick(self);
  }
}

request_state& add_request(pool_ptr self, pool::transfer_spec spec, std::string const& cancel_key) {
  auto& st = self->state;
  auto const id = st.next_id++;
  auto& r = st.requests[id];
  r.id = id;
  r.cancel_key = cancel_key;
  r.deadline = steady::now() + spec.timeout;
  r.spec = std::move(spec);
  ++st.stats.requests;
  return r;
}

pool_impl::behavior_type pool_behavior(pool_ptr self, upstream_pool_config cfg) {
  self->state.cfg = std::move(cfg);
  self->state.multi = std::make_unique<pool::multi_loop>(self->state.cfg.max_host_connections,
                                                         self->state.cfg.max_cached_connections);
  return {
      [self](upstream_post_atom, upstream_post_request const& req) -> caf::result<upstream_reply> {
        auto spec = pool::api_spec(self->state.cfg, req);
        if (!spec) {
          return pool_error(spec.error());
        }
        auto& r = add_request(self, std::move(*spec), req.cancel_key);
        r.api = self->make_response_promise<upstream_reply>();
        auto promise = r.api; // resolve() may answer and erase `r` at once
        resolve(self, r.id);
        return promise;
      },
      [self](image_fetch_atom, image_fetch_request const& req) -> caf::result<image_fetch_reply> {
        auto& cfg = self->state.cfg;
        auto target = core::validate_url(req.url, core::url_context::image_url, cfg.policy);
        if (!target) {
          return pool_error(target.error());
        }
        pool::transfer_spec spec;
        spec.kind = pool::transfer_kind::image;
        spec.context = core::url_context::image_url;
        spec.target = std::move(*target);
        spec.method = "GET";
        spec.timeout = std::chrono::milliseconds{req.timeout_ms > 0 ? req.timeout_ms : cfg.image_timeout_ms};
        spec.connect_timeout = std::min(pool::max_connect_timeout, spec.timeout);
        spec.max_bytes = req.max_bytes > 0 ? req.max_bytes : cfg.max_image_bytes;
        auto& r = add_request(self, std::move(spec), req.cancel_key);
        r.image = self->make_response_promise<image_fetch_reply>();
        auto promise = r.image;
        resolve(self, r.id);
        return promise;
      },
      [self](s3_atom, s3_request const& req) -> caf::result<s3_reply> {
        auto spec = pool::s3_spec(self->state.cfg, req);
        if (!spec) {
          return pool_error(spec.error());
        }
        auto& r = add_request(self, std::move(*spec), req.cancel_key);
        r.is_s3 = true;
        r.s3 = self->make_response_promise<s3_reply>();
        auto promise = r.s3;
        resolve(self, r.id);
        return promise;
      },
      [self](upstream_cancel_atom, std::string const& key) -> std::uint64_t {
        std::vector<std::uint64_t> ids;
        for (auto const& [id, r] : self->state.requests) {
          if (!key.empty() && r.cancel_key == key) {
            ids.push_back(id);
          }
        }
        for (auto const id : ids) {
          finish_request(self, id, panel::error{errc::unavailable, "Upstream request cancelled"});
        }
        self->state.stats.cancelled += ids.size();
        return ids.size();
      },
      [self](upstream_stats_atom) {
        auto stats = self->state.stats;
        stats.in_flight = self->state.multi->attached();
        return stats;
      },
      [self](pool_tick_atom) { tick(self); },
  };
}

} // namespace

upstream_pool_config upstream_pool_config::from_config(core::config const& c) {
  upstream_pool_config out;
  out.policy = core::net_policy::from_config(c);
  out.extra_ca_file = c.extra_ca_file.string();
  out.max_json_bytes = static_cast<std::uint64_t>(std::max<std::int64_t>(1, c.max_upstream_json_mb)) << 20;
  out.max_image_bytes = static_cast<std::uint64_t>(std::max<std::int64_t>(1, c.max_file_size_mb)) << 20;
  return out;
}

upstream_pool_actor spawn_upstream_pool(caf::actor_system& sys, upstream_pool_config cfg) {
  return caf::actor_cast<upstream_pool_actor>(sys.spawn<caf::detached>(pool_behavior, std::move(cfg)));
}

} // namespace panel::actors
