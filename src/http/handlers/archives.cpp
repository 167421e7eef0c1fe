// ZIP archives (spec §3.8 batch download, §3.10, §5.5, §9): download-all and
// the batch download stream a stored ZIP with its exact Content-Length (the
// plan is made on a reader, the files are read in 256 KiB pieces as the client
// takes them); tracked export jobs belong to export_supervisor; an import is
// streamed to a temporary file and then run by a detached one-shot actor
// (http/archive_import).

#include <caf/actor_cast.hpp>
#include <caf/blocking_actor.hpp>
#include <simdjson.h>

#include "actors/bridge.hpp"
#include "actors/export_supervisor.hpp"
#include "actors/handles.hpp"
#include "actors/runtime.hpp"
#include "actors/sse_subscriber.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/json_writer.hpp"
#include "core/logging.hpp"
#include "core/strings.hpp"
#include "core/version.hpp"
#include "http/app.hpp"
#include "http/archive_import.hpp"
#include "http/archive_response.hpp"
#include "http/errors.hpp"
#include "http/sse_response.hpp"
#include "http/file_source.hpp"
#include "http/form_upload.hpp"
#include "http/gallery_request.hpp"
#include "store/archive_plan.hpp"
#include "store/gallery_jobs_repo.hpp"
#include "store/image_files.hpp"

namespace panel::http {

namespace {

constexpr auto ask_timeout = std::chrono::seconds(30);
constexpr std::uint64_t mib = 1024 * 1024;
constexpr std::string_view job_not_found = "Gallery export job not found";

struct archive_context {
  std::filesystem::path streams_dir; ///< metadata.json of streamed downloads
  std::filesystem::path uploads_dir; ///< uploaded import archives
};

// A batch download's export slot, given back when the stream ends in any way.
struct export_slot {
  actors::export_supervisor_actor exports;
  explicit export_slot(actors::export_supervisor_actor e) : exports(std::move(e)) {}
  export_slot(export_slot const&) = delete;
  export_slot& operator=(export_slot const&) = delete;
  ~export_slot() { caf::anon_send(exports, actors::export_slot_rel_atom::value); }
};

std::string media_type(request const& req) {
  auto const ct = req.headers.get("Content-Type").value_or("");
  return core::to_lower(core::trim(ct.substr(0, ct.find(';'))));
}

response internal(std::string_view what, error const& e) {
  core::log_error(std::string(what) + " failed: " + e.message);
  return internal_error_response();
}

store::plan_request plan_for(app const& a, archive_context const& ctx) {
  store::plan_request req;
  req.images_dir = a.cfg.images_dir;
  req.metadata_path = ctx.streams_dir / ("stream-" + core::random_hex32() + ".metadata.tmp");
  req.app_version = core::current_version(a.cfg);
  req.exported_at = core::now_iso_utc();
  return req;
}

// The SSE response of §5.5 after the subscriber-limit check: a finished job's
// status once; a running job's through export_supervisor, which sends the
// current status and subscribes the stream (nothing falls in between).
response export_events(app& a, std::string const& client_ip, store::gallery_job_record const& job) {
  actors::sse_subscription sub;
  sub.topic = "export:" + job.job_id;
  if (job.terminal()) {
    sub.first_event = sse_event("export", store::export_job_json(job));
    sub.first_is_last = true;
  } else {
    sub.via = caf::actor_cast<caf::actor>(a.runtime.actors().exports);
  }
  return open_sse(a, client_ip, "export", std::move(sub));
}

// The optional body of POST /api/gallery/export-jobs: nothing, `{}`, `{"ids": null}`
// (the whole gallery) or `{"ids": [...]}` (GalleryBatchRequest rules).
expected<std::optional<std::vector<std::string>>> parse_export_body(std::string_view body) {
  using selection = std::optional<std::vector<std::string>>;
  if (core::trim(body).empty()) {
    return selection{};
  }
  simdjson::dom::parser parser;
  simdjson::padded_string text{body};
  simdjson::dom::element doc;
  if (parser.parse(text).get(doc) == simdjson::SUCCESS) {
    simdjson::dom::object root;
    if (doc.is_null()) {
      return selection{};
    }
    if (doc.get(root) == simdjson::SUCCESS) {
      simdjson::dom::element ids;
      bool const has_ids = root["ids"].get(ids) == simdjson::SUCCESS;
      if (root.size() == (has_ids ? 1u : 0u) && (!has_ids || ids.is_null())) {
        return selection{};
      }
    }
  }
  auto batch = parse_gallery_batch(body, false);
  if (!batch) {
    return tl::unexpected(batch.error());
  }
  return selection{std::move(batch->ids)};
}

// Removes stale files a previous process left in `dir` (staged uploads and
// stream metadata are never resumed), then makes sure it exists, private.
void prepare_dir(std::filesystem::path const& dir) {
  std::error_code ec;
  std::size_t removed = 0;
  for (auto const& entry : std::filesystem::directory_iterator{dir, ec}) {
    std::error_code e;
    if (entry.is_regular_file(e) && std::filesystem::remove(entry.path(), e)) {
      ++removed;
    }
  }
  if (removed > 0) {
    core::log_info("removed " + std::to_string(removed) + " stale file(s) from " + dir.string());
  }
  std::filesystem::create_directories(dir, ec);
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
}

void register_export_routes(app& a, std::shared_ptr<archive_context> ctx) {
  a.routes.add(
      "POST", "/api/gallery/export-jobs",
      {"Start a tracked gallery ZIP export (optionally of selected ids)", "archives", true, "json",
       {202, 401, 404, 422, 429}},
      [&a, ctx](request& req, responder reply) {
        auto ids = parse_export_body(req.body);
        if (!ids) {
          reply(error_response(ids.error()));
          return;
        }
        auto& sys = a.runtime.system();
        actors::on_reader(a.runtime.actors(), reply,
                          [&sys, exports = a.runtime.actors().exports, reply, ids = std::move(*ids)](store::database& db) {
                            actors::export_request er;
                            er.ids = ids;
                            auto const found = ids ? store::existing_row_count(db, *ids) : store::gallery_row_count(db);
                            if (!found) {
                              reply(internal("export job admission", found.error()));
                              return;
                            }
                            if (*found == 0) {
                              reply(error_response(404, ids ? "Gallery entries not found" : "No images in gallery"));
                              return;
                            }
                            er.requested_count = ids ? static_cast<std::int64_t>(ids->size()) : *found;
                            actors::ask(
                                sys, exports, ask_timeout,
                                [reply](std::string const& json) { reply(response::json(202, json)); },
                                actors::error_reply(reply), actors::export_create_atom::value,
                                actors::make_local(std::move(er)));
                          });
      });

  // Reads the job on a reader, then answers with `respond(job)`.
  auto with_job = [&a](request& req, responder reply,
                       std::function<void(store::gallery_job_record const&, responder)> respond) {
    auto const id = req.params["job_id"];
    actors::on_reader(a.runtime.actors(), reply, [id, reply, respond](store::database& db) {
      auto job = store::gallery_jobs_repo{db}.get("export", id);
      if (!job) {
        reply(internal("reading an export job", job.error()));
        return;
      }
      if (!*job) {
        reply(error_response(404, job_not_found));
        return;
      }
      respond(**job, reply);
    });
  };

  a.routes.add("GET", "/api/gallery/export-jobs/{job_id}",
               {"A tracked export's status", "archives", true, "", {200, 401, 404}},
               [with_job](request& req, responder reply) {
                 with_job(req, reply, [](store::gallery_job_record const& job, responder r) {
                   r(response::json(200, store::export_job_json(job)));
                 });
               });

  a.routes.add("GET", "/api/gallery/export-jobs/{job_id}/events",
               {"A tracked export's progress (SSE)", "archives", true, "", {200, 401, 404, 429}},
               [&a, with_job](request& req, responder reply) {
                 auto const ip = req.client_ip;
                 with_job(req, reply, [&a, ip](store::gallery_job_record const& job, responder r) {
                   r(export_events(a, ip, job));
                 });
               });

  a.routes.add(
      "GET", "/api/gallery/export-jobs/{job_id}/download",
      {"Download a finished export once (Content-Length, count headers)", "archives", true, "", {200, 401, 404, 409}},
      [&a, with_job](request& req, responder reply) {
        with_job(req, reply, [exports = a.runtime.actors().exports](store::gallery_job_record const& job, responder r) {
          if (job.status != "success") {
            r(error_response(409, "Gallery export job is not ready"));
            return;
          }
          std::error_code ec;
          auto const path = std::filesystem::path(job.path.value_or(""));
          auto const size = job.path ? std::filesystem::file_size(path, ec) : 0;
          expected<std::shared_ptr<body_source>> source = fail(errc::not_found, "");
          if (job.path && !ec) {
            source = make_file_source(path, 0, size);
          }
          if (!source) {
            r(error_response(404, "Gallery export archive not found"));
            return;
          }
          auto res = zip_response(job.filename.value_or("gpt-images-" + job.job_id + ".zip"), size);
          set_count_headers(res, job.requested_count, job.exported_count, job.missing_count);
          auto const id = job.job_id;
          res.source = one_shot(std::move(*source), [exports, id] {
            caf::anon_send(exports, actors::export_delete_atom::value, id);
          });
          r(std::move(res));
        });
      });
}

void register_stream_routes(app& a, std::shared_ptr<archive_context> ctx) {
  a.routes.add("GET", "/api/download-all", {"Every gallery image and metadata.json as a ZIP", "archives", true, "",
                                            {200, 401, 404}},
               [&a, ctx](request&, responder reply) {
                 auto req = plan_for(a, *ctx);
                 auto const images = a.cfg.images_dir;
                 actors::on_reader(a.runtime.actors(), reply,
                                   [req, images, reply](store::database& db) mutable {
                                     auto count = store::gallery_row_count(db);
                                     if (!count) {
                                       reply(internal("download-all", count.error()));
                                       return;
                                     }
                                     if (*count == 0) {
                                       reply(error_response(404, "No images in gallery"));
                                       return;
                                     }
                                     req.requested_count = *count;
                                     auto metadata = std::make_shared<temp_file>(req.metadata_path);
                                     auto plan = store::build_archive_plan(db, req);
                                     if (!plan) {
                                       reply(internal("download-all", plan.error()));
                                       return;
                                     }
                                     reply(plan_response(*plan, actors::archive_filename("gpt-images"), images,
                                                         {metadata}));
                                   });
               });

  a.routes.add(
      "POST", "/api/gallery/batch/download",
      {"The selected gallery images as a ZIP (skipped ones listed)", "archives", true, "json",
       {200, 401, 404, 422, 429}},
      [&a, ctx](request& req, responder reply) {
        auto batch = parse_gallery_batch(req.body, false);
        if (!batch) {
          reply(error_response(batch.error()));
          return;
        }
        auto preq = plan_for(a, *ctx);
        preq.ids = std::move(batch->ids);
        auto const images = a.cfg.images_dir;
        auto& sys = a.runtime.system();
        actors::on_reader(a.runtime.actors(), reply, [&sys, exports = a.runtime.actors().exports, preq, images,
                                                      reply](store::database& db) {
          auto metadata = std::make_shared<temp_file>(preq.metadata_path);
          auto plan = store::build_archive_plan(db, preq);
          if (!plan) {
            reply(internal("batch download", plan.error()));
            return;
          }
          if (plan->found_rows == 0) {
            reply(error_response(404, "Gallery entries not found"));
            return;
          }
          auto shared = std::make_shared<store::archive_plan>(std::move(*plan));
          // A streamed batch download counts against the export limit (§3.8).
          actors::ask(
              sys, exports, ask_timeout,
              [shared, images, metadata, exports, reply](bool) {
                auto slot = std::make_shared<export_slot>(exports);
                auto r = plan_response(*shared, actors::archive_filename("gpt-images-selected"), images,
                                       {metadata, slot});
                set_count_headers(r, shared->requested_count, static_cast<std::int64_t>(shared->images.size()),
                              static_cast<std::int64_t>(shared->skipped.size()));
                reply(std::move(r));
              },
              actors::error_reply(reply), actors::export_slot_atom::value);
        });
      });
}

void register_import_route(app& a, std::shared_ptr<archive_context> ctx) {
  auto const max_archive = static_cast<std::uint64_t>(a.cfg.import_archive_max_mb) * mib;
  auto make_sink = [ctx, max_archive](request const& req) -> std::shared_ptr<body_sink> {
    form_limits lim;
    lim.file_fields = {"archive"};
    lim.max_file_bytes = max_archive;
    // Whatever the type, the body is never buffered (it may be a gigabyte):
    // a non-multipart body fails in the sink and is drained.
    return std::make_shared<form_upload>(req.headers.get("Content-Type").value_or(""), ctx->uploads_dir, lim);
  };
  import_settings settings;
  settings.images_dir = a.cfg.images_dir;
  settings.limits.max_files = static_cast<std::uint64_t>(std::max<std::int64_t>(0, a.cfg.import_max_files));
  settings.limits.max_image_bytes = static_cast<std::uint64_t>(a.cfg.max_file_size_mb) * mib;
  settings.limits.max_uncompressed_bytes = static_cast<std::uint64_t>(a.cfg.import_max_uncompressed_mb) * mib;
  settings.limits.max_metadata_bytes = static_cast<std::uint64_t>(a.cfg.import_max_metadata_bytes);
  settings.limits.max_compression_ratio = a.cfg.import_max_compression_ratio;
  settings.max_pixels = static_cast<std::uint64_t>(a.cfg.max_image_pixels);

  a.routes.add(
      "POST", "/api/import",
      {"Import a ZIP made by download-all (multipart field `archive`)", "archives", true, "multipart",
       {200, 400, 401, 413, 415, 422}},
      make_sink, [&a, settings, max_archive](request& req, responder reply) {
        auto* upload = dynamic_cast<form_upload*>(req.sink.get());
        if (media_type(req) != "multipart/form-data" || upload == nullptr) {
          reply(error_response(415, "multipart/form-data is required"));
          return;
        }
        auto owned = std::make_shared<staged_files>(upload->take_files());
        if (auto const& failure = upload->failure()) {
          owned->remove_all();
          reply(error_response(*failure));
          return;
        }
        auto const& files = upload->files();
        auto archive = std::find_if(files.begin(), files.end(), [](auto const& f) { return f.field == "archive"; });
        if (archive == files.end()) {
          owned->remove_all();
          reply(error_response(422, "archive - Field required"));
          return;
        }
        if (archive->bytes > max_archive) {
          owned->remove_all();
          reply(error_response(400, "Uploaded archive is too large"));
          return;
        }
        if (archive->bytes == 0) {
          owned->remove_all();
          reply(error_response(400, "Uploaded archive is empty"));
          return;
        }
        auto const path = archive->path;
        auto actors = a.runtime.actors();
        a.runtime.system().spawn([actors, settings, path, owned, reply](caf::blocking_actor* self) {
          auto imported = run_import(self, actors, settings, path);
          owned->remove_all();
          if (!imported) {
            reply(error_response(imported.error()));
            return;
          }
          core::json_writer out;
          out.begin_object();
          out.field("status", "success");
          out.field("imported", *imported);
          out.end_object();
          reply(response::json(200, out.take()));
        });
      });
}

} // namespace

void register_archive_routes(app& a) {
  auto ctx = std::make_shared<archive_context>();
  auto const exports_dir = a.cfg.data_dir / "exports";
  ctx->streams_dir = exports_dir / "streams";
  ctx->uploads_dir = a.cfg.data_dir / "import-uploads";
  prepare_dir(exports_dir / "streams");
  prepare_dir(ctx->uploads_dir);
  register_export_routes(a, ctx);
  register_stream_routes(a, ctx);
  register_import_route(a, ctx);
}

} // namespace panel::http
