#pragma once
// codec_pool: where CPU-bound image work runs (ARCHITECTURE.md §3). One
// dispatcher on the scheduler (tiny handlers: pick the least busy worker,
// forward, deliver) in front of N workers spawned `detached`, each on its own
// thread, sized to the cores. Image bytes travel as shared_blob (shared
// immutable buffers, actors/messages.hpp); nothing is copied between actors. Errors travel as caf::error with category
// "panel", code = panel::errc, message in the context (same layout as
// actors/bridge.hpp, so from_caf_error() maps them).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <caf/atom.hpp>
#include <caf/fwd.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "actors/messages.hpp"
#include "codec/format.hpp"
#include "codec/image.hpp"

namespace panel::actors {

/// Atoms of the codec pool (CAF 0.17: at most 10 characters).
using validate_atom = caf::atom_constant<caf::atom("validate")>;
using thumb_atom = caf::atom_constant<caf::atom("thumb")>;
using transcode_atom = caf::atom_constant<caf::atom("transcode")>;
using pool_stat_atom = caf::atom_constant<caf::atom("poolstat")>;

/// validate(): MAX_IMAGE_PIXELS / MAX_FILE_SIZE_MB for this request.
struct validate_request {
  shared_blob bytes;
  std::uint64_t max_pixels = 100'000'000;
  std::uint64_t max_bytes = 50ull << 20;
};

/// codec::image_info as a message.
struct validate_reply {
  codec::image_format format = codec::image_format::png;
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::uint64_t bytes = 0;
};

/// thumbnail(): THUMBNAIL_MAX_SIDE, WebP quality/method and the limits.
struct thumb_request {
  shared_blob bytes;
  std::uint32_t max_side = 512;
  float quality = 82.0f;
  std::int32_t method = 4;
  std::uint64_t max_pixels = 100'000'000;
  std::uint64_t max_bytes = 50ull << 20;
};

/// The WebP thumbnail and its size.
struct thumb_reply {
  shared_blob webp;
  std::uint32_t width = 0;
  std::uint32_t height = 0;
};

/// transcode_for_upstream() of one edit source.
struct transcode_request {
  shared_blob bytes;
  std::uint64_t max_pixels = 100'000'000;
  std::uint64_t max_bytes = 50ull << 20;
};

/// codec::transcode_result as a message (`bytes` is the input buffer itself
/// when passed through).
struct transcode_reply {
  shared_blob bytes;
  codec::image_format source_format = codec::image_format::png;
  codec::image_format format = codec::image_format::png;
  bool transcoded = false;
};

/// Load of the pool, for metrics and tests.
struct codec_pool_stats {
  std::uint32_t workers = 0;
  std::uint64_t in_flight = 0;
  std::vector<std::uint64_t> completed;  ///< per worker
};

/// CAF inspection of the messages above (to_string, and serialisation should
/// they ever cross a process boundary).
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, validate_request& x) {
  return f(caf::meta::type_name("validate_request"), x.bytes, x.max_pixels, x.max_bytes);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, validate_reply& x) {
  return f(caf::meta::type_name("validate_reply"), x.format, x.width, x.height, x.bytes);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, thumb_request& x) {
  return f(caf::meta::type_name("thumb_request"), x.bytes, x.max_side, x.quality, x.method, x.max_pixels,
           x.max_bytes);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, thumb_reply& x) {
  return f(caf::meta::type_name("thumb_reply"), x.webp, x.width, x.height);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, transcode_request& x) {
  return f(caf::meta::type_name("transcode_request"), x.bytes, x.max_pixels, x.max_bytes);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, transcode_reply& x) {
  return f(caf::meta::type_name("transcode_reply"), x.bytes, x.source_format, x.format, x.transcoded);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, codec_pool_stats& x) {
  return f(caf::meta::type_name("codec_pool_stats"), x.workers, x.in_flight, x.completed);
}

/// The typed interface of the pool (and of each worker behind it).
using codec_pool_actor =
    caf::typed_actor<caf::replies_to<validate_atom, validate_request>::with<validate_reply>,
                     caf::replies_to<thumb_atom, thumb_request>::with<thumb_reply>,
                     caf::replies_to<transcode_atom, transcode_request>::with<transcode_reply>,
                     caf::replies_to<pool_stat_atom>::with<codec_pool_stats>>;

/// Spawns the dispatcher and `workers` detached workers (0: one per hardware
/// thread). The workers live as long as the dispatcher; ask the returned
/// handle from any actor (never block an io thread on it).
[[nodiscard]] codec_pool_actor spawn_codec_pool(caf::actor_system& sys, std::size_t workers = 0);

} // namespace panel::actors
