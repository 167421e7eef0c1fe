#include <catch2/catch.hpp>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "actors/event_hub.hpp"
#include "actors/sse_subscriber.hpp"
#include "http/message.hpp"

using namespace panel;
using namespace panel::actors;

namespace {

struct test_config : caf::actor_system_config {
  test_config() { add_message_types<caf::id_block::panel>(); }
};

// Records what a subscriber writes; stands in for the socket writer.
class recording_stream : public http::event_stream {
public:
  bool push(std::string chunk) override {
    std::lock_guard lock{mutex_};
    if (closed_) {
      return false;
    }
    chunks_.push_back(std::move(chunk));
    cv_.notify_all();
    return true;
  }
  void close() override {
    std::function<void()> fn;
    {
      std::lock_guard lock{mutex_};
      if (closed_) {
        return;
      }
      closed_ = true;
      fn = std::move(on_closed_);
      cv_.notify_all();
    }
    if (fn) {
      fn();
    }
  }
  bool closed() const override {
    std::lock_guard lock{mutex_};
    return closed_;
  }
  void on_closed(std::function<void()> fn) override {
    std::lock_guard lock{mutex_};
    on_closed_ = std::move(fn);
  }
  // Waits (bounded) until `pred(chunks, closed)` holds.
  template <class Pred>
  bool wait(Pred pred) {
    std::unique_lock lock{mutex_};
    return cv_.wait_for(lock, std::chrono::seconds(5), [&] { return pred(chunks_, closed_); });
  }
  std::vector<std::string> chunks() {
    std::lock_guard lock{mutex_};
    return chunks_;
  }

private:
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<std::string> chunks_;
  bool closed_ = false;
  std::function<void()> on_closed_;
};

} // namespace

TEST_CASE("subscriber: first event, published frames, close after the last one") {
  test_config cfg;
  caf::actor_system sys{cfg};
  auto hub = spawn_event_hub(sys);
  auto stream = std::make_shared<recording_stream>();
  auto slot = std::make_shared<int>(1);
  std::weak_ptr<int> slot_alive = slot;
  sse_subscription sub;
  sub.topic = "job:1";
  sub.first_event = "event: job\ndata: {\"status\":\"queued\"}\n\n";
  sub.slot = std::move(slot);
  spawn_sse_subscriber(sys, hub, stream, std::move(sub));
  REQUIRE(stream->wait([](auto const& c, bool) { return c.size() == 1; }));
  // The subscription reaches the hub asynchronously: publish until it lands.
  bool got = false;
  for (int i = 0; i < 200 && !got; ++i) {
    caf::anon_send(hub, publish_atom::value, sse_frame{"job:1", "job", R"({"status":"running"})", false});
    got = stream->wait([](auto const& c, bool) { return c.size() >= 2; });
  }
  REQUIRE(got);
  caf::anon_send(hub, publish_atom::value, sse_frame{"job:2", "job", "{}", true}); // another topic
  caf::anon_send(hub, publish_atom::value, sse_frame{"job:1", "job", R"({"status":"success"})", true});
  REQUIRE(stream->wait([](auto const&, bool closed) { return closed; }));
  auto const chunks = stream->chunks();
  REQUIRE(chunks.front() == "event: job\ndata: {\"status\":\"queued\"}\n\n");
  REQUIRE(chunks.back() == "event: job\ndata: {\"status\":\"success\"}\n\n");
  for (auto const& c : chunks) {
    REQUIRE(c.find("{}") == std::string::npos);
  }
  for (int i = 0; i < 500 && !slot_alive.expired(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE(slot_alive.expired()); // the limit slot is released with the subscriber
  caf::anon_send_exit(hub, caf::exit_reason::user_shutdown);
}

TEST_CASE("subscriber: keep-alive comments while idle, TTL ends the stream") {
  test_config cfg;
  caf::actor_system sys{cfg};
  auto hub = spawn_event_hub(sys);
  auto stream = std::make_shared<recording_stream>();
  sse_subscription sub;
  sub.topic = "jobs";
  sub.keep_alive = std::chrono::milliseconds(50);
  sub.ttl = std::chrono::seconds(1);
  spawn_sse_subscriber(sys, hub, stream, std::move(sub));
  REQUIRE(stream->wait([](auto const& c, bool) { return !c.empty(); }));
  REQUIRE(stream->chunks().front() == ": keep-alive\n\n");
  REQUIRE(stream->wait([](auto const&, bool closed) { return closed; }));
  caf::anon_send_exit(hub, caf::exit_reason::user_shutdown);
}

TEST_CASE("subscriber: a browser that leaves ends the actor") {
  test_config cfg;
  caf::actor_system sys{cfg};
  auto hub = spawn_event_hub(sys);
  auto stream = std::make_shared<recording_stream>();
  sse_subscription sub;
  sub.topic = "jobs";
  auto actor = spawn_sse_subscriber(sys, hub, stream, std::move(sub));
  caf::scoped_actor self{sys};
  self->monitor(actor);
  stream->close(); // what the socket writer does when the peer goes away
  bool down = false;
  self->receive([&](caf::down_msg const&) { down = true; }, caf::after(std::chrono::seconds(5)) >> [] {});
  REQUIRE(down);
  caf::anon_send_exit(hub, caf::exit_reason::user_shutdown);
}
