#pragma once
// The one CAF type-ID block of the project and every atom (at most 10 characters).

#include <caf/all.hpp>

#include "actors/messages.hpp"

CAF_BEGIN_TYPE_ID_BLOCK(panel, caf::first_custom_type_id)

CAF_ADD_TYPE_ID(panel, (panel::actors::release_info))

CAF_ADD_ATOM(panel, panel::actors, latest_atom, "latest")
CAF_ADD_ATOM(panel, panel::actors, fetch_atom, "fetch")
CAF_ADD_ATOM(panel, panel::actors, close_atom, "close")

CAF_END_TYPE_ID_BLOCK(panel)
