#pragma once
// The one CAF type-ID block of the project and every atom (at most 10 characters).

#include <caf/all.hpp>

#include "actors/messages.hpp"

CAF_BEGIN_TYPE_ID_BLOCK(panel, caf::first_custom_type_id)

CAF_ADD_TYPE_ID(panel, (panel::actors::release_info))
CAF_ADD_TYPE_ID(panel, (panel::actors::sse_frame))
CAF_ADD_TYPE_ID(panel, (panel::actors::upstream_post_request))
CAF_ADD_TYPE_ID(panel, (panel::actors::upstream_reply))
CAF_ADD_TYPE_ID(panel, (panel::actors::image_fetch_request))
CAF_ADD_TYPE_ID(panel, (panel::actors::image_fetch_reply))
CAF_ADD_TYPE_ID(panel, (panel::actors::upstream_pool_stats))

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

CAF_END_TYPE_ID_BLOCK(panel)
