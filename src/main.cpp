// image-panel: read the configuration, open the store, start the actors, serve HTTP.

#include <csignal>
#include <cstdio>
#include <malloc.h>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "actors/gallery_backfill.hpp"
#include "actors/runtime.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/logging.hpp"
#include "core/secrets.hpp"
#include "core/version.hpp"
#include "http/app.hpp"
#include "http/server.hpp"
#include "store/global_settings.hpp"
#include "store/image_files.hpp"
#include "store/jobs_repo.hpp"
#include "store/presets_repo.hpp"
#include "store/reconcile.hpp"
#include "store/store.hpp"

namespace {

int fail_startup(std::string const& message) {
  panel::core::log_error("startup failed: " + message);
  return 2;
}

} // namespace

int main(int argc, char** argv) {
  using namespace panel;
  // Image payloads are megabytes: with glibc's default (dynamic) mmap threshold
  // every such buffer is a fresh mmap, faulted in page by page and unmapped again.
  // Keeping them on the heap halves the kernel time per image (bench/jobs).
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 128 << 20);
  // A peer that goes away mid-body must cost an EPIPE, not the process:
  // sendfile(2) (http/file_send.cpp) has no MSG_NOSIGNAL.
  std::signal(SIGPIPE, SIG_IGN);
  auto cli = core::parse_cli(argc, argv);
  if (!cli) {
    std::cerr << "image-panel: " << cli.error().message << "\n";
    return 2;
  }
  if (cli->show_help) {
    std::cout << core::help_text();
    return 0;
  }

  core::config_sources sources;
  sources.environment = core::process_environment();
  sources.flags = cli->flags;
  if (std::ifstream env_file{cli->env_file}) {
    std::stringstream ss;
    ss << env_file.rdbuf();
    auto dotenv = core::parse_dotenv(ss.str());
    if (!dotenv) {
      return fail_startup(cli->env_file + ": " + dotenv.error().message);
    }
    sources.dotenv = std::move(*dotenv);
    // `${VAR}` references may name .env variables (as in the original, which loads
    // .env into the environment); the real environment wins. No thread runs yet.
    core::export_dotenv(sources.dotenv);
  }
  auto cfg = core::load_config(sources);
  if (!cfg) {
    return fail_startup(cfg.error().message);
  }
  if (cli->show_version) {
    std::cout << core::current_version(*cfg) << "\n";
    return 0;
  }

  if (!cfg->access_enabled()) {
    if (!cfg->allow_unauthenticated) {
      return fail_startup("ACCESS_KEY is not set. Set ACCESS_KEY to protect the panel, or set "
                          "ALLOW_UNAUTHENTICATED=true to serve it without access-key authentication.");
    }
    core::log_warning("ALLOW_UNAUTHENTICATED=true: every route runs without access-key authentication. "
                      "Anyone who can reach this port can use the panel and its upstream key.");
  }
  if (!cfg->private_network_allowlist.empty() || !cfg->private_network_host_allowlist.empty()) {
    core::log_warning("PRIVATE_NETWORK_ALLOWLIST is set: outgoing requests may reach the listed private "
                      "addresses and hosts.");
  }
  if (!cfg->extra_ca_file.empty()) {
    core::log_warning("EXTRA_CA_FILE is set: outgoing HTTPS also trusts " + cfg->extra_ca_file.string());
  }
  auto rules = http::gate_rules::compile(*cfg);
  if (!rules) {
    return fail_startup(rules.error().message);
  }

  auto db = store::open_store({cfg->data_dir, cfg->database_file});
  if (!db) {
    return fail_startup("cannot open the database: " + db.error().message);
  }
  // Jobs that were queued or running when the process last stopped (here or in
  // the original panel whose database this may be) cannot resume: say so (§4.7).
  if (auto n = store::jobs_repo{db->writer()}.mark_interrupted_on_startup(core::now_iso_utc()); !n) {
    return fail_startup("cannot reconcile jobs: " + n.error().message);
  } else if (*n > 0) {
    core::log_info("marked " + std::to_string(*n) + " unfinished job(s) as interrupted");
  }
  // First start: the "Default" preset from DEFAULT_* (§3.3 "Initial state"); later
  // starts only repair active_preset_id: from then on the settings are edited in the
  // panel. Secrets given literally in the environment are stored as references to
  // their variable, so the database never holds them.
  store::preset_seed const seed{cfg->default_api_url, store::env_default_ref(cfg->default_api_key, "DEFAULT_API_KEY"),
                                cfg->default_api_path,
                                store::env_default_ref(cfg->default_upstream_socks5_proxy,
                                                       "DEFAULT_UPSTREAM_SOCKS5_PROXY")};
  if (auto seeded = store::presets_repo{db->writer()}.seed(seed); !seeded) {
    return fail_startup("cannot seed the presets: " + seeded.error().message);
  }
  // §11.1: R2 values from the environment are saved on first load so the panel shows them.
  store::global_settings_repo globals{db->writer()};
  if (auto persisted = globals.persist_r2_env_defaults(store::default_r2_settings(*cfg)); !persisted) {
    return fail_startup("cannot store the R2 settings: " + persisted.error().message);
  }
  auto job_settings = store::presets_repo{db->writer()}.job_settings_snapshot();
  if (!job_settings) {
    return fail_startup("cannot read the job settings: " + job_settings.error().message);
  }
  std::error_code ec;
  std::filesystem::create_directories(cfg->images_dir, ec);
  if (ec) {
    return fail_startup("cannot create IMAGES_DIR " + cfg->images_dir.string() + ": " + ec.message());
  }
  // Rows whose image is gone, and temp files of interrupted writes (ARCHITECTURE §5, §8.6).
  if (auto reconciled = store::reconcile_gallery_on_startup(db->writer(), cfg->images_dir, cfg->thumbnails_dir);
      !reconciled) {
    return fail_startup("cannot reconcile the gallery: " + reconciled.error().message);
  }
  // Staged edit sources of jobs that died with the last process are garbage (§4.7).
  auto const edit_sources = cfg->data_dir / "edit-sources";
  if (auto n = store::remove_staged_edit_sources(edit_sources); n > 0) {
    core::log_info("removed " + std::to_string(n) + " stale staged edit source file(s)");
  }
  std::filesystem::create_directories(edit_sources, ec);
  if (ec) {
    return fail_startup("cannot create " + edit_sources.string() + ": " + ec.message());
  }
  std::filesystem::permissions(edit_sources, std::filesystem::perms::owner_all, ec);

  auto rt = actors::runtime::start(*cfg, std::move(*db), std::move(*job_settings));
  if (!rt) {
    return fail_startup(rt.error().message);
  }
  // Legacy rows without a byte count get one from disk, in the background (§8.4).
  actors::start_startup_backfill(**rt, cfg->images_dir);
  http::app app{*cfg, std::move(*rules), **rt};
  http::register_routes(app);
  http::server server{app, std::max(2U, std::thread::hardware_concurrency())};
  auto port = server.listen(cfg->host, cfg->port);
  if (!port) {
    (*rt)->shutdown();
    return fail_startup(port.error().message);
  }
  core::log_info("Image Panel " + core::current_version(*cfg) + " listening on http://" +
                 (cfg->host.find(':') != std::string::npos ? "[" + cfg->host + "]" : cfg->host) + ":" +
                 std::to_string(*port));
  server.run();
  // HTTP has stopped; now let the actors finish and close the store.
  (*rt)->shutdown();
  core::log_info("stopped cleanly");
  return 0;
}
