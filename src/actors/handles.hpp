#pragma once
// Typed handles of the process-wide actors, for handlers that talk to them.

#include "actors/codec_pool.hpp"
#include "actors/event_hub.hpp"
#include "actors/export_supervisor_actor.hpp"
#include "actors/job_supervisor.hpp"
#include "actors/reader_pool.hpp"
#include "actors/release_checker.hpp"
#include "actors/store_actor.hpp"
#include "actors/upstream_pool.hpp"
#include "actors/webhook_sender.hpp"

namespace panel::actors {

/// Spawned by runtime::start, stopped by runtime::shutdown.
struct handles {
  release_checker_actor release_checker; ///< optional latest-release check
  store_actor store;                     ///< the SQLite writer
  reader_pool readers;                   ///< read-only connections for queries and file reads
  codec_pool_actor codecs;               ///< decode, validate, thumbnail, transcode workers
  upstream_pool_actor upstream;          ///< the curl multi loop for every outgoing request
  event_hub_actor events;                ///< SSE topics and their subscribers
  webhook_sender_actor webhooks;         ///< signed webhook deliveries
  job_supervisor_actor jobs;             ///< the job queue (admission, slots, cancel, active list)
  export_supervisor_actor exports;       ///< tracked ZIP exports and batch-download slots
};

} // namespace panel::actors
