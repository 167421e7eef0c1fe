#pragma once
// export_run: one tracked ZIP export (spec §3.10), on its own (detached)
// thread. It plans the archive on a reader (rows, files, metadata.json; the
// `preparing` stage, 0..20), then writes DATA_DIR/exports/<id>.zip.tmp piece
// by piece (the `packing` stage, 20..100 by bytes), fsyncs and renames it to
// <id>.zip, and reports every step to export_supervisor. Each step is one
// message, so a stopping system interrupts it between pieces; whatever it
// leaves unfinished (the .tmp file, the metadata file) it removes.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "actors/export_supervisor.hpp"

namespace panel::actors {

struct export_run_spec {
  std::string job_id;
  std::optional<std::vector<std::string>> ids; ///< nullopt: the whole gallery
  std::int64_t requested_count = 0;
  std::filesystem::path images_dir;
  std::filesystem::path zip_path;              ///< DATA_DIR/exports/<id>.zip
  std::string app_version;
};

/// Spawns the run; it reports (export_update_atom, job_id, progress) to
/// `supervisor`, ends with a success or error report and quits.
caf::actor spawn_export_run(caf::actor_system& sys, export_run_spec spec, reader_pool readers,
                            export_supervisor_actor supervisor);

} // namespace panel::actors
