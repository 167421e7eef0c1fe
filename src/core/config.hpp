#pragma once
// The panel's configuration: every variable of spec §15 plus our additions (§18),
// read from the environment, an optional .env file and command-line flags.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/expected.hpp"
#include "core/ip_address.hpp"

namespace panel::core {

/// Where a variable's value came from, lowest precedence first.
/// Flags win over the process environment, which wins over `.env`.
struct config_sources {
  std::map<std::string, std::string> dotenv;      ///< parsed `.env` file
  std::map<std::string, std::string> environment; ///< the process environment
  std::map<std::string, std::string> flags;       ///< --host/--port/--data-dir, as variables
};

/// Immutable after startup; shared read-only by every thread.
struct config {
  // Listening (flags --host/--port; HOST/PORT variables).
  std::string host = "127.0.0.1";
  std::uint16_t port = 9090;

  // Upstream defaults and secrets.
  std::string default_api_url;
  std::string default_api_key;
  std::string default_api_path = "/v1/images/generations";
  std::string default_responses_model = "gpt-5.4";
  std::string default_upstream_socks5_proxy;
  bool allow_plaintext_secrets = false;

  // Prompt optimizer.
  bool prompt_optimizer_enabled = false;
  std::string prompt_optimizer_api_url;
  std::string prompt_optimizer_api_key;
  std::string prompt_optimizer_model = "gpt-4o-mini";
  int prompt_optimizer_timeout_seconds = 60;
  int prompt_optimizer_max_output_chars = 4000;
  int prompt_optimizer_max_response_mb = 8;
  std::vector<std::string> prompt_optimizer_host_allowlist;

  // R2 backup.
  bool r2_backup_enabled = false;
  std::string r2_endpoint_url;
  std::string r2_bucket_name;
  std::string r2_region = "auto";
  std::string r2_key_prefix = "gallery/";
  std::string r2_access_key_id;
  std::string r2_secret_access_key;
  std::vector<std::string> r2_endpoint_host_allowlist;
  std::int64_t r2_sync_interval_hours = 0; ///< default of the scheduled backup (0 = off)
  std::int64_t r2_sync_concurrency = 4;    ///< uploads in flight per sync run, 1..32

  // Version.
  std::optional<std::string> app_version; ///< APP_VERSION when set (re-read per request)
  std::string github_repo; ///< empty: the release check is off
  bool enable_version_check = true;
  int version_check_timeout_seconds = 3;
  std::string version_check_branch = "main";
  std::string version_check_api_url = "https://api.github.com";            ///< release API base
  std::string version_check_raw_url = "https://raw.githubusercontent.com"; ///< VERSION file base
  std::filesystem::path version_file = "VERSION";

  // Metrics.
  bool enable_metrics = false;
  int slow_gallery_query_ms = 200;

  // Access gate.
  std::string access_key;
  bool allow_unauthenticated = false;
  std::string access_key_cookie_name = "gpt_image_access";
  bool access_cookie_secure = true;
  int access_max_failures = 5;
  int access_lockout_seconds = 300;
  std::size_t access_failure_table_size = 10000;

  // Network gate.
  std::vector<ip_network> ip_allowlist;
  bool trust_proxy_headers = false;
  std::vector<ip_network> trusted_proxy_ips;
  std::string public_origin;
  std::string allowed_hosts;
  bool csrf_origin_check_enabled = true;

  // Outgoing requests.
  std::vector<std::string> upstream_host_allowlist;
  std::vector<std::string> webhook_host_allowlist;
  std::vector<ip_network> private_network_allowlist;       ///< IP/CIDR entries
  std::vector<std::string> private_network_host_allowlist; ///< hostname entries
  std::filesystem::path extra_ca_file;

  // Webhooks.
  std::string webhook_signing_secret;
  int webhook_timeout_seconds = 5;
  int webhook_max_attempts = 3;

  // Sizes and limits.
  std::int64_t max_file_size_mb = 50;
  std::int64_t max_json_body_mb = 1;
  std::int64_t max_upstream_json_mb = 128;
  std::int64_t max_image_pixels = 100'000'000;
  std::int64_t import_archive_max_mb = 1000;
  std::int64_t import_max_files = 500;
  std::int64_t import_max_uncompressed_mb = 1024;
  std::int64_t import_max_metadata_bytes = 2'097'152;
  double import_max_compression_ratio = 100.0;
  std::int64_t edit_upload_max_mb = 16 * 50 + 1;

  // Jobs and SSE.
  int max_active_generate_jobs = 2;
  int max_queued_generate_jobs = 20;
  std::int64_t max_pending_edit_source_mb = 200;
  int max_sse_subscribers_global = 200;
  int max_sse_subscribers_per_ip = 10;
  int sse_connection_ttl_seconds = 3600;

  // Files.
  std::filesystem::path data_dir = "./data";
  std::filesystem::path database_file; ///< default data_dir/app.sqlite3
  std::filesystem::path images_dir = "./images";
  std::filesystem::path thumbnails_dir; ///< default images_dir/thumbs
  int thumbnail_max_side = 512;
  std::filesystem::path web_build_dir;  ///< default <source tree>/web/build

  /// True when ACCESS_KEY is set (the gate is on).
  [[nodiscard]] bool access_enabled() const { return !access_key.empty(); }
};

/// Builds the configuration from its sources; fails with a message naming the
/// variable on a bad value (e.g. "MAX_FILE_SIZE_MB must be an integer, got 'x'").
[[nodiscard]] expected<config> load_config(config_sources const& sources);

/// Parses `.env` text: KEY=VALUE lines, `#` comments, optional `export `,
/// single- or double-quoted values. Fails naming the line on a malformed line.
[[nodiscard]] expected<std::map<std::string, std::string>> parse_dotenv(std::string const& text);

/// The process environment as a map.
[[nodiscard]] std::map<std::string, std::string> process_environment();

/// Outcome of reading argv.
struct cli_args {
  std::map<std::string, std::string> flags; ///< as config variables (HOST, PORT, DATA_DIR)
  std::string env_file = ".env";            ///< --env-file
  bool show_help = false;
  bool show_version = false;
};

/// Parses --host, --port, --data-dir, --env-file, --help, --version (`--x=v` or `--x v`).
[[nodiscard]] expected<cli_args> parse_cli(int argc, char const* const* argv);

/// The --help text, describing every flag and variable.
[[nodiscard]] std::string help_text();

} // namespace panel::core
