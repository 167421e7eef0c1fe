#include "http/preset_health.hpp"

#include <algorithm>

#include "core/json_writer.hpp"
#include "core/secrets.hpp"
#include "core/strings.hpp"
#include "http/settings_request.hpp"
#include "upstream/url_join.hpp"

namespace panel::http {

namespace {

using upstream::check_status;
using upstream::health_check;

health_check path_check(std::string const& path) {
  auto const& allowed = preset_api_paths;
  if (std::find(std::begin(allowed), std::end(allowed), path) != std::end(allowed)) {
    return {"api_path", check_status::ok, "API path " + path + " is supported"};
  }
  std::string list;
  for (auto const p : allowed) {
    list += (list.empty() ? "" : ", ") + std::string{p};
  }
  return {"api_path", check_status::error, "API path is not supported. Allowed paths: " + list};
}

health_check key_check(core::secret_value const& key) {
  if (!key.env_var.empty()) {
    if (key.missing) {
      return {"api_key", check_status::error,
              "API key environment variable " + key.env_var + " is not set or empty"};
    }
    return {"api_key", check_status::ok, "API key is read from environment variable " + key.env_var};
  }
  if (key.value.empty()) {
    return {"api_key", check_status::error, "API key is not configured"};
  }
  return {"api_key", check_status::ok, "API key is stored in the settings"};
}

} // namespace

preset_health_plan plan_preset_health(store::preset const& p, bool use_credentials) {
  preset_health_plan plan;
  plan.api_path = path_check(p.api_path);
  std::string base;
  if (core::trim(p.api_url).empty()) {
    plan.api_url = health_check{"api_url", check_status::error, "API URL is not configured"};
  } else if (auto normal = core::normalise_api_url(p.api_url); !normal) {
    plan.api_url = health_check{"api_url", check_status::error, normal.error().message};
  } else {
    base = std::move(*normal);
  }
  if (plan.api_path.status == check_status::ok && !base.empty()) {
    plan.target_url = upstream::build_upstream_url(base, p.api_path);
  }
  auto const key = core::resolve_secret(p.api_key);
  plan.api_key = key_check(key);
  if (use_credentials && !key.missing) {
    plan.bearer = key.value;
  }
  return plan;
}

health_check ssrf_check(std::optional<std::string> const& failure) {
  if (failure) {
    return {"ssrf", check_status::error, *failure};
  }
  return {"ssrf", check_status::ok, "API URL passed scheme, host allowlist, DNS, and private-IP checks"};
}

health_check skipped_probe_check() {
  return {std::string{upstream::probe_check_name}, check_status::warning,
          "Skipped upstream probe because local URL/path validation failed"};
}

std::vector<health_check> ordered_checks(preset_health_plan const& plan, std::optional<health_check> const& ssrf,
                                         health_check const& probe) {
  std::vector<health_check> out{plan.api_path};
  if (plan.api_url) {
    out.push_back(*plan.api_url);
  }
  if (ssrf) {
    out.push_back(*ssrf);
  }
  out.push_back(plan.api_key);
  out.push_back(probe);
  return out;
}

check_status overall_status(std::vector<health_check> const& checks) {
  auto worst = check_status::ok;
  for (auto const& c : checks) {
    if (c.name != upstream::probe_check_name && static_cast<int>(c.status) > static_cast<int>(worst)) {
      worst = c.status;
    }
  }
  return worst;
}

std::string health_response_json(std::vector<health_check> const& checks) {
  core::json_writer w;
  w.begin_object().field("status", upstream::to_string(overall_status(checks)));
  w.key("checks").begin_array();
  for (auto const& c : checks) {
    w.begin_object().field("name", c.name).field("status", upstream::to_string(c.status));
    w.field("message", c.message).end_object();
  }
  w.end_array().end_object();
  return std::move(w).str();
}

} // namespace panel::http
