#pragma once
// event_hub: topics and their subscribers. Producers (jobs, exports, syncs) publish
// sse_frames to a topic; every live subscriber of the topic gets them. Subscribers
// are monitored, so a stream that dies leaves its topics by itself.

#include "actors/type_ids.hpp"

namespace panel::actors {

/// subscribe(topic, who) · unsubscribe(topic, who) · publish(frame)
using event_hub_actor = caf::typed_actor<caf::reacts_to<subscribe_atom, std::string, caf::actor>,
                                         caf::reacts_to<unsub_atom, std::string, caf::actor>,
                                         caf::reacts_to<publish_atom, sse_frame>>;

/// Spawns the process-wide hub.
[[nodiscard]] event_hub_actor spawn_event_hub(caf::actor_system& sys);

} // namespace panel::actors
