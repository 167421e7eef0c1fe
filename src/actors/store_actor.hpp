#pragma once
// store_actor: owns the SQLite writer connection on its own (detached) thread,
// and does the job system's blocking file work there too (atomic image writes,
// staged-source removal), so no scheduler thread ever blocks on disk.

#include <memory>

#include "actors/type_ids.hpp"

namespace panel::store {
class store;
}

namespace panel::actors {

/// * `close_atom` -> bool (true when the checkpoint and close succeeded).
/// * (gallery_get_atom, id) -> the gallery row, or a null local_ptr when there is none.
/// Job system (job_supervisor is the only writer of generate_jobs, so its
/// messages are applied in the order it sent them):
/// * (job_put_atom, record, insert) -> bool: insert (queued) or update (any
///   later state) the row; update answers false when the row is gone.
/// * (job_fetch_atom, id) -> the persisted job, or a null local_ptr.
/// * (job_hist_atom, query) -> JSON array of GenerateJobStatus (§3.7 history).
/// * (job_clear_atom) -> how many terminal jobs were deleted.
/// * (job_trim_atom, keep) -> how many old terminal jobs were trimmed (§4.7).
/// * (img_save_atom, request) -> the saved image: the file is written
///   atomically under request.dir (temp, fsync, rename, fsync dir) and THEN
///   its gallery row inserted (a failed insert removes the file again).
/// * (files_del_atom, paths) -> true: removes staged files (missing ones are fine).
/// * (exec_atom, task) -> true once `task` ran with the open store (store_tasks.hpp).
/// * (exec_atom, errand): a handler's task, sent one way (store_tasks.hpp).
using store_actor =
    caf::typed_actor<caf::replies_to<close_atom>::with<bool>,
                     caf::replies_to<gallery_get_atom, std::string>::with<local_ptr<store::gallery_row>>,
                     caf::replies_to<job_put_atom, local_ptr<store::job_record>, bool>::with<bool>,
                     caf::replies_to<job_fetch_atom, std::string>::with<local_ptr<store::job_record>>,
                     caf::replies_to<job_hist_atom, job_list_query>::with<std::string>,
                     caf::replies_to<job_clear_atom>::with<std::int64_t>,
                     caf::replies_to<job_trim_atom, std::int64_t>::with<std::int64_t>,
                     caf::replies_to<img_save_atom, local_ptr<store::image_save_request>>::with<
                         local_ptr<store::job_image>>,
                     caf::replies_to<files_del_atom, local_ptr<std::vector<std::string>>>::with<bool>,
                     caf::replies_to<exec_atom, local_ptr<writer_task>>::with<bool>,
                     caf::reacts_to<exec_atom, local_ptr<writer_errand>>>;

/// Spawns the actor, which takes ownership of the opened store.
[[nodiscard]] store_actor spawn_store_actor(caf::actor_system& sys, std::shared_ptr<store::store> db);

} // namespace panel::actors
