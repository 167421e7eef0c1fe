// Gallery (spec §3.8, §8): listing, detail, favourite, delete one/all and the
// batch favourite/delete. Reads run on a reader connection, writes on the
// store's writer; a deletion commits its rows first and only then removes the
// files no remaining row names (store::remove_orphaned_files), so a failed
// file delete never leaves a row pointing at nothing.

#include <chrono>
#include <cstdio>

#include "actors/bridge.hpp"
#include "actors/gallery_backfill.hpp"
#include "actors/handles.hpp"
#include "actors/runtime.hpp"
#include "core/json_writer.hpp"
#include "core/logging.hpp"
#include "core/metrics.hpp"
#include "http/app.hpp"
#include "http/gallery_request.hpp"
#include "store/gallery_files.hpp"
#include "store/gallery_list.hpp"
#include "store/store.hpp"

namespace panel::http {

namespace {

constexpr std::string_view entry_not_found = "Gallery entry not found";
constexpr std::string_view entries_not_found = "Gallery entries not found";

using steady = std::chrono::steady_clock;

double ms_since(steady::time_point start) {
  return std::chrono::duration<double, std::milli>(steady::now() - start).count();
}

// The error's response; unexpected ones are logged first (their text stays out of the body).
response failed(std::string_view what, error const& e) {
  if (e.code == errc::internal) {
    core::log_error(std::string{what} + " failed: " + e.message);
  }
  return error_response(e);
}

std::string fixed2(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

// §3.8: the warning, with the prompt reduced to presence, length and hash.
void note_slow_query(store::gallery_list_request const& req, store::gallery_page const& page, double elapsed_ms,
                     double db_ms) {
  core::metrics::count("gallery.slow_queries");
  core::metrics::count("sqlite.slow_queries");
  core::log_warning("Slow /api/gallery query: elapsed_ms=" + fixed2(elapsed_ms) + " db_query_ms=" + fixed2(db_ms) +
                    " page=" + std::to_string(page.page) + " page_size=" + std::to_string(page.page_size) +
                    " total=" + std::to_string(page.total) + " fts=" + (page.fts ? "true" : "false") +
                    " include_total_bytes=" + (req.include_total_bytes ? "true" : "false") +
                    " filters=" + store::filters_log_json(req.filters));
}

std::string message_json(std::string const& message) {
  core::json_writer out;
  out.begin_object().field("status", "ok").field("message", std::string_view{message}).end_object();
  return out.take();
}

// GalleryBatchResponse (§3.8).
std::string batch_json(std::int64_t count, std::int64_t files, std::size_t requested,
                       std::vector<std::string> const& missing) {
  core::json_writer out;
  out.begin_object();
  out.field("status", "ok");
  out.field("count", count);
  out.field("file_count", files);
  out.field("requested_count", static_cast<std::int64_t>(requested));
  out.field("updated_count", count);
  out.field("missing_count", static_cast<std::int64_t>(missing.size()));
  out.key("missing_ids").begin_array();
  for (auto const& id : missing) {
    out.value(std::string_view{id});
  }
  out.end_array();
  out.end_object();
  return out.take();
}

store::gallery_dirs dirs_of(app const& a) {
  return store::gallery_dirs{a.cfg.images_dir, a.cfg.thumbnails_dir};
}

void list(app& a, request& req, responder reply) {
  auto const started = steady::now();
  auto parsed = parse_gallery_query(req);
  if (!parsed) {
    reply(error_response(parsed.error()));
    return;
  }
  auto const slow_ms = a.cfg.slow_gallery_query_ms;
  actors::on_reader(a.runtime.actors(), reply,
                    [reply, query = std::move(*parsed), started, slow_ms](store::database& db) {
                      auto const db_started = steady::now();
                      auto page = store::list_gallery(db, query);
                      auto const db_ms = ms_since(db_started);
                      if (!page) {
                        reply(failed("GET /api/gallery", page.error()));
                        return;
                      }
                      auto body = store::to_json(*page);
                      auto const elapsed_ms = ms_since(started);
                      core::metrics::count("gallery.requests");
                      core::metrics::observe_ms("gallery.request", elapsed_ms);
                      core::metrics::observe_ms("gallery.db_query", db_ms);
                      if (elapsed_ms >= slow_ms) {
                        note_slow_query(query, *page, elapsed_ms, db_ms);
                      }
                      reply(response::json(200, std::move(body)));
                    });
}

void delete_rows(app& a, responder reply, std::vector<std::string> ids, bool batch) {
  auto const dirs = dirs_of(a);
  actors::on_writer(a.runtime.actors(), reply,
                    [reply, ids = std::move(ids), batch, dirs](store::store& s) {
                      auto done = store::gallery_repo{s.writer()}.remove_many(ids);
                      if (!done) {
                        reply(failed("deleting gallery entries", done.error()));
                        return;
                      }
                      if (done->rows == 0) {
                        reply(error_response(404, batch ? entries_not_found : entry_not_found));
                        return;
                      }
                      auto const files = store::remove_orphaned_files(dirs, done->orphaned);
                      if (batch) {
                        reply(response::json(200, batch_json(done->rows, files, ids.size(), done->missing_ids)));
                        return;
                      }
                      reply(response::json(
                          200, message_json("Deleted gallery entry and " + std::to_string(files) + " image file(s)")));
                    });
}

void backfill(app& a, responder reply) {
  actors::backfill_gallery_bytes(a.runtime, a.cfg.images_dir,
                                 [reply](expected<store::backfill_cursor> const& pass) {
                                   if (!pass) {
                                     reply(failed("backfilling gallery bytes", pass.error()));
                                     return;
                                   }
                                   core::json_writer out;
                                   out.begin_object()
                                       .field("status", "ok")
                                       .field("updated", pass->rows_updated)
                                       .field("files_checked", pass->files_seen)
                                       .end_object();
                                   reply(response::json(200, out.take()));
                                 });
}

} // namespace

void register_gallery_routes(app& a) {
  a.routes.add("GET", "/api/gallery", {"List gallery images (filters, paging)", "gallery", true, "", {200, 401, 422}},
               [&a](request& req, responder reply) { list(a, req, std::move(reply)); });

  a.routes.add("GET", "/api/gallery/{image_id}", {"One gallery entry", "gallery", true, "", {200, 401, 404}},
               [&a](request& req, responder reply) {
                 actors::on_reader(a.runtime.actors(), reply,
                                   [reply, id = req.params["image_id"]](store::database& db) {
                                     auto row = store::gallery_repo{db}.get(id);
                                     if (!row) {
                                       reply(failed("reading a gallery entry", row.error()));
                                     } else if (!*row) {
                                       reply(error_response(404, entry_not_found));
                                     } else {
                                       reply(response::json(200, store::to_json(**row)));
                                     }
                                   });
               });

  a.routes.add("PATCH", "/api/gallery/{image_id}/favorite",
               {"Set or clear the favourite flag", "gallery", true, "json", {200, 401, 404, 422}},
               [&a](request& req, responder reply) {
                 auto favorite = parse_favorite_body(req.body);
                 if (!favorite) {
                   reply(error_response(favorite.error()));
                   return;
                 }
                 actors::on_writer(a.runtime.actors(), reply,
                                   [reply, id = req.params["image_id"], flag = *favorite](store::store& s) {
                                     auto row = store::gallery_repo{s.writer()}.set_favorite(id, flag);
                                     if (!row) {
                                       reply(failed("setting a favourite", row.error()));
                                     } else if (!*row) {
                                       reply(error_response(404, entry_not_found));
                                     } else {
                                       reply(response::json(200, store::to_json(**row)));
                                     }
                                   });
               });

  a.routes.add("DELETE", "/api/gallery/{image_id}",
               {"Delete a gallery entry (and its file once no entry uses it)", "gallery", true, "", {200, 401, 404}},
               [&a](request& req, responder reply) {
                 delete_rows(a, std::move(reply), {req.params["image_id"]}, false);
               });

  a.routes.add("DELETE", "/api/gallery", {"Delete every gallery entry and file", "gallery", true, "", {200, 401}},
               [&a](request&, responder reply) {
                 actors::on_writer(a.runtime.actors(), reply,
                                   [reply, dirs = dirs_of(a)](store::store& s) {
                                     auto done = store::gallery_repo{s.writer()}.remove_all();
                                     if (!done) {
                                       reply(failed("deleting the gallery", done.error()));
                                       return;
                                     }
                                     auto const files = store::remove_orphaned_files(dirs, done->orphaned);
                                     reply(response::json(200, message_json("Deleted " + std::to_string(files) +
                                                                            " image file(s) and " +
                                                                            std::to_string(done->rows) +
                                                                            " gallery entries")));
                                   });
               });

  a.routes.add("POST", "/api/gallery/batch/delete",
               {"Delete the listed gallery entries", "gallery", true, "json", {200, 401, 404, 422}},
               [&a](request& req, responder reply) {
                 auto batch = parse_gallery_batch(req.body, false);
                 if (!batch) {
                   reply(error_response(batch.error()));
                   return;
                 }
                 delete_rows(a, std::move(reply), std::move(batch->ids), true);
               });

  a.routes.add("PATCH", "/api/gallery/batch/favorite",
               {"Set or clear the favourite flag of the listed entries", "gallery", true, "json", {200, 401, 404, 422}},
               [&a](request& req, responder reply) {
                 auto batch = parse_gallery_batch(req.body, true);
                 if (!batch) {
                   reply(error_response(batch.error()));
                   return;
                 }
                 actors::on_writer(a.runtime.actors(), reply,
                                   [reply, b = std::move(*batch)](store::store& s) {
                                     auto done = store::gallery_repo{s.writer()}.set_favorite_many(b.ids, b.favorite);
                                     if (!done) {
                                       reply(failed("setting favourites", done.error()));
                                     } else if (done->rows == 0) {
                                       reply(error_response(404, entries_not_found));
                                     } else {
                                       reply(response::json(200, batch_json(done->rows, 0, b.ids.size(),
                                                                            done->missing_ids)));
                                     }
                                   });
               });

  a.routes.add("POST", "/api/gallery/backfill-bytes",
               {"Fill in unknown file sizes of gallery entries from disk", "gallery", true, "", {200, 401}},
               [&a](request&, responder reply) { backfill(a, std::move(reply)); });
}

} // namespace panel::http
