#include "http/settings_store.hpp"

#include <algorithm>
#include <functional>

#include "core/config.hpp"
#include "core/json_writer.hpp"
#include "core/masking.hpp"
#include "core/strings.hpp"
#include "store/database.hpp"
#include "store/global_settings.hpp"
#include "store/transaction.hpp"

namespace panel::http {

namespace {

// The ApiPreset fields; the top level repeats the active preset's without id/name.
void write_preset_fields(core::json_writer& w, store::preset const& p, core::config const& cfg) {
  w.field("api_url", p.api_url);
  core::write_masked_credential(w, "api_key", core::mask_credential(p.api_key));
  w.field("api_path", p.api_path);
  w.field("default_model", store::effective_default_model(p, cfg.default_responses_model));
  w.field("default_response_format", p.default_response_format);
}

void write_optimizer(core::json_writer& w, store::optimizer_settings const& o) {
  w.begin_object();
  w.field("enabled", o.enabled).field("api_url", o.api_url).field("model", o.model);
  w.field("timeout_seconds", o.timeout_seconds);
  core::write_masked_credential(w, "api_key", core::mask_credential(o.api_key));
  w.end_object();
}

void write_r2(core::json_writer& w, store::r2_settings const& r) {
  w.begin_object();
  w.field("enabled", r.enabled).field("endpoint_url", r.endpoint_url).field("bucket_name", r.bucket_name);
  w.field("region", r.region).field("key_prefix", r.key_prefix);
  w.field("sync_interval_hours", r.sync_interval_hours);
  core::write_masked_credential(w, "access_key_id", core::mask_credential(r.access_key_id));
  core::write_masked_credential(w, "secret_access_key", core::mask_credential(r.secret_access_key));
  w.end_object();
}

// Runs `change` in one immediate transaction on the writer, then reads back
// what is now stored and the job snapshot.
expected<settings_change> in_transaction(store::database& writer, core::config const& cfg,
                                         std::function<expected<void>(settings_state&)> const& change) {
  auto tx = store::transaction::begin(writer);
  if (!tx) {
    return tl::unexpected(tx.error());
  }
  auto state = load_settings_state(writer, cfg);
  if (!state) {
    return tl::unexpected(state.error());
  }
  if (auto done = change(*state); !done) {
    return tl::unexpected(done.error());
  }
  if (auto committed = tx->commit(); !committed) {
    return tl::unexpected(committed.error());
  }
  auto now = load_settings_state(writer, cfg);
  if (!now) {
    return tl::unexpected(now.error());
  }
  auto jobs = store::presets_repo{writer}.job_settings_snapshot();
  if (!jobs) {
    return tl::unexpected(jobs.error());
  }
  return settings_change{std::move(*now), std::move(*jobs)};
}

} // namespace

expected<settings_state> load_settings_state(store::database& db, core::config const& cfg) {
  store::presets_repo presets{db};
  settings_state s;
  auto all = presets.list();
  if (!all) {
    return tl::unexpected(all.error());
  }
  s.presets = std::move(*all);
  auto active = presets.active();
  if (!active) {
    return tl::unexpected(active.error());
  }
  s.active_preset_id = active->id;
  auto proxy = presets.socks5_proxy();
  if (!proxy) {
    return tl::unexpected(proxy.error());
  }
  s.socks5_proxy = std::move(*proxy);
  auto webhook = presets.webhook_url();
  if (!webhook) {
    return tl::unexpected(webhook.error());
  }
  s.webhook_url = std::move(*webhook);
  store::global_settings_repo globals{db};
  auto optimizer = globals.optimizer(store::default_optimizer_settings(cfg));
  if (!optimizer) {
    return tl::unexpected(optimizer.error());
  }
  s.optimizer = std::move(*optimizer);
  auto r2 = globals.r2(store::default_r2_settings(cfg));
  if (!r2) {
    return tl::unexpected(r2.error());
  }
  s.r2 = std::move(*r2);
  return s;
}

std::string settings_response_json(settings_state const& s, core::config const& cfg) {
  auto active = std::find_if(s.presets.begin(), s.presets.end(),
                             [&](store::preset const& p) { return p.id == s.active_preset_id; });
  store::preset const fallback;
  store::preset const& current = active != s.presets.end() ? *active
                                 : s.presets.empty()        ? fallback
                                                            : s.presets.front();
  core::json_writer w;
  w.begin_object();
  w.field("active_preset_id", current.id);
  write_preset_fields(w, current, cfg);
  auto const proxy = core::mask_socks5_proxy(s.socks5_proxy);
  auto const webhook = core::mask_webhook_url(s.webhook_url);
  w.field("has_upstream_socks5_proxy", !proxy.empty()).field("upstream_socks5_proxy_masked", proxy);
  w.field("has_webhook_url", !webhook.empty()).field("webhook_url_masked", webhook);
  w.key("presets").begin_array();
  for (auto const& p : s.presets) {
    w.begin_object().field("id", p.id).field("name", p.name);
    write_preset_fields(w, p, cfg);
    w.end_object();
  }
  w.end_array();
  w.key("prompt_optimizer");
  write_optimizer(w, s.optimizer);
  w.key("r2_backup");
  write_r2(w, s.r2);
  w.end_object();
  return std::move(w).str();
}

expected<settings_change> save_settings(store::database& writer, core::config const& cfg,
                                        settings_request const& req) {
  auto const rules = settings_rules::from_config(cfg);
  return in_transaction(writer, cfg, [&](settings_state& state) -> expected<void> {
    if (auto applied = apply_settings_request(req, state, rules); !applied) {
      return applied;
    }
    store::presets_repo presets{writer};
    auto const edited = std::find_if(state.presets.begin(), state.presets.end(),
                                     [&](store::preset const& p) { return p.id == state.active_preset_id; });
    if (auto done = presets.update(*edited); !done) {
      return done;
    }
    if (auto done = presets.activate(state.active_preset_id); !done) {
      return done;
    }
    if (auto done = presets.set_socks5_proxy(state.socks5_proxy); !done) {
      return done;
    }
    if (auto done = presets.set_webhook_url(state.webhook_url); !done) {
      return done;
    }
    store::global_settings_repo globals{writer};
    if (req.prompt_optimizer) {
      if (auto done = globals.save_optimizer(state.optimizer); !done) {
        return done;
      }
    }
    if (req.r2_backup) {
      if (auto done = globals.save_r2(state.r2); !done) {
        return done;
      }
    }
    return {};
  });
}

expected<settings_change> create_preset(store::database& writer, core::config const& cfg,
                                        preset_create_request const& req) {
  auto const rules = settings_rules::from_config(cfg);
  return in_transaction(writer, cfg, [&](settings_state& state) -> expected<void> {
    auto fields = new_preset_fields(req, state, rules);
    if (!fields) {
      return tl::unexpected(fields.error());
    }
    auto made = store::presets_repo{writer}.create(*fields);
    if (!made) {
      return tl::unexpected(made.error());
    }
    return {};
  });
}

expected<settings_change> activate_preset(store::database& writer, core::config const& cfg, std::string_view id) {
  return in_transaction(writer, cfg,
                        [&](settings_state&) { return store::presets_repo{writer}.activate(id); });
}

expected<settings_change> delete_preset(store::database& writer, core::config const& cfg, std::string_view id) {
  return in_transaction(writer, cfg, [&](settings_state&) { return store::presets_repo{writer}.remove(id); });
}

} // namespace panel::http
