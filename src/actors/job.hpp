#pragma once
// job: the values one job actor works with (ARCHITECTURE.md §3, spec/API.md
// §4, §6). Plain structs, no CAF: the typed interfaces live in
// actors/job_internal.hpp. A job_spec is built by job_supervisor at run time
// from the ticket and the settings captured at submission; the job actor sends
// a job_result back when every child call is done.

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "actors/job_messages.hpp"
#include "actors/job_outcome.hpp"
#include "core/expected.hpp"
#include "core/net_guard.hpp"
#include "store/job_record.hpp"
#include "upstream/api_path.hpp"
#include "upstream/payloads.hpp"

namespace panel::actors {

/// Everything a job actor needs to run (immutable; shared by pointer). Holds the
/// resolved API key and proxy: never log or print it.
struct job_spec {
  std::string job_id;
  bool edit = false;
  upstream::generation_params params;  ///< model resolved; n = the requested n
  upstream::api_path path = upstream::api_path::images_generations;
  std::string url;                     ///< build_upstream_url(base, path)
  std::string api_key;                 ///< resolved bearer token (secret)
  std::string socks5_proxy;            ///< resolved proxy URL, "" = direct (secret)
  std::string api_preset_name;
  std::vector<staged_source> sources;  ///< edits: staged files, in part order
  std::filesystem::path images_dir;    ///< IMAGES_DIR
  std::uint64_t max_image_bytes = 50ull << 20; ///< MAX_FILE_SIZE_MB
  std::uint64_t max_pixels = 100'000'000;      ///< MAX_IMAGE_PIXELS
  std::int64_t upstream_timeout_ms = 0;        ///< 0: the pool default
  int max_parallel_items = 3;                  ///< result items processed at once (§6.7)
};

/// What a job reports when all of its child calls are done.
struct job_result {
  std::vector<store::job_image> images;         ///< saved images, in completion order
  std::vector<child_failure> failures;          ///< failed child calls (1-based index)
  std::map<std::string, double> stage_timings;  ///< ms, summed over children
  std::string first_format;                     ///< detected format of images[0] ("" when none)
};

/// A multipart edits body built off the scheduler (a one-shot detached actor
/// reads the staged files): the body and its Content-Type, or an error text.
struct edit_body {
  std::string content_type;
  std::shared_ptr<const std::string> body;
  std::string error; ///< non-empty: reading a staged source failed
};

/// What submission needs from the configuration (copied once at spawn).
struct job_env {
  std::filesystem::path images_dir;
  std::uint64_t max_image_bytes = 50ull << 20;
  std::uint64_t max_pixels = 100'000'000;
  std::string default_responses_model = "gpt-5.4";
  bool webhook_signing_secret_set = false; ///< WEBHOOK_SIGNING_SECRET non-empty (the value stays in the sender)
  core::net_policy policy;
};

/// An accepted-looking submission: the spec to run, the queued record, the
/// effective webhook URL ("" = none) and what admission must reserve.
struct prepared_job {
  std::shared_ptr<job_spec const> spec;
  store::job_record record;
  std::string webhook_url;
  int units = 1;
  std::int64_t edit_bytes = 0;
};

/// The §3.6 pre-checks, in the spec's order, against the captured settings:
/// api_url (400), API key (400 missing env var / 422 none), SOCKS5 env ref
/// (400), webhook URL rules (422, no DNS here: the sender re-validates with DNS
/// right before delivery) and WEBHOOK_SIGNING_SECRET (422). Admission (429) is
/// the supervisor's. Also resolves the model and normalises output_compression.
/// Pure apart from reading the process environment.
[[nodiscard]] expected<prepared_job> prepare_job(job_ticket const& ticket, store::job_settings const& settings,
                                                 job_env const& env, std::string const& job_id,
                                                 std::string const& now_iso);

/// Number of upstream calls a job makes: generations/responses/chat fan out
/// into n calls of n=1 (§4.4); edits send one call with the requested n
/// (README-era behaviour, see job.cpp).
[[nodiscard]] int child_call_count(job_spec const& spec);

/// "1.23s": a duration in seconds with two decimals (§4.2 `duration`).
[[nodiscard]] std::string format_duration(double seconds);

} // namespace panel::actors
