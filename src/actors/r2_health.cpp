// r2_health, in messages:
//   (r2_probe_atom) -> report JSON: runs the §11.2 checks, answers, quits.
// Steps after the two local checks, each one pool request that must succeed
// before the next starts:
//   head_bucket -> list_prefix (MaxKeys=1) -> write_probe (PUT "ok") -> delete_probe.
// A pool error (SSRF refusal, timeout, connection failure) counts like an S3
// error answer. The delete step only turns the report into a warning.

#include "actors/r2_health.hpp"

#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <chrono>
#include <functional>

#include "actors/errors.hpp"
#include "actors/r2_config.hpp"
#include "core/crypto.hpp"
#include "core/json_writer.hpp"
#include "upstream/s3_errors.hpp"
#include "upstream/s3_xml.hpp"

namespace panel::actors {

namespace {

struct health_state {
  // Not an aggregate: CAF would try to build it from the actor pointer.
  health_state() = default;

  upstream_pool_actor pool;
  store::r2_settings settings;
  core::net_policy policy;
  r2_target target;
  std::vector<r2_check> checks;
  std::string probe_key;
  caf::typed_response_promise<std::string> promise;
  bool started = false;
  static inline char const* name = "r2_health";
};

using health_actor = r2_health_actor::stateful_pointer<health_state>;

// What went wrong with one step: the S3 answer or the pool's error, worded.
using step_result = expected<s3_reply>;
using step_next = std::function<void(health_actor, s3_reply const&)>;

int severity(std::string const& status) {
  return status == "error" ? 2 : status == "warning" ? 1 : 0;
}

void finish(health_actor self) {
  self->state.promise.deliver(r2_health_json(self->state.checks));
  self->quit();
}

void add(health_actor self, std::string name, std::string status, std::string message) {
  self->state.checks.push_back(r2_check{std::move(name), std::move(status), std::move(message)});
}

std::string failure_text(health_actor self, s3_reply const& reply) {
  auto const& t = self->state.target;
  return upstream::s3_error_message(reply.status, reply.body.data ? *reply.body.data : std::string{},
                                    {t.access_key_id, t.secret_access_key});
}

// Sends `call`; a 2xx answer goes to `next`, anything else becomes the check
// `name` with `status` and `prefix` + the reason, and the report ends.
void step(health_actor self, upstream::s3_call const& call, std::shared_ptr<const std::string> body,
          std::string name, std::string fail_status, std::string prefix, step_next next) {
  auto req = self->state.target.request(call, r2_health_request_timeout_ms);
  req.body.data = std::move(body);
  auto const wait = std::chrono::milliseconds{r2_health_request_timeout_ms + 5'000};
  self->request(self->state.pool, wait, s3_atom::value, std::move(req))
      .then(
          [self, name, fail_status, prefix, next](s3_reply const& reply) {
            if (reply.status >= 200 && reply.status < 300) {
              return next(self, reply);
            }
            add(self, name, fail_status, prefix + failure_text(self, reply));
            finish(self);
          },
          [self, name, fail_status, prefix](caf::error const& err) {
            add(self, name, fail_status, prefix + from_caf_error(err).message);
            finish(self);
          });
}

void delete_probe(health_actor self) {
  auto const& t = self->state.target;
  step(self, upstream::delete_object(t.bucket, self->state.probe_key), nullptr, "delete_probe", "warning",
       "Probe object was written but cleanup failed: ", [](health_actor self, s3_reply const&) {
         add(self, "delete_probe", "ok", "Probe object cleanup succeeded");
         finish(self);
       });
}

void write_probe(health_actor self) {
  auto const& t = self->state.target;
  self->state.probe_key = upstream::probe_object_key(t.key_prefix, core::random_hex32());
  auto body = std::make_shared<const std::string>("ok");
  auto const call = upstream::put_object(t.bucket, self->state.probe_key, "text/plain", core::to_hex(core::sha256(*body)));
  step(self, call, body, "write_probe", "error", "Probe object write failed: ",
       [](health_actor self, s3_reply const&) {
         add(self, "write_probe", "ok", "Probe object write succeeded");
         delete_probe(self);
       });
}

void list_prefix(health_actor self) {
  auto const& t = self->state.target;
  step(self, upstream::list_objects(t.bucket, t.key_prefix, "", 1), nullptr, "list_prefix", "error",
       "ListObjectsV2 failed: ", [](health_actor self, s3_reply const& reply) {
         auto page = upstream::parse_list_objects(reply.body.data ? *reply.body.data : std::string{});
         if (!page) {
           add(self, "list_prefix", "error", "ListObjectsV2 failed: " + page.error().message);
           return finish(self);
         }
         add(self, "list_prefix", "ok", "Prefix-scoped object listing succeeded");
         write_probe(self);
       });
}

void head_bucket(health_actor self) {
  step(self, upstream::head_bucket(self->state.target.bucket), nullptr, "head_bucket", "error",
       "HeadBucket failed: ", [](health_actor self, s3_reply const&) {
         add(self, "head_bucket", "ok", "Bucket exists and credentials can access it");
         list_prefix(self);
       });
}

void run(health_actor self) {
  auto& st = self->state;
  if (auto ok = check_r2_configuration(st.settings); !ok) {
    add(self, "configuration", "error", ok.error().message);
    return finish(self);
  }
  add(self, "configuration", "ok", "R2 configuration is complete");
  auto target = make_r2_target(st.settings, st.policy);
  if (!target) {
    add(self, "client", "error", target.error().message);
    return finish(self);
  }
  st.target = std::move(*target);
  head_bucket(self);
}

r2_health_actor::behavior_type health_behavior(health_actor self, upstream_pool_actor pool,
                                               store::r2_settings settings, core::net_policy policy) {
  self->state.pool = std::move(pool);
  self->state.settings = std::move(settings);
  self->state.policy = std::move(policy);
  return {
      [self](r2_probe_atom) -> caf::result<std::string> {
        if (self->state.started) {
          return actor_error(errc::conflict, "The R2 probe already ran");
        }
        self->state.started = true;
        self->state.promise = self->make_response_promise<std::string>();
        auto promise = self->state.promise;
        run(self);
        return promise;
      },
  };
}

} // namespace

std::string r2_health_json(std::vector<r2_check> const& checks) {
  std::string overall = "ok";
  for (auto const& c : checks) {
    if (severity(c.status) > severity(overall)) {
      overall = c.status;
    }
  }
  core::json_writer w;
  w.begin_object().field("status", overall).key("checks").begin_array();
  for (auto const& c : checks) {
    w.begin_object().field("name", c.name).field("status", c.status).field("message", c.message).end_object();
  }
  w.end_array().end_object();
  return std::move(w).str();
}

r2_health_actor spawn_r2_health(caf::actor_system& sys, upstream_pool_actor pool, store::r2_settings settings,
                                core::net_policy policy) {
  return sys.spawn(health_behavior, std::move(pool), std::move(settings), std::move(policy));
}

} // namespace panel::actors
