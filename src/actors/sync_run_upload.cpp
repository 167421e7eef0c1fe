// sync_run's uploads: one row whose object the listing did not show.
//   HeadObject (200: it exists by now, skip; 404: go on)
//   -> a reader hashes the file (SHA-256 and size in one read)
//   -> PutObject streamed from the file by the pool, the hash as the signed payload
//      hash and in the metadata (gallery-id, sha256, bytes).
// Each outcome settles the row with upload_done.

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/errors.hpp"
#include "actors/sync_run_state.hpp"
#include "codec/format.hpp"
#include "core/logging.hpp"
#include "store/sync_sources.hpp"
#include "upstream/s3_calls.hpp"

namespace panel::actors::sync_detail {

namespace {

constexpr std::int64_t head_timeout_ms = 30'000;
// PutObject: a minute plus the time the file takes at 128 KiB/s.
constexpr std::int64_t put_base_timeout_ms = 60'000;
constexpr std::int64_t put_bytes_per_ms = 128;

void record_failure(run_actor self, std::string const& filename, std::string why) {
  auto& s = status_of(self);
  ++s.failed_count;
  ++s.compared_count;
  if (self->state.failures.size() < 3) {
    self->state.failures.emplace_back(filename, std::move(why));
  }
  core::log_warning("R2 sync " + s.job_id + ": upload of " + filename + " failed");
}

std::string content_type_of(std::string const& filename) {
  auto const dot = filename.rfind('.');
  if (dot != std::string::npos) {
    if (auto const f = codec::format_from_extension(filename.substr(dot + 1))) {
      return std::string{codec::format_mime(*f)};
    }
  }
  return "application/octet-stream";
}

void put_file(run_actor self, upload_job job, store::file_digest digest) {
  auto const& t = self->state.target;
  auto const call = upstream::put_object(t.bucket, job.key, content_type_of(job.filename), digest.sha256_hex,
                                         {{"gallery-id", job.id},
                                          {"sha256", digest.sha256_hex},
                                          {"bytes", std::to_string(digest.size)}});
  auto const timeout = put_base_timeout_ms + digest.size / put_bytes_per_ms;
  auto req = t.request(call, timeout);
  req.file_path = (self->state.images_dir / job.filename).string();
  req.file_size = static_cast<std::uint64_t>(digest.size);
  req.cancel_key = topic_of(self);
  auto const size = digest.size;
  self->request(self->state.deps.upstream, std::chrono::milliseconds{timeout} + ask_margin, s3_atom::value,
                std::move(req))
      .then(
          [self, job, size](s3_reply const& reply) {
            if (self->state.ended) {
              return;
            }
            auto& s = status_of(self);
            if (reply.status >= 200 && reply.status < 300) {
              ++s.uploaded_count;
              ++s.compared_count;
              s.bytes_uploaded += size;
            } else {
              record_failure(self, job.filename, failure_text(self, reply));
            }
            upload_done(self);
          },
          [self, job](caf::error const& err) {
            if (self->state.ended) {
              return;
            }
            record_failure(self, job.filename, from_caf_error(err).message);
            upload_done(self);
          });
}

void hash_and_put(run_actor self, upload_job job) {
  auto digest = std::make_shared<std::optional<store::file_digest>>();
  auto const path = self->state.images_dir / job.filename;
  reader_task task = [digest, path](store::database&) { *digest = store::digest_file(path); };
  self->request(self->state.deps.readers.next(), store_timeout, read_atom::value, make_local(std::move(task)))
      .then(
          [self, job, digest](bool) {
            if (self->state.ended) {
              return;
            }
            if (!*digest) {
              // Deleted since the run listed it: nothing to back up any more.
              auto& s = status_of(self);
              ++s.missing_local_count;
              ++s.compared_count;
              return upload_done(self);
            }
            put_file(self, job, std::move(**digest));
          },
          [self, job](caf::error const& err) {
            if (self->state.ended) {
              return;
            }
            record_failure(self, job.filename, "Could not read the file: " + from_caf_error(err).message);
            upload_done(self);
          });
}

} // namespace

// HeadObject right before the upload: an object that appeared since the listing
// (another panel, a retry) is left alone.
void start_upload(run_actor self, upload_job job) {
  ++self->state.in_flight;
  auto const& t = self->state.target;
  auto req = t.request(upstream::head_object(t.bucket, job.key), head_timeout_ms);
  req.cancel_key = topic_of(self);
  self->request(self->state.deps.upstream, std::chrono::milliseconds{head_timeout_ms} + ask_margin, s3_atom::value,
                std::move(req))
      .then(
          [self, job](s3_reply const& reply) {
            if (self->state.ended) {
              return;
            }
            if (reply.status == 200) {
              auto& s = status_of(self);
              ++s.skipped_existing_count;
              ++s.compared_count;
              return upload_done(self);
            }
            if (reply.status == 404) {
              return hash_and_put(self, job);
            }
            record_failure(self, job.filename, "HeadObject failed: " + failure_text(self, reply));
            upload_done(self);
          },
          [self, job](caf::error const& err) {
            if (self->state.ended) {
              return;
            }
            record_failure(self, job.filename, from_caf_error(err).message);
            upload_done(self);
          });
}


} // namespace panel::actors::sync_detail
