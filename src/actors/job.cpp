// job (one per running job; scheduler thread, never blocks)
//   init:            edits: a one-shot detached helper reads the staged sources and
//                    builds the multipart body -> (edit_body_atom, body); then every
//                    child call starts.
//   child call i:    (permit_atom) to the supervisor -> POST through upstream_pool ->
//                    extract image refs -> per item (<= 3 at once): base64 decode or
//                    image_fetch -> [permit released once every item is fetched] ->
//                    codec validate -> store img_save (atomic file + gallery row).
//   progress:        (jprogress_atom, id, stage, message) to the supervisor.
//   all children:    (jdone_atom, id, result) to the supervisor, then quit.
//
// Fan-out (§4.4): generations, responses and chat with n > 1 make n calls of n=1,
// run concurrently under the supervisor's semaphore. Edits make ONE
// /v1/images/edits call with the requested n: the README-era behaviour the spec
// leaves open, and it sends the sources once instead of n times.

#include "actors/job.hpp"

#include "actors/errors.hpp"
#include "actors/job_internal.hpp"
#include "actors/job_request.hpp"
#include "codec/format.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/metrics.hpp"
#include "store/image_files.hpp"
#include "upstream/results.hpp"
#include "upstream/size_guard.hpp"

namespace panel::actors {

int child_call_count(job_spec const& spec) {
  if (spec.path == upstream::api_path::images_edits) {
    return 1;
  }
  return std::max(1, spec.params.n);
}

std::string format_duration(double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2fs", seconds < 0 ? 0.0 : seconds);
  return buf;
}

namespace {

using steady = std::chrono::steady_clock;

double ms_since(steady::time_point t) {
  return std::chrono::duration<double, std::milli>(steady::now() - t).count();
}

// One child upstream call and its result items.
struct child_call {
  int index = 1; ///< 1-based
  std::vector<upstream::image_ref> refs;
  std::size_t next_item = 0;
  int items_in_flight = 0;   ///< started, not yet saved or failed
  int fetches_pending = 0;   ///< items still downloading/decoding (permit held)
  bool permit_held = false;
  bool finished = false;     ///< folded into the job's result (exactly once)
  int saved = 0;
  std::vector<child_failure> item_failures;
};

struct job_state {
  std::shared_ptr<job_spec const> spec;
  job_deps deps;
  job_result result;
  int calls = 1;
  int calls_done = 0;
  std::string edit_content_type;
  std::shared_ptr<const std::string> edit_body;
  steady::time_point started = steady::now();
  std::map<int, std::shared_ptr<child_call>> children;
  bool done = false;
};

using job_ptr = caf::stateful_actor<job_state>*;

bool single(job_ptr self) {
  return self->state.calls == 1;
}

void progress(job_ptr self, std::string stage, std::string message) {
  self->send(self->state.deps.supervisor, jprogress_atom::value, self->state.spec->job_id, std::move(stage),
             std::move(message));
}

// Summed into the job's stage_timings, and one `job_stage.<key>` sample (§12.1).
void add_timing(job_ptr self, char const* key, double ms) {
  self->state.result.stage_timings[key] += ms;
  core::metrics::observe_ms(std::string("job_stage.") + key, ms);
}

std::string of(std::size_t i, std::size_t n) {
  return "(" + std::to_string(i) + "/" + std::to_string(n) + ")";
}

void start_child(job_ptr self, int index);
void next_items(job_ptr self, std::shared_ptr<child_call> const& c);

void finish_if_done(job_ptr self) {
  auto& st = self->state;
  if (st.done || st.calls_done < st.calls) {
    return;
  }
  st.done = true;
  self->send(st.deps.supervisor, jdone_atom::value, st.spec->job_id, make_local(std::move(st.result)));
  self->quit();
}

void release_permit(job_ptr self, child_call& c) {
  if (c.permit_held) {
    c.permit_held = false;
    self->send(self->state.deps.supervisor, permit_rel_atom::value, self->state.spec->job_id);
  }
}

// The child has nothing left in flight: fold its result into the job's.
void child_finished(job_ptr self, std::shared_ptr<child_call> const& c) {
  auto& st = self->state;
  if (c->finished) {
    return;
  }
  c->finished = true;
  release_permit(self, *c);
  bool const per_item = single(self) && c->refs.size() > 1;
  for (auto& f : c->item_failures) {
    if (!per_item) {
      f.index = c->index;
    }
  }
  if (per_item || c->saved == 0) {
    // One call with several images reports each failed image; a fan-out child
    // that saved nothing reports its first failure.
    if (per_item) {
      for (auto& f : c->item_failures) {
        st.result.failures.push_back(std::move(f));
      }
    } else if (!c->item_failures.empty()) {
      st.result.failures.push_back(std::move(c->item_failures.front()));
    }
  }
  st.children.erase(c->index);
  ++st.calls_done;
  if (!single(self) && st.calls_done < st.calls) {
    progress(self, "waiting_for_api",
             std::string(st.spec->edit ? "Editing images " : "Generating images ") + "(" +
                 std::to_string(st.calls_done) + "/" + std::to_string(st.calls) + " completed)");
  }
  finish_if_done(self);
}

void child_failed(job_ptr self, std::shared_ptr<child_call> const& c, std::string message, bool upstream_error) {
  c->item_failures.push_back(child_failure{c->index, std::move(message), upstream_error});
  child_finished(self, c);
}

void item_failed(job_ptr self, std::shared_ptr<child_call> const& c, std::size_t item, std::string message,
                 bool upstream_error) {
  c->item_failures.push_back(child_failure{static_cast<int>(item) + 1, std::move(message), upstream_error});
  --c->items_in_flight;
  next_items(self, c);
}

void fetch_done(job_ptr self, std::shared_ptr<child_call> const& c) {
  --c->fetches_pending;
  if (c->fetches_pending == 0 && c->next_item >= c->refs.size()) {
    release_permit(self, *c);
  }
}

void save_item(job_ptr self, std::shared_ptr<child_call> const& c, std::size_t item, validate_reply const& info,
               upstream::image_bytes bytes) {
  auto const& spec = *self->state.spec;
  auto const n = c->refs.size();
  if (single(self)) {
    progress(self, "saving_images",
             std::string(spec.edit ? "Saving edited images " : "Saving generated images ") + of(item + 1, n));
  }
  store::image_save_request req;
  req.bytes = std::move(bytes);
  req.dir = spec.images_dir;
  req.image_id = core::uuid4();
  req.filename = req.image_id + "." + std::string(codec::format_extension(info.format));
  auto& row = req.row;
  auto const now = std::chrono::system_clock::now();
  row.prompt = spec.params.prompt;
  row.size = spec.params.size;
  row.created_at = core::iso_utc(now);
  row.completed_at = core::iso_beijing(now);
  row.image_width = info.width;
  row.image_height = info.height;
  row.model = spec.params.model;
  row.quality = spec.params.quality;
  row.output_format = std::string(codec::format_name(info.format));
  if (spec.params.output_compression) {
    row.output_compression = *spec.params.output_compression;
  }
  if (spec.params.response_format) {
    row.response_format = *spec.params.response_format;
  }
  row.n = spec.params.n;
  row.api_path = std::string(upstream::to_string(spec.path));
  row.api_preset_name = spec.api_preset_name;
  row.duration = format_duration(ms_since(self->state.started) / 1000.0);
  auto const format = std::string(codec::format_name(info.format));
  auto const t0 = steady::now();
  self->request(self->state.deps.store, caf::infinite, img_save_atom::value, make_local(std::move(req)))
      .then(
          [self, c, t0, format](local_ptr<store::job_image> const& image) {
            add_timing(self, "db_insert", ms_since(t0));
            auto& res = self->state.result;
            if (res.images.empty()) {
              res.first_format = format;
            }
            res.images.push_back(*image);
            ++c->saved;
            --c->items_in_flight;
            next_items(self, c);
          },
          [self, c, item](caf::error const& err) {
            item_failed(self, c, item, from_caf_error(err).message, false);
          });
}

void validate_item(job_ptr self, std::shared_ptr<child_call> const& c, std::size_t item, upstream::image_bytes bytes) {
  auto const& spec = *self->state.spec;
  if (auto ok = upstream::check_image_size(bytes ? bytes->size() : 0, spec.max_image_bytes); !ok) {
    item_failed(self, c, item, ok.error().message, true);
    return;
  }
  if (single(self)) {
    progress(self, "validating_image_bytes", "Validating decoded image " + of(item + 1, c->refs.size()));
  }
  validate_request req;
  req.bytes = shared_blob{bytes};
  req.max_pixels = spec.max_pixels;
  req.max_bytes = spec.max_image_bytes;
  auto const t0 = steady::now();
  self->request(self->state.deps.codecs, caf::infinite, validate_atom::value, std::move(req))
      .then(
          [self, c, item, bytes, t0](validate_reply const& info) {
            add_timing(self, "validate", ms_since(t0));
            save_item(self, c, item, info, bytes);
          },
          [self, c, item](caf::error const& err) {
            item_failed(self, c, item, from_caf_error(err).message, false);
          });
}

void start_item(job_ptr self, std::shared_ptr<child_call> const& c, std::size_t item) {
  auto const& spec = *self->state.spec;
  auto const& ref = c->refs[item];
  auto const n = c->refs.size();
  ++c->items_in_flight;
  ++c->fetches_pending;
  auto const t0 = steady::now();
  if (upstream::is_inline(ref.kind)) {
    if (single(self)) {
      progress(self, "decoding_b64_json", "Decoding b64_json image " + of(item + 1, n));
    }
    auto decoded = upstream::decode_base64_image(ref.value, spec.max_image_bytes);
    add_timing(self, "download_decode", ms_since(t0));
    fetch_done(self, c);
    if (!decoded) {
      item_failed(self, c, item, decoded.error().message, true);
      return;
    }
    validate_item(self, c, item, std::move(*decoded));
    return;
  }
  if (single(self)) {
    progress(self, "downloading_image_url", "Downloading image URL " + of(item + 1, n));
  }
  image_fetch_request req;
  req.url = ref.value;
  req.max_bytes = spec.max_image_bytes;
  req.cancel_key = spec.job_id;
  self->request(self->state.deps.upstream, caf::infinite, image_fetch_atom::value, std::move(req))
      .then(
          [self, c, item, t0](image_fetch_reply const& got) {
            add_timing(self, "download_decode", ms_since(t0));
            fetch_done(self, c);
            validate_item(self, c, item, got.bytes.data);
          },
          [self, c, item](caf::error const& err) {
            fetch_done(self, c);
            // Every download failure (SSRF refusals included) concerns upstream data.
            item_failed(self, c, item, from_caf_error(err).message, true);
          });
}

// Starts items up to the concurrency limit; finishes the child when all are done.
void next_items(job_ptr self, std::shared_ptr<child_call> const& c) {
  auto const limit = std::max(1, self->state.spec->max_parallel_items);
  while (c->next_item < c->refs.size() && c->items_in_flight < limit) {
    start_item(self, c, c->next_item++);
  }
  if (c->next_item >= c->refs.size() && c->fetches_pending == 0) {
    release_permit(self, *c);
  }
  if (c->next_item >= c->refs.size() && c->items_in_flight == 0) {
    child_finished(self, c);
  }
}

void on_reply(job_ptr self, std::shared_ptr<child_call> const& c, upstream_reply const& reply) {
  auto const& spec = *self->state.spec;
  if (single(self)) {
    progress(self, "received_api_response", "Received upstream API response");
    progress(self, "parsing_json_response", spec.path == upstream::api_path::chat_completions
                                                ? "Parsing upstream response"
                                                : "Parsing JSON response");
    progress(self, std::string(extract_stage(spec.path)), std::string(extract_message(spec.path)));
  }
  std::string_view const body = reply.body.data ? std::string_view{*reply.body.data} : std::string_view{};
  auto refs = upstream::extract_images(spec.path, reply.status, reply.content_type, body, spec.api_key);
  if (!refs) {
    child_failed(self, c, refs.error().message, refs.error().code != errc::internal);
    return;
  }
  if (refs->empty()) {
    child_failed(self, c, "No image data in upstream response", true);
    return;
  }
  c->refs = std::move(*refs);
  next_items(self, c);
}

void start_child(job_ptr self, int index) {
  auto c = std::make_shared<child_call>();
  c->index = index;
  self->state.children[index] = c;
  self->request(self->state.deps.supervisor, caf::infinite, permit_atom::value, self->state.spec->job_id)
      .then(
          [self, c](bool granted) {
            if (!granted) {
              child_failed(self, c, "Generation job is no longer active", false);
              return;
            }
            c->permit_held = true;
            auto const& spec = *self->state.spec;
            if (single(self)) {
              if (spec.edit) {
                progress(self, "uploading_edit_image",
                         spec.sources.size() > 1 ? "Uploading source images and edit parameters"
                                                 : "Uploading source image and edit parameters");
              }
              progress(self, "waiting_for_api", "Waiting for upstream API response");
            }
            auto const t0 = steady::now();
            auto const& st = self->state;
            self->request(st.deps.upstream, caf::infinite, upstream_post_atom::value,
                          make_upstream_request(spec, st.edit_body, st.edit_content_type))
                .then(
                    [self, c, t0](upstream_reply const& reply) {
                      add_timing(self, "upstream_wait", ms_since(t0));
                      on_reply(self, c, reply);
                    },
                    [self, c, t0](caf::error const& err) {
                      add_timing(self, "upstream_wait", ms_since(t0));
                      // Transport failures, caps and SSRF refusals of the upstream
                      // URL are all upstream errors for the job.
                      child_failed(self, c, from_caf_error(err).message, true);
                    });
          },
          [self, c](caf::error const& err) { child_failed(self, c, from_caf_error(err).message, false); });
}

void start_children(job_ptr self) {
  for (int i = 1; i <= self->state.calls; ++i) {
    start_child(self, i);
  }
}

} // namespace

caf::actor spawn_job(caf::actor_system& sys, std::shared_ptr<job_spec const> spec, job_deps deps) {
  return sys.spawn([spec, deps](caf::stateful_actor<job_state>* self) -> caf::behavior {
    self->state.spec = spec;
    self->state.deps = deps;
    self->state.calls = child_call_count(*spec);
    auto const [stage, message] = building_stage(*spec);
    if (self->state.calls == 1) {
      progress(self, stage, message);
    } else {
      progress(self, "waiting_for_api",
               std::string(spec->edit ? "Editing images " : "Generating images ") + "(0/" +
                   std::to_string(self->state.calls) + " completed)");
    }
    if (spec->path == upstream::api_path::images_edits) {
      auto job = caf::actor_cast<caf::actor>(self);
      self->system().spawn<caf::detached>([spec, job](caf::event_based_actor*) {
        caf::anon_send(job, edit_body_atom::value, read_edit_body(*spec));
      });
    } else {
      start_children(self);
    }
    return {
        [self](edit_body_atom, local_ptr<edit_body> const& body) {
          auto& st = self->state;
          if (!body || !body->error.empty() || !body->body) {
            st.result.failures.push_back(
                child_failure{1, body && !body->error.empty() ? body->error : "Failed to build the edit request", false});
            st.calls_done = st.calls;
            finish_if_done(self);
            return;
          }
          st.edit_content_type = body->content_type;
          st.edit_body = body->body;
          start_children(self);
        },
    };
  });
}

} // namespace panel::actors
