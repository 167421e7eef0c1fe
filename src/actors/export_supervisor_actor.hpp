#pragma once
// The typed handle of export_supervisor (actors/export_supervisor.hpp), apart
// from its spawn function so that handles.hpp can hold one.

#include "actors/type_ids.hpp"

namespace panel::actors {

/// * (export_create_atom, request) -> the 202 GalleryExportJobStatus JSON, once
///   the queued record is persisted; 429 "Too many active export jobs (<n>). ..."
///   when 5 exports are active.
/// * (export_update_atom, job_id, progress): from the job's export_run.
/// * (export_flush_atom, job_id): the trailing edge of the throttle.
/// * (subscribe_atom, topic, who): an SSE subscriber of `export:<id>` (see sse_subscription::via).
/// * (export_delete_atom, job_id) -> true once the row and its ZIP are gone
///   (after a one-shot download); the job's streams end.
/// * (export_slot_atom) -> true: one streamed batch download holds a slot
///   (429 as above when none is free); (export_slot_rel_atom) gives it back.
/// * (export_gc_atom): the periodic clean-up.
using export_supervisor_actor =
    caf::typed_actor<caf::replies_to<export_create_atom, local_ptr<export_request>>::with<std::string>,
                     caf::reacts_to<export_update_atom, std::string, local_ptr<export_progress>>,
                     caf::reacts_to<export_flush_atom, std::string>,
                     caf::reacts_to<subscribe_atom, std::string, caf::actor>,
                     caf::replies_to<export_delete_atom, std::string>::with<bool>,
                     caf::replies_to<export_slot_atom>::with<bool>,
                     caf::reacts_to<export_slot_rel_atom>,
                     caf::reacts_to<export_gc_atom>>;

} // namespace panel::actors
