#include "actors/r2_config.hpp"

#include <optional>

#include "core/r2_endpoint.hpp"
#include "core/secrets.hpp"
#include "core/strings.hpp"

namespace panel::actors {

namespace {

// One credential: configured, and (for an env reference) its variable set.
std::optional<std::string> credential_problem(std::string const& stored, std::string const& label) {
  if (core::trim(stored).empty()) {
    return label + " is not configured.";
  }
  auto const resolved = core::resolve_secret(stored);
  if (resolved.missing) {
    return label + " environment variable " + resolved.env_var + " is not set or empty.";
  }
  if (resolved.value.empty()) {
    return label + " is not configured.";
  }
  return std::nullopt;
}

} // namespace

s3_request r2_target::request(upstream::s3_call const& call, std::int64_t timeout_ms) const {
  s3_request r;
  r.method = call.method;
  r.url = call.url;
  r.headers = call.headers;
  r.region = region;
  r.access_key_id = access_key_id;
  r.secret_access_key = secret_access_key;
  r.timeout_ms = timeout_ms;
  return r;
}

expected<void> check_r2_configuration(store::r2_settings const& s) {
  if (!s.enabled) {
    return fail(errc::bad_request, "R2 backup is disabled.");
  }
  if (core::trim(s.endpoint_url).empty()) {
    return fail(errc::bad_request, "R2 endpoint URL is not configured.");
  }
  if (core::trim(s.bucket_name).empty()) {
    return fail(errc::bad_request, "R2 bucket name is not configured.");
  }
  if (auto problem = credential_problem(s.access_key_id, "R2 access key ID")) {
    return fail(errc::bad_request, *problem);
  }
  if (auto problem = credential_problem(s.secret_access_key, "R2 secret access key")) {
    return fail(errc::bad_request, *problem);
  }
  return {};
}

expected<r2_target> make_r2_target(store::r2_settings const& s, core::net_policy const& policy) {
  if (auto ok = check_r2_configuration(s); !ok) {
    return tl::unexpected{ok.error()};
  }
  auto const client_error = [](std::string const& why) {
    return fail(errc::bad_request, std::string{client_error_prefix} + why);
  };
  auto const endpoint_text = std::string{core::trim(s.endpoint_url)};
  auto endpoint = core::validate_url(endpoint_text, core::url_context::r2, policy);
  if (!endpoint) {
    return client_error(endpoint.error().message);
  }
  if (!(endpoint->path.empty() || endpoint->path == "/")) {
    return client_error("R2 endpoint URL must not include a path");
  }
  auto const bucket = std::string{core::trim(s.bucket_name)};
  if (auto ok = upstream::check_bucket_name(bucket); !ok) {
    return client_error(ok.error().message);
  }
  auto region = std::string{core::trim(s.region)};
  if (region.empty()) {
    region = "auto";
  }
  if (auto ok = upstream::check_region(region); !ok) {
    return client_error(ok.error().message);
  }
  r2_target t;
  t.bucket.endpoint = endpoint->scheme + "://" + endpoint->host_and_port();
  t.bucket.bucket = bucket;
  t.bucket.addressing = upstream::addressing_for(t.bucket.endpoint, bucket);
  t.key_prefix = core::normalise_r2_key_prefix(s.key_prefix);
  t.region = std::move(region);
  t.access_key_id = core::resolve_secret(s.access_key_id).value;
  t.secret_access_key = core::resolve_secret(s.secret_access_key).value;
  return t;
}

} // namespace panel::actors
