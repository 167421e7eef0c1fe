// release_checker
//   (latest_atom, current) -> release_info: asks a fresh detached worker to do the
//   blocking fetch (fetch_atom) and forwards its answer through a response promise.

#include "actors/release_checker.hpp"

#include <simdjson.h>

#include "core/clock.hpp"
#include "core/strings.hpp"
#include "upstream/curl_easy.hpp"

namespace panel::actors {

namespace {

std::string strip_v(std::string_view v) {
  v = core::trim(v);
  if (!v.empty() && (v.front() == 'v' || v.front() == 'V')) {
    v.remove_prefix(1);
  }
  return std::string(v);
}

std::vector<long long> version_parts(std::string const& v) {
  std::vector<long long> out;
  for (auto const& part : core::split_list(strip_v(v), ".")) {
    char* end = nullptr;
    long long const n = std::strtoll(part.c_str(), &end, 10);
    out.push_back(end != nullptr && *end == '\0' ? n : 0);
  }
  return out;
}

std::optional<std::string> tag_from_release_api(release_source const& src, upstream::get_options const& opt) {
  auto const res = upstream::blocking_get(src.api_base + "/repos/" + src.repo + "/releases/latest", opt);
  if (!res || res->status != 200) {
    return std::nullopt;
  }
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  std::string_view tag;
  if (parser.parse(res->body).get(doc) != simdjson::SUCCESS || doc["tag_name"].get(tag) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  auto v = strip_v(tag);
  return v.empty() ? std::nullopt : std::optional{v};
}

std::optional<std::string> version_from_branch(release_source const& src, upstream::get_options const& opt) {
  auto const res = upstream::blocking_get(src.raw_base + "/" + src.repo + "/" + src.branch + "/VERSION", opt);
  if (!res || res->status != 200) {
    return std::nullopt;
  }
  auto v = strip_v(res->body);
  return v.empty() ? std::nullopt : std::optional{v};
}

} // namespace

bool version_newer(std::string const& latest, std::string const& current) {
  auto a = version_parts(latest);
  auto b = version_parts(current);
  auto const n = std::max(a.size(), b.size());
  a.resize(n, 0);
  b.resize(n, 0);
  return a > b;
}

release_info check_latest_release(release_source const& source, std::string const& current) {
  release_info out;
  if (!source.enabled || source.repo.empty()) {
    return out;
  }
  upstream::get_options opt;
  opt.timeout_ms = source.timeout_seconds * 1000L;
  opt.max_bytes = 1024 * 1024;
  opt.extra_ca_file = source.extra_ca_file;
  opt.headers = {"Accept: application/vnd.github+json", "User-Agent: gpt-image-linux-version-check"};
  auto latest = tag_from_release_api(source, opt);
  if (!latest) {
    latest = version_from_branch(source, opt);
  }
  if (!latest) {
    return out;
  }
  out.latest_version = *latest;
  out.has_update = version_newer(*latest, current);
  out.checked_at = core::now_iso_utc();
  return out;
}

release_checker_actor spawn_release_checker(caf::actor_system& sys, release_source source) {
  return sys.spawn([source](release_checker_actor::pointer self) -> release_checker_actor::behavior_type {
    return {
        [self, source](latest_atom, std::string const& current) -> caf::result<release_info> {
          // The blocking fetch runs in its own detached worker; the worker is
          // released once it has answered.
          auto worker = self->spawn<caf::detached>([source, current](caf::event_based_actor*) -> caf::behavior {
            return {[source, current](fetch_atom) { return check_latest_release(source, current); }};
          });
          auto rp = self->make_response_promise<release_info>();
          self->request(worker, caf::infinite, fetch_atom::value)
              .then([rp](release_info const& info) mutable { rp.deliver(info); },
                    [rp](caf::error const&) mutable { rp.deliver(release_info{}); });
          return rp;
        },
    };
  });
}

} // namespace panel::actors
