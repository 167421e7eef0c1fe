// Edit jobs (spec §3.6 POST /api/edits and /api/edits/from-gallery/{image_id}).
// The body is streamed by the session into a form_upload (files straight to the
// staging dir); the handler checks the form on the io thread, then a detached
// one-shot actor copies the gallery image (if any), validates every file
// (reads and full decodes) and submits the ticket to job_supervisor, which owns
// the staged files from then on. On any failure every staged file is removed.

#include <caf/blocking_actor.hpp>

#include "actors/bridge.hpp"
#include "actors/handles.hpp"
#include "actors/runtime.hpp"
#include "core/strings.hpp"
#include "http/app.hpp"
#include "http/edit_staging.hpp"
#include "http/errors.hpp"
#include "http/form_upload.hpp"
#include "http/generate_request.hpp"

namespace panel::http {

namespace {

constexpr auto ask_timeout = std::chrono::seconds(30);
constexpr std::uint64_t mib = 1024 * 1024;
constexpr std::size_t max_sources = 16;
constexpr std::size_t max_gallery_uploads = 15;

std::string media_type(request const& req) {
  auto const ct = req.headers.get("Content-Type").value_or("");
  return core::to_lower(core::trim(ct.substr(0, ct.find(';'))));
}

std::filesystem::path staging_dir(app const& a) {
  return a.cfg.data_dir / "edit-sources";
}

form_limits upload_limits(app const& a) {
  form_limits lim;
  lim.max_file_bytes = static_cast<std::uint64_t>(a.cfg.max_file_size_mb) * mib;
  return lim;
}

/// The parsed form: text fields, and the uploads staged on disk (owned here).
struct edit_form {
  std::vector<std::pair<std::string, std::string>> fields;
  std::vector<uploaded_file> files;
  staged_files owned;
};

// x-www-form-urlencoded fields, with the limits of multipart text fields.
expected<edit_form> parse_urlencoded(std::string_view body, form_limits const& lim) {
  edit_form form;
  while (!body.empty()) {
    auto const amp = body.find('&');
    auto const pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
    if (pair.empty()) {
      continue;
    }
    auto const eq = pair.find('=');
    auto value = eq == std::string_view::npos ? std::string{} : percent_decode(pair.substr(eq + 1), true);
    if (value.size() > lim.max_field_bytes) {
      return fail(errc::too_large, "Form field is too large");
    }
    if (form.fields.size() >= lim.max_fields) {
      return fail(errc::bad_request, "Too many form fields");
    }
    form.fields.emplace_back(percent_decode(pair.substr(0, eq), true), std::move(value));
  }
  return form;
}

// The streamed multipart form, or the urlencoded body when `urlencoded_ok`.
expected<edit_form> read_form(app const& a, request& req, bool urlencoded_ok) {
  if (auto* upload = dynamic_cast<form_upload*>(req.sink.get())) {
    edit_form form;
    form.owned = upload->take_files();
    if (auto const& failure = upload->failure()) {
      return tl::unexpected(*failure);
    }
    form.fields = upload->fields();
    form.files = upload->files();
    return form;
  }
  if (urlencoded_ok && media_type(req) == "application/x-www-form-urlencoded") {
    return parse_urlencoded(req.body, upload_limits(a));
  }
  return fail(errc::unsupported_media, "multipart/form-data is required");
}

/// Everything the one-shot preparer needs; destroying it removes the staged
/// files unless they were handed to the supervisor.
struct edit_prep {
  actors::job_ticket ticket;
  std::vector<uploaded_file> uploads;
  staged_files owned;
  std::optional<std::string> gallery_filename; ///< the gallery source, first in order
  std::filesystem::path images_dir;
  std::filesystem::path staging_dir;
  edit_limits limits;
};

// Runs the blocking part on its own thread (a detached one-shot actor), then
// submits from a short-lived actor.
void prepare_and_submit(app& a, std::shared_ptr<edit_prep> prep, responder reply) {
  auto& sys = a.runtime.system();
  auto jobs = a.runtime.actors().jobs;
  sys.spawn([&sys, jobs, prep, reply](caf::blocking_actor*) {
    auto& p = *prep;
    std::vector<uploaded_file> sources;
    if (p.gallery_filename) {
      auto staged =
          stage_gallery_image(p.images_dir, *p.gallery_filename, p.staging_dir, p.limits.max_bytes, p.owned);
      if (!staged) {
        p.owned.remove_all();
        reply(error_response(staged.error()));
        return;
      }
      sources.push_back(std::move(*staged));
    }
    sources.insert(sources.end(), p.uploads.begin(), p.uploads.end());
    auto validated = validate_staged(sources, p.limits);
    if (!validated) {
      p.owned.remove_all();
      reply(error_response(validated.error()));
      return;
    }
    p.ticket.sources = std::move(*validated);
    // From here on the supervisor owns the files, whatever it answers.
    p.owned.release();
    actors::ask(
        sys, jobs, ask_timeout, [reply](std::string const& body) { reply(response::json(202, body)); },
        actors::error_reply(reply), actors::submit_atom::value, actors::make_local(std::move(p.ticket)));
  });
}

// Form checks shared by both routes; the prep to complete, or the answer.
expected<std::shared_ptr<edit_prep>> start_prep(app const& a, request& req, bool urlencoded_ok) {
  auto form = read_form(a, req, urlencoded_ok);
  if (!form) {
    return tl::unexpected(form.error());
  }
  auto prep = std::make_shared<edit_prep>();
  prep->owned = std::move(form->owned);
  auto cmd = parse_edit_form(form->fields);
  if (!cmd) {
    return tl::unexpected(cmd.error());
  }
  prep->ticket.edit = true;
  prep->ticket.params = std::move(cmd->params);
  prep->ticket.webhook_url = std::move(cmd->webhook_url);
  prep->uploads = std::move(form->files);
  prep->images_dir = a.cfg.images_dir;
  prep->staging_dir = staging_dir(a);
  prep->limits.max_bytes = static_cast<std::uint64_t>(a.cfg.max_file_size_mb) * mib;
  prep->limits.max_pixels = static_cast<std::uint64_t>(a.cfg.max_image_pixels);
  return prep;
}

} // namespace

void register_edit_routes(app& a) {
  auto make_sink = [&a](request const& req) -> std::shared_ptr<body_sink> {
    if (media_type(req) != "multipart/form-data") {
      return nullptr; // buffered (small limit); the handler answers 415 or parses urlencoded
    }
    return std::make_shared<form_upload>(req.headers.get("Content-Type").value_or(""), staging_dir(a),
                                         upload_limits(a));
  };

  a.routes.add(
      "POST", "/api/edits", {"Create an edit job", "jobs", true, "multipart", {202, 400, 401, 413, 415, 422, 429}},
      make_sink, [&a](request& req, responder reply) {
        auto prep = start_prep(a, req, false);
        if (!prep) {
          reply(error_response(prep.error()));
          return;
        }
        // Every refusal removes the staged files before it is sent (not after,
        // when the prep goes out of scope): the client may look at once.
        auto const count = (*prep)->uploads.size();
        if (count == 0) {
          reply(error_response(422, "Upload image is required."));
          return;
        }
        if (count > max_sources) {
          (*prep)->owned.remove_all();
          reply(error_response(400, "At most 16 edit source images are supported."));
          return;
        }
        prepare_and_submit(a, std::move(*prep), reply);
      });

  a.routes.add(
      "POST", "/api/edits/from-gallery/{image_id}",
      {"Create an edit job from a gallery image", "jobs", true, "multipart", {202, 400, 401, 404, 413, 415, 422, 429}},
      make_sink, [&a](request& req, responder reply) {
        auto prep = start_prep(a, req, true);
        if (!prep) {
          reply(error_response(prep.error()));
          return;
        }
        auto const count = (*prep)->uploads.size();
        if (count > max_gallery_uploads) {
          (*prep)->owned.remove_all();
          reply(error_response(400, "At most 15 uploaded edit source images are supported when editing from the "
                                    "gallery."));
          return;
        }
        if (count + 1 > max_sources) {
          (*prep)->owned.remove_all();
          reply(error_response(400, "At most 16 edit source images are supported."));
          return;
        }
        auto shared = std::move(*prep);
        actors::ask(
            a.runtime.system(), a.runtime.actors().store, ask_timeout,
            [&a, shared, reply](actors::local_ptr<store::gallery_row> const& row) {
              if (!row) {
                shared->owned.remove_all();
                reply(error_response(404, "Gallery entry not found"));
                return;
              }
              shared->gallery_filename = row->filename;
              prepare_and_submit(a, shared, reply);
            },
            [shared, reply](caf::error const& err) {
              shared->owned.remove_all();
              reply(error_response(actors::from_caf_error(err)));
            },
            actors::gallery_get_atom::value, req.params["image_id"]);
      });
}

} // namespace panel::http
