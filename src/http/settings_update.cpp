#include "http/settings_update.hpp"

#include <algorithm>

#include "core/masking.hpp"
#include "core/secrets.hpp"
#include "core/strings.hpp"
#include "http/json_body.hpp"

namespace panel::http {

namespace {

std::string_view label_of(secret_field field) {
  switch (field) {
  case secret_field::api_key:
    return "API key";
  case secret_field::socks5_proxy:
    return "SOCKS5 proxy URL";
  case secret_field::webhook_url:
    return "Webhook URL";
  case secret_field::optimizer_api_key:
    return "Prompt optimizer API key";
  case secret_field::r2_access_key_id:
    return "R2 access key ID";
  case secret_field::r2_secret_access_key:
    return "R2 secret access key";
  }
  return "Secret";
}

bool is_r2_credential(secret_field field) {
  return field == secret_field::r2_access_key_id || field == secret_field::r2_secret_access_key;
}

// How a response shows `stored` for this field (§7.3).
std::string masked_form(secret_field field, std::string_view stored) {
  switch (field) {
  case secret_field::socks5_proxy:
    return core::mask_socks5_proxy(stored);
  case secret_field::webhook_url:
    return core::mask_webhook_url(stored);
  default:
    return core::mask_credential(stored).masked;
  }
}

// "<field> - <message>" for a nested location such as "prompt_optimizer.api_key".
tl::unexpected<error> refuse(std::string_view location, std::string const& message) {
  return tl::unexpected(validation_error(location, message));
}

} // namespace

expected<std::string> apply_secret(secret_field field, std::string_view location, sent_secret const& sent,
                                   std::string_view current, bool allow_plaintext) {
  auto const stored = std::string{core::trim(current)};
  if (!sent) {
    return stored;
  }
  auto const value = core::trim(*sent);
  if (value.empty()) {
    return std::string{};
  }
  if (value == stored || value == masked_form(field, stored) ||
      (is_r2_credential(field) && value == r2_keep_marker)) {
    return stored;
  }
  auto const label = std::string{label_of(field)};
  if (core::is_env_ref(value)) {
    return std::string{value};
  }
  if (value.find("${") != std::string_view::npos || value.find('}') != std::string_view::npos) {
    return refuse(location, label + " env ref must be formatted as ${ENV_VAR_NAME}.");
  }
  if (!allow_plaintext) {
    return refuse(location, label + " must use ${ENV_VAR_NAME} unless ALLOW_PLAINTEXT_SECRETS=true.");
  }
  if (field == secret_field::socks5_proxy) {
    if (auto ok = core::normalise_socks5_url(value); !ok) {
      return refuse(location, ok.error().message);
    }
  } else if (field == secret_field::webhook_url) {
    if (auto ok = core::normalise_webhook_url(value); !ok) {
      return refuse(location, ok.error().message);
    }
  }
  return std::string{value};
}

expected<store::optimizer_settings> apply_optimizer_patch(optimizer_patch const& patch,
                                                          store::optimizer_settings current,
                                                          settings_rules const& rules) {
  auto key = apply_secret(secret_field::optimizer_api_key, "prompt_optimizer.api_key", patch.api_key,
                          current.api_key, rules.allow_plaintext_secrets);
  if (!key) {
    return tl::unexpected(key.error());
  }
  current.api_key = std::move(*key);
  if (patch.enabled) {
    current.enabled = *patch.enabled;
  }
  if (patch.api_url) {
    current.api_url = *patch.api_url;
  }
  if (patch.model) {
    current.model = patch.model->empty() ? rules.optimizer_default_model : *patch.model;
  }
  if (patch.timeout_seconds) {
    current.timeout_seconds = *patch.timeout_seconds;
  }
  return current;
}

expected<store::r2_settings> apply_r2_patch(r2_patch const& patch, store::r2_settings current,
                                            settings_rules const& rules) {
  auto id = apply_secret(secret_field::r2_access_key_id, "r2_backup.access_key_id", patch.access_key_id,
                         current.access_key_id, rules.allow_plaintext_secrets);
  if (!id) {
    return tl::unexpected(id.error());
  }
  auto secret = apply_secret(secret_field::r2_secret_access_key, "r2_backup.secret_access_key",
                             patch.secret_access_key, current.secret_access_key, rules.allow_plaintext_secrets);
  if (!secret) {
    return tl::unexpected(secret.error());
  }
  current.access_key_id = std::move(*id);
  current.secret_access_key = std::move(*secret);
  if (patch.enabled) {
    current.enabled = *patch.enabled;
  }
  if (patch.endpoint_url) {
    current.endpoint_url = *patch.endpoint_url;
  }
  if (patch.bucket_name) {
    current.bucket_name = *patch.bucket_name;
  }
  if (patch.region) {
    current.region = patch.region->empty() ? std::string{"auto"} : *patch.region;
  }
  if (patch.key_prefix) {
    current.key_prefix = *patch.key_prefix;
  }
  if (patch.sync_interval_hours) {
    current.sync_interval_hours = *patch.sync_interval_hours;
  }
  return current;
}

expected<void> apply_settings_request(settings_request const& req, settings_state& state,
                                      settings_rules const& rules) {
  auto const target_id = req.active_preset_id.value_or(state.active_preset_id);
  auto const it = std::find_if(state.presets.begin(), state.presets.end(),
                               [&](store::preset const& p) { return p.id == target_id; });
  if (it == state.presets.end()) {
    return fail(errc::not_found, "Preset not found");
  }
  store::preset edited = *it;
  if (req.preset_name && !req.preset_name->empty()) {
    edited.name = *req.preset_name;
  } else if (core::trim(edited.name).empty()) {
    edited.name = "Untitled preset";
  }
  edited.api_url = req.api_url;
  auto key = apply_secret(secret_field::api_key, "api_key", req.api_key, edited.api_key,
                          rules.allow_plaintext_secrets);
  if (!key) {
    return tl::unexpected(key.error());
  }
  edited.api_key = std::move(*key);
  edited.api_path = req.api_path;
  if (req.default_model) {
    edited.default_model = *req.default_model;
  }
  if (req.default_response_format) {
    edited.default_response_format = *req.default_response_format;
  }

  auto proxy = apply_secret(secret_field::socks5_proxy, "upstream_socks5_proxy", req.upstream_socks5_proxy,
                            state.socks5_proxy, rules.allow_plaintext_secrets);
  if (!proxy) {
    return tl::unexpected(proxy.error());
  }
  auto webhook = apply_secret(secret_field::webhook_url, "webhook_url", req.webhook_url, state.webhook_url,
                              rules.allow_plaintext_secrets);
  if (!webhook) {
    return tl::unexpected(webhook.error());
  }
  auto optimizer = req.prompt_optimizer ? apply_optimizer_patch(*req.prompt_optimizer, state.optimizer, rules)
                                        : expected<store::optimizer_settings>{state.optimizer};
  if (!optimizer) {
    return tl::unexpected(optimizer.error());
  }
  auto r2 = req.r2_backup ? apply_r2_patch(*req.r2_backup, state.r2, rules) : expected<store::r2_settings>{state.r2};
  if (!r2) {
    return tl::unexpected(r2.error());
  }

  *it = std::move(edited);
  state.active_preset_id = target_id;
  state.socks5_proxy = std::move(*proxy);
  state.webhook_url = std::move(*webhook);
  state.optimizer = std::move(*optimizer);
  state.r2 = std::move(*r2);
  return {};
}

expected<store::preset> new_preset_fields(preset_create_request const& req, settings_state const& state,
                                          settings_rules const& rules) {
  auto const find = [&](std::string const& id) {
    return std::find_if(state.presets.begin(), state.presets.end(),
                        [&](store::preset const& p) { return p.id == id; });
  };
  auto source = req.source_preset_id ? find(*req.source_preset_id) : state.presets.end();
  if (source == state.presets.end()) {
    source = find(state.active_preset_id);
  }
  store::preset p;
  if (source != state.presets.end()) {
    p = *source;
  } else {
    p.api_path = std::string{preset_api_paths[0]};
    p.default_response_format = "url";
  }
  p.id.clear();
  p.name = req.name && !req.name->empty() ? *req.name : "Preset " + std::to_string(state.presets.size() + 1);
  if (req.api_url) {
    p.api_url = *req.api_url;
  }
  auto key = apply_secret(secret_field::api_key, "api_key", req.api_key, p.api_key, rules.allow_plaintext_secrets);
  if (!key) {
    return tl::unexpected(key.error());
  }
  p.api_key = std::move(*key);
  if (req.api_path) {
    p.api_path = *req.api_path;
  }
  if (req.default_model) {
    p.default_model = *req.default_model;
  }
  if (req.default_response_format) {
    p.default_response_format = *req.default_response_format;
  }
  return p;
}

} // namespace panel::http
