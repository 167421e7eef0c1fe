// event_hub
//   (subscribe_atom, topic, who): adds `who` to the topic and monitors it
//   (unsub_atom, topic, who):     removes it
//   (publish_atom, frame):        sends the frame to every subscriber of frame.topic
//   down_msg:                     forgets a subscriber that died

#include "actors/event_hub.hpp"

#include <algorithm>
#include <map>
#include <vector>

namespace panel::actors {

namespace {

struct hub_state {
  std::map<std::string, std::vector<caf::actor>> topics;

  void remove(std::string const& topic, caf::actor_addr const& who) {
    auto it = topics.find(topic);
    if (it == topics.end()) {
      return;
    }
    std::erase_if(it->second, [&](caf::actor const& a) { return a.address() == who; });
    if (it->second.empty()) {
      topics.erase(it);
    }
  }
};

} // namespace

event_hub_actor spawn_event_hub(caf::actor_system& sys) {
  return sys.spawn([](event_hub_actor::stateful_pointer<hub_state> self) -> event_hub_actor::behavior_type {
    self->set_down_handler([self](caf::down_msg const& down) {
      for (auto it = self->state.topics.begin(); it != self->state.topics.end();) {
        std::erase_if(it->second, [&](caf::actor const& a) { return a.address() == down.source; });
        it = it->second.empty() ? self->state.topics.erase(it) : std::next(it);
      }
    });
    return {
        [self](subscribe_atom, std::string const& topic, caf::actor const& who) {
          auto& subs = self->state.topics[topic];
          if (std::find(subs.begin(), subs.end(), who) == subs.end()) {
            subs.push_back(who);
            self->monitor(who);
          }
        },
        [self](unsub_atom, std::string const& topic, caf::actor const& who) {
          self->state.remove(topic, who.address());
        },
        [self](publish_atom, sse_frame const& frame) {
          auto it = self->state.topics.find(frame.topic);
          if (it == self->state.topics.end()) {
            return;
          }
          for (auto const& sub : it->second) {
            caf::anon_send(sub, frame); // typed actors may not send() to dynamic ones
          }
        },
    };
  });
}

} // namespace panel::actors
