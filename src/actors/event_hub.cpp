// event_hub
//   (subscribe_atom, topic, who): adds `who` to the topic and monitors it
//   (unsub_atom, topic, who):     removes it
//   (publish_atom, frame):        formats the frame once and sends the shared
//                                 text (sse_chunk) to every subscriber of frame.topic
//   down_msg:                     forgets a subscriber that died
//
// Subscribers are kept by actor id in both directions (topic -> subscribers,
// subscriber -> topics), so thousands of streams join, leave and die in O(1)
// each; a fan-out walks the topic's subscribers once.

#include "actors/event_hub.hpp"

#include <algorithm>
#include <unordered_map>
#include <vector>

#include "http/message.hpp"

namespace panel::actors {

namespace {

struct hub_state {
  std::unordered_map<std::string, std::unordered_map<caf::actor_id, caf::actor>> topics;
  std::unordered_map<caf::actor_id, std::vector<std::string>> topics_of;

  void remove(std::string const& topic, caf::actor_id who) {
    if (auto it = topics.find(topic); it != topics.end()) {
      it->second.erase(who);
      if (it->second.empty()) {
        topics.erase(it);
      }
    }
    if (auto it = topics_of.find(who); it != topics_of.end()) {
      std::erase(it->second, topic);
      if (it->second.empty()) {
        topics_of.erase(it);
      }
    }
  }
};

} // namespace

event_hub_actor spawn_event_hub(caf::actor_system& sys) {
  return sys.spawn([](event_hub_actor::stateful_pointer<hub_state> self) -> event_hub_actor::behavior_type {
    self->set_down_handler([self](caf::down_msg const& down) {
      auto const id = down.source.id();
      auto it = self->state.topics_of.find(id);
      if (it == self->state.topics_of.end()) {
        return;
      }
      auto const topics = std::move(it->second);
      for (auto const& topic : topics) {
        self->state.remove(topic, id);
      }
      self->state.topics_of.erase(id);
    });
    return {
        [self](subscribe_atom, std::string const& topic, caf::actor const& who) {
          if (!who) {
            return;
          }
          auto [pos, added] = self->state.topics[topic].emplace(who.id(), who);
          if (added) {
            auto& mine = self->state.topics_of[who.id()];
            if (mine.empty()) {
              self->monitor(who);
            }
            mine.push_back(topic);
          }
        },
        [self](unsub_atom, std::string const& topic, caf::actor const& who) {
          if (who) {
            self->state.remove(topic, who.id());
          }
        },
        [self](publish_atom, sse_frame const& frame) {
          auto it = self->state.topics.find(frame.topic);
          if (it == self->state.topics.end()) {
            return;
          }
          sse_chunk const chunk{shared_text{std::make_shared<std::string const>(http::sse_event(frame.event, frame.json))},
                                frame.last};
          for (auto const& [id, sub] : it->second) {
            caf::anon_send(sub, chunk); // typed actors may not send() to dynamic ones
          }
        },
    };
  });
}

} // namespace panel::actors
