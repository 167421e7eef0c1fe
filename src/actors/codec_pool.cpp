// codec_pool, in messages:
//   (validate_atom,  validate_request)  -> validate_reply  | caf::error (panel errc)
//   (thumb_atom,     thumb_request)     -> thumb_reply     | caf::error
//   (transcode_atom, transcode_request) -> transcode_reply | caf::error
//   (pool_stat_atom)                    -> codec_pool_stats
// The dispatcher forwards the first three to the worker with the fewest
// requests in flight and delivers the worker's answer through a response
// promise; workers run the codec functions on their own (detached) threads.

#include "actors/codec_pool.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/make_message.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <algorithm>
#include <thread>

#include "codec/thumbnail.hpp"
#include "codec/transcode.hpp"
#include "codec/validate.hpp"
#include "actors/errors.hpp"
#include "core/expected.hpp"

namespace panel::actors {

namespace {

caf::error missing_bytes() { return to_caf_error(panel::error{errc::bad_request, "No image data"}); }

// `index` is only there because CAF 0.17.6 dereferences a null argument tuple
// when it spawns a function actor without arguments (UBSan reports it in
// init_fun_factory.hpp); with one argument the tuple exists.
codec_pool_actor::behavior_type codec_worker(codec_pool_actor::pointer, std::size_t /*index*/) {
  return {
      [](validate_atom, const validate_request& r) -> caf::result<validate_reply> {
        if (!r.bytes.data) {
          return missing_bytes();
        }
        auto info = codec::validate(*r.bytes.data, codec::limits{r.max_pixels, r.max_bytes});
        if (!info) {
          return to_caf_error(info.error());
        }
        return validate_reply{info->format, info->width, info->height, info->bytes};
      },
      [](thumb_atom, const thumb_request& r) -> caf::result<thumb_reply> {
        if (!r.bytes.data) {
          return missing_bytes();
        }
        codec::thumbnail_options o;
        o.max_side = r.max_side;
        o.webp = codec::webp_options{r.quality, r.method};
        o.lim = codec::limits{r.max_pixels, r.max_bytes};
        auto t = codec::thumbnail(*r.bytes.data, o);
        if (!t) {
          return to_caf_error(t.error());
        }
        return thumb_reply{shared_blob{codec::share(std::move(t->webp))}, t->width, t->height};
      },
      [](transcode_atom, const transcode_request& r) -> caf::result<transcode_reply> {
        auto t = codec::transcode_for_upstream(r.bytes.data, codec::limits{r.max_pixels, r.max_bytes});
        if (!t) {
          return to_caf_error(t.error());
        }
        return transcode_reply{shared_blob{t->bytes}, t->source_format, t->format, t->transcoded};
      },
      [](pool_stat_atom) -> codec_pool_stats { return codec_pool_stats{1, 0, {}}; },
  };
}

struct dispatcher_state {
  std::vector<codec_pool_actor> workers;
  std::vector<std::uint64_t> in_flight;
  std::vector<std::uint64_t> completed;
  std::size_t next = 0;  // where the least-busy search starts, so ties rotate
  static inline const char* name = "codec_pool";
};

using dispatcher = codec_pool_actor::stateful_pointer<dispatcher_state>;

std::size_t least_busy(dispatcher_state& s) {
  const std::size_t n = s.workers.size();
  std::size_t best = s.next % n;
  for (std::size_t k = 1; k < n; ++k) {
    const std::size_t i = (s.next + k) % n;
    if (s.in_flight[i] < s.in_flight[best]) {
      best = i;
    }
  }
  s.next = best + 1;
  return best;
}

// Forwards one request and keeps the in-flight count honest on both paths.
template <class Reply, class Atom, class Request>
caf::typed_response_promise<Reply> forward(dispatcher self, Atom atom, const Request& request) {
  auto promise = self->template make_response_promise<Reply>();
  const std::size_t i = least_busy(self->state);
  ++self->state.in_flight[i];
  self->request(self->state.workers[i], caf::infinite, atom, request)
      .then(
          [self, i, promise](Reply& reply) mutable {
            --self->state.in_flight[i];
            ++self->state.completed[i];
            promise.deliver(std::move(reply));
          },
          [self, i, promise](caf::error& err) mutable {
            --self->state.in_flight[i];
            ++self->state.completed[i];
            promise.deliver(std::move(err));
          });
  return promise;
}

codec_pool_actor::behavior_type codec_dispatcher(dispatcher self, std::vector<codec_pool_actor> workers) {
  self->state.workers = std::move(workers);
  self->state.in_flight.assign(self->state.workers.size(), 0);
  self->state.completed.assign(self->state.workers.size(), 0);
  // Workers must not outlive the pool, whatever the reason it stops.
  self->attach_functor([ws = self->state.workers](const caf::error&) {
    for (const auto& w : ws) {
      caf::anon_send_exit(w, caf::exit_reason::user_shutdown);
    }
  });
  return {
      [self](validate_atom a, const validate_request& r) { return forward<validate_reply>(self, a, r); },
      [self](thumb_atom a, const thumb_request& r) { return forward<thumb_reply>(self, a, r); },
      [self](transcode_atom a, const transcode_request& r) { return forward<transcode_reply>(self, a, r); },
      [self](pool_stat_atom) {
        codec_pool_stats s;
        s.workers = static_cast<std::uint32_t>(self->state.workers.size());
        for (const auto n : self->state.in_flight) {
          s.in_flight += n;
        }
        s.completed = self->state.completed;
        return s;
      },
  };
}

} // namespace

codec_pool_actor spawn_codec_pool(caf::actor_system& sys, std::size_t workers) {
  if (workers == 0) {
    workers = std::max<std::size_t>(1, std::thread::hardware_concurrency());
  }
  std::vector<codec_pool_actor> pool;
  pool.reserve(workers);
  for (std::size_t i = 0; i < workers; ++i) {
    // Detached: each worker owns a thread, so decoding never occupies a
    // scheduler thread that ordinary actors need.
    pool.push_back(sys.spawn<caf::detached>(codec_worker, i));
  }
  return sys.spawn(codec_dispatcher, std::move(pool));
}

} // namespace panel::actors
