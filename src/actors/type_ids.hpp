#pragma once
// The one CAF type-ID block of the project and every atom (at most 10 characters).

#include <caf/all.hpp>

#include "actors/job.hpp"
#include "actors/export_messages.hpp"
#include "actors/job_messages.hpp"
#include "actors/messages.hpp"
#include "actors/r2_messages.hpp"
#include "actors/store_tasks.hpp"
#include "store/image_files.hpp"
#include "store/job_record.hpp"

CAF_BEGIN_TYPE_ID_BLOCK(panel, caf::first_custom_type_id)

CAF_ADD_TYPE_ID(panel, (panel::actors::release_info))
CAF_ADD_TYPE_ID(panel, (panel::actors::sse_frame))
CAF_ADD_TYPE_ID(panel, (panel::actors::sse_chunk))
CAF_ADD_TYPE_ID(panel, (panel::actors::upstream_post_request))
CAF_ADD_TYPE_ID(panel, (panel::actors::upstream_reply))
CAF_ADD_TYPE_ID(panel, (panel::actors::image_fetch_request))
CAF_ADD_TYPE_ID(panel, (panel::actors::image_fetch_reply))
CAF_ADD_TYPE_ID(panel, (panel::actors::upstream_pool_stats))
CAF_ADD_TYPE_ID(panel, (panel::actors::local_ptr<panel::actors::job_ticket>))
CAF_ADD_TYPE_ID(panel, (panel::actors::local_ptr<panel::store::job_settings>))
CAF_ADD_TYPE_ID(panel, (panel::actors::local_ptr<panel::store::gallery_row>))
CAF_ADD_TYPE_ID(panel, (panel::actors::job_list_query))
CAF_ADD_TYPE_ID(panel, (panel::actors::webhook_delivery))
CAF_ADD_TYPE_ID(panel, (panel::actors::job_supervisor_stats))

CAF_ADD_ATOM(panel, panel::actors, latest_atom, "latest")
CAF_ADD_ATOM(panel, panel::actors, fetch_atom, "fetch")
CAF_ADD_ATOM(panel, panel::actors, close_atom, "close")
CAF_ADD_ATOM(panel, panel::actors, subscribe_atom, "subscribe")
CAF_ADD_ATOM(panel, panel::actors, unsub_atom, "unsub")
CAF_ADD_ATOM(panel, panel::actors, publish_atom, "publish")
CAF_ADD_ATOM(panel, panel::actors, tick_atom, "tick")
CAF_ADD_ATOM(panel, panel::actors, ttl_atom, "ttl")
CAF_ADD_ATOM(panel, panel::actors, upstream_post_atom, "uppost")
CAF_ADD_ATOM(panel, panel::actors, image_fetch_atom, "imgfetch")
CAF_ADD_ATOM(panel, panel::actors, upstream_cancel_atom, "upcancel")
CAF_ADD_ATOM(panel, panel::actors, upstream_stats_atom, "upstats")

// Job system (job_supervisor, job, store, webhook_sender).
CAF_ADD_ATOM(panel, panel::actors, submit_atom, "submit")
CAF_ADD_ATOM(panel, panel::actors, job_get_atom, "jobget")
CAF_ADD_ATOM(panel, panel::actors, job_list_atom, "joblist")
CAF_ADD_ATOM(panel, panel::actors, job_cancel_atom, "jobcancel")
CAF_ADD_ATOM(panel, panel::actors, job_clear_atom, "jobclear")
CAF_ADD_ATOM(panel, panel::actors, job_stats_atom, "jobstats")
CAF_ADD_ATOM(panel, panel::actors, settings_atom, "settings")
CAF_ADD_ATOM(panel, panel::actors, webhook_atom, "webhook")
CAF_ADD_ATOM(panel, panel::actors, gallery_get_atom, "galget")
// Internal atoms of the job system go here (job_supervisor.cpp / job.cpp / store_actor.cpp).
CAF_ADD_TYPE_ID(panel, (panel::actors::local_ptr<panel::store::job_record>))
CAF_ADD_TYPE_ID(panel, (panel::actors::local_ptr<panel::store::job_image>))
CAF_ADD_TYPE_ID(panel, (panel::actors::local_ptr<panel::store::image_save_request>))
CAF_ADD_TYPE_ID(panel, (panel::actors::local_ptr<std::vector<std::string>>))
CAF_ADD_TYPE_ID(panel, (panel::actors::local_ptr<panel::actors::job_result>))
CAF_ADD_TYPE_ID(panel, (panel::actors::local_ptr<panel::actors::edit_body>))
CAF_ADD_ATOM(panel, panel::actors, job_put_atom, "jobput")
CAF_ADD_ATOM(panel, panel::actors, job_fetch_atom, "jobfetch")
CAF_ADD_ATOM(panel, panel::actors, job_hist_atom, "jobhist")
CAF_ADD_ATOM(panel, panel::actors, job_trim_atom, "jobtrim")
CAF_ADD_ATOM(panel, panel::actors, img_save_atom, "imgsave")
CAF_ADD_ATOM(panel, panel::actors, files_del_atom, "filesdel")
CAF_ADD_ATOM(panel, panel::actors, permit_atom, "permit")
CAF_ADD_ATOM(panel, panel::actors, permit_rel_atom, "permitrel")
CAF_ADD_ATOM(panel, panel::actors, jprogress_atom, "jprogress")
CAF_ADD_ATOM(panel, panel::actors, jdone_atom, "jdone")
CAF_ADD_ATOM(panel, panel::actors, jflush_atom, "jflush")
CAF_ADD_ATOM(panel, panel::actors, job_run_atom, "jobrun")
CAF_ADD_ATOM(panel, panel::actors, edit_body_atom, "editbody")


// Store tasks (store_tasks.hpp): the writer's exec message and the reader pool.
CAF_ADD_TYPE_ID(panel, (panel::actors::local_ptr<panel::actors::writer_task>))
CAF_ADD_TYPE_ID(panel, (panel::actors::local_ptr<panel::actors::reader_task>))
CAF_ADD_TYPE_ID(panel, (panel::actors::local_ptr<panel::actors::writer_errand>))
CAF_ADD_TYPE_ID(panel, (panel::actors::local_ptr<panel::actors::reader_errand>))
CAF_ADD_ATOM(panel, panel::actors, exec_atom, "exec")
CAF_ADD_ATOM(panel, panel::actors, read_atom, "read")

// Gallery, media and archives (issue 5): add atoms and types below this line.
CAF_ADD_TYPE_ID(panel, (panel::actors::local_ptr<panel::actors::export_request>))
CAF_ADD_TYPE_ID(panel, (panel::actors::local_ptr<panel::actors::export_progress>))
CAF_ADD_ATOM(panel, panel::actors, export_create_atom, "expcreate")
CAF_ADD_ATOM(panel, panel::actors, export_update_atom, "expupdate")
CAF_ADD_ATOM(panel, panel::actors, export_flush_atom, "expflush")
CAF_ADD_ATOM(panel, panel::actors, export_delete_atom, "expdelete")
CAF_ADD_ATOM(panel, panel::actors, export_slot_atom, "expslot")
CAF_ADD_ATOM(panel, panel::actors, export_slot_rel_atom, "expslotrel")
CAF_ADD_ATOM(panel, panel::actors, export_gc_atom, "expgc")
CAF_ADD_ATOM(panel, panel::actors, export_step_atom, "expstep")

// Settings, snippets, optimizer, metrics (issue 6): add atoms and types below this line.

// R2 backup (issue 7): add atoms and types below this line.
CAF_ADD_TYPE_ID(panel, (panel::actors::s3_request))
CAF_ADD_TYPE_ID(panel, (panel::actors::s3_reply))
CAF_ADD_ATOM(panel, panel::actors, s3_atom, "s3req")
CAF_ADD_ATOM(panel, panel::actors, r2_probe_atom, "r2probe")
CAF_ADD_ATOM(panel, panel::actors, sync_get_atom, "syncget")
CAF_ADD_ATOM(panel, panel::actors, sync_retire_atom, "syncretire")
CAF_ADD_ATOM(panel, panel::actors, sync_tick_atom, "synctick")

CAF_END_TYPE_ID_BLOCK(panel)
