// prepare_job: the submission pre-checks of spec §3.6 (pure; no CAF).

#include <cstdlib>

#include "actors/job.hpp"
#include "core/net_guard.hpp"
#include "core/secrets.hpp"
#include "core/strings.hpp"
#include "upstream/url_join.hpp"

namespace panel::actors {

expected<prepared_job> prepare_job(job_ticket const& ticket, store::job_settings const& settings,
                                   job_env const& env, std::string const& job_id, std::string const& now_iso) {
  auto const& preset = settings.active;
  // 1. effective path: edits always use /v1/images/edits on the preset's base URL.
  upstream::api_path path = upstream::api_path::images_generations;
  if (ticket.edit) {
    path = upstream::api_path::images_edits;
  } else if (ticket.api_path) {
    path = *ticket.api_path;
  } else if (auto p = upstream::parse_api_path(preset.api_path);
             p && *p != upstream::api_path::images_edits) {
    path = *p;
  }
  // 2. the base URL.
  if (core::trim(preset.api_url).empty()) {
    return fail(errc::bad_request, "API URL not configured. Please set it in Settings.");
  }
  auto base = core::normalise_api_url(preset.api_url);
  if (!base) {
    return fail(errc::bad_request, base.error().message);
  }
  // 3. the key.
  auto const key = core::resolve_secret(preset.api_key);
  if (key.missing) {
    return fail(errc::bad_request, "API Key environment variable " + key.env_var +
                                       " is not set or empty. Set it in the server environment.");
  }
  if (key.value.empty()) {
    return fail(errc::validation, "API credential is not configured");
  }
  // 4. the SOCKS5 proxy.
  std::string proxy;
  if (!core::trim(settings.socks5_proxy).empty()) {
    auto const resolved = core::resolve_secret(settings.socks5_proxy);
    if (resolved.missing) {
      return fail(errc::bad_request, "SOCKS5 proxy environment variable " + resolved.env_var +
                                         " is not set or empty. Set it in the server environment.");
    }
    if (!resolved.value.empty()) {
      auto normal = core::normalise_socks5_url(resolved.value);
      if (!normal) {
        return fail(errc::bad_request, normal.error().message);
      }
      proxy = std::move(*normal);
    }
  }
  // 5. the webhook: the request's, else the global one (an unset env reference
  // means none). No DNS here: webhook_sender re-validates, with DNS, right
  // before each delivery (spec §10.1).
  std::string webhook;
  if (ticket.webhook_url && !core::trim(*ticket.webhook_url).empty()) {
    webhook = std::string(core::trim(*ticket.webhook_url));
  } else if (!core::trim(settings.webhook_url).empty()) {
    webhook = core::resolve_secret(settings.webhook_url).value;
  }
  if (!webhook.empty()) {
    auto target = core::validate_url(webhook, core::url_context::webhook, env.policy);
    if (!target) {
      return fail(errc::validation, target.error().message);
    }
    // An IP literal is judged here already (no DNS needed); names are resolved
    // and checked by the sender before each delivery.
    if (auto ip = core::ip_address::parse(target->host)) {
      if (auto ok = core::check_resolved(target->host, {*ip}, core::url_context::webhook, env.policy); !ok) {
        return fail(errc::validation, ok.error().message);
      }
    }
    if (!env.webhook_signing_secret_set) {
      return fail(errc::validation, "WEBHOOK_SIGNING_SECRET is required to sign webhook callbacks");
    }
  }

  auto spec = std::make_shared<job_spec>();
  spec->job_id = job_id;
  spec->edit = ticket.edit;
  spec->params = ticket.params;
  if (core::trim(spec->params.model).empty()) {
    // The preset's own default model belongs to the preset's path; a request that
    // switches to another path gets that path's default (gpt-image-2 is no
    // Responses model).
    store::preset for_path = preset;
    if (ticket.api_path && upstream::to_string(*ticket.api_path) != core::trim(preset.api_path)) {
      for_path.api_path = std::string(upstream::to_string(*ticket.api_path));
      for_path.default_model.clear();
    }
    spec->params.model = store::effective_default_model(for_path, env.default_responses_model);
  }
  if (spec->params.output_format == "png") {
    spec->params.output_compression.reset();
  } else if (!spec->params.output_compression) {
    spec->params.output_compression = 100;
  }
  spec->params.n = std::max(1, spec->params.n);
  spec->path = path;
  spec->url = upstream::build_upstream_url(*base, upstream::to_string(path));
  spec->api_key = key.value;
  spec->socks5_proxy = proxy;
  spec->api_preset_name = preset.name;
  spec->sources = ticket.sources;
  spec->images_dir = env.images_dir;
  spec->max_image_bytes = env.max_image_bytes;
  spec->max_pixels = env.max_pixels;

  prepared_job out;
  out.units = spec->params.n;
  for (auto const& s : ticket.sources) {
    out.edit_bytes += s.bytes;
  }
  auto& r = out.record;
  r.job_id = job_id;
  r.status = std::string(store::job_status::queued);
  r.stage = "queued";
  r.message = ticket.edit ? "Queued image edit" : "Queued image generation";
  r.operation = ticket.edit ? "edit" : "generation";
  r.prompt = spec->params.prompt;
  r.size = spec->params.size;
  r.created_at = now_iso;
  r.updated_at = now_iso;
  r.model = spec->params.model;
  r.quality = spec->params.quality;
  r.output_format = spec->params.output_format;
  if (spec->params.output_compression) {
    r.output_compression = *spec->params.output_compression;
  }
  r.response_format = spec->params.response_format;
  r.n = spec->params.n;
  r.api_path = std::string(upstream::to_string(path));
  r.api_preset_name = preset.name;
  out.webhook_url = std::move(webhook);
  out.spec = std::move(spec);
  return out;
}

} // namespace panel::actors
