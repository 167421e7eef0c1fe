// webhook_sender against a recording stand-in for upstream_pool: what is sent
// (URL, headers, signature, caps, context), retries with backoff, and the skips.

#include <catch2/catch.hpp>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "actors/webhook_sender.hpp"
#include "core/config.hpp"
#include "upstream/webhook.hpp"

using namespace panel;
using namespace panel::actors;

namespace {

struct test_config : caf::actor_system_config {
  test_config() { add_message_types<caf::id_block::panel>(); }
};

// What the fake pool saw, and the statuses it answers with (0 = an error).
struct recorder {
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<upstream_post_request> requests;
  std::deque<std::int32_t> script;

  bool wait_for(std::size_t n, std::chrono::seconds limit = std::chrono::seconds{10}) {
    std::unique_lock lock{mutex};
    return cv.wait_for(lock, limit, [&] { return requests.size() >= n; });
  }
  std::vector<upstream_post_request> seen() {
    std::lock_guard lock{mutex};
    return requests;
  }
};

upstream_pool_actor spawn_fake_pool(caf::actor_system& sys, std::shared_ptr<recorder> rec) {
  return sys.spawn([rec](upstream_pool_actor::pointer) -> upstream_pool_actor::behavior_type {
    return {
        [rec](upstream_post_atom, upstream_post_request const& req) -> caf::result<upstream_reply> {
          std::int32_t status = 200;
          {
            std::lock_guard lock{rec->mutex};
            rec->requests.push_back(req);
            if (!rec->script.empty()) {
              status = rec->script.front();
              rec->script.pop_front();
            }
          }
          rec->cv.notify_all();
          if (status == 0) {
            return caf::make_error(caf::sec::request_timeout);
          }
          upstream_reply reply;
          reply.status = status;
          return reply;
        },
        [](image_fetch_atom, image_fetch_request const&) -> caf::result<image_fetch_reply> {
          return caf::make_error(caf::sec::unexpected_message);
        },
        [](s3_atom, s3_request const&) -> caf::result<s3_reply> {
          return caf::make_error(caf::sec::unexpected_message);
        },
        [](upstream_cancel_atom, std::string const&) -> std::uint64_t { return 0; },
        [](upstream_stats_atom) { return upstream_pool_stats{}; },
    };
  });
}

core::config webhook_config() {
  core::config cfg;
  cfg.webhook_signing_secret = "whsec-test";
  cfg.webhook_timeout_seconds = 7;
  cfg.webhook_max_attempts = 3;
  return cfg;
}

std::string header_value(std::vector<std::string> const& headers, std::string const& name) {
  for (auto const& line : headers) {
    if (line.rfind(name + ": ", 0) == 0) {
      return line.substr(name.size() + 2);
    }
  }
  return {};
}

webhook_delivery delivery_to(std::string url, std::string job_id = "job-1") {
  webhook_delivery d;
  d.url = std::move(url);
  d.job_id = std::move(job_id);
  d.job_json = R"({"job_id":")" + d.job_id + R"(","status":"success","message":null,"webhook_url":"x"})";
  return d;
}

} // namespace

TEST_CASE("webhook_sender posts a signed body once on 2xx", "[actors][webhook]") {
  test_config tc;
  caf::actor_system sys{tc};
  auto rec = std::make_shared<recorder>();
  auto sender = spawn_webhook_sender(sys, webhook_config(), spawn_fake_pool(sys, rec));

  caf::anon_send(sender, webhook_atom::value, delivery_to("https://Hooks.Example.com/T/secret-token#frag"));
  REQUIRE(rec->wait_for(1));
  auto const req = rec->seen().front();
  CHECK(req.url == "https://hooks.example.com/T/secret-token");
  CHECK(req.method == "POST");
  CHECK(req.content_type == "application/json");
  CHECK(req.timeout_ms == 7000);
  CHECK(req.max_response_bytes == 64 * 1024);
  CHECK(req.truncate_body);
  CHECK(req.socks5_proxy.empty());
  CHECK(req.context == core::url_context::webhook);
  REQUIRE(req.body.data);
  auto const& body = *req.body.data;
  CHECK(body.rfind(R"({"job_id":"job-1","status":"success","event":"image.job.finished","delivered_at":")", 0) == 0);
  CHECK(body.find("webhook_url") == std::string::npos);

  CHECK(header_value(req.headers, "User-Agent") == "gpt-image-panel-webhook");
  CHECK(header_value(req.headers, "X-Webhook-Event") == "image.job.finished");
  CHECK(header_value(req.headers, "X-Webhook-Job-Id") == "job-1");
  auto const ts = header_value(req.headers, "X-Webhook-Timestamp");
  REQUIRE_FALSE(ts.empty());
  CHECK(header_value(req.headers, "X-Webhook-Signature") ==
        upstream::webhook_signature("whsec-test", std::stoll(ts), body));

  // A second delivery proves the first was not retried after its 200.
  caf::anon_send(sender, webhook_atom::value, delivery_to("https://hooks.example.com/b", "job-2"));
  REQUIRE(rec->wait_for(2));
  auto const all = rec->seen();
  REQUIRE(all.size() == 2);
  CHECK(header_value(all[1].headers, "X-Webhook-Job-Id") == "job-2");
  caf::anon_send_exit(sender, caf::exit_reason::user_shutdown);
}

TEST_CASE("webhook_sender retries failures up to WEBHOOK_MAX_ATTEMPTS", "[actors][webhook]") {
  test_config tc;
  caf::actor_system sys{tc};
  auto rec = std::make_shared<recorder>();
  rec->script = {500, 0, 204, 500};
  auto sender = spawn_webhook_sender(sys, webhook_config(), spawn_fake_pool(sys, rec));

  auto const start = std::chrono::steady_clock::now();
  caf::anon_send(sender, webhook_atom::value, delivery_to("https://hooks.example.com/x"));
  REQUIRE(rec->wait_for(3));
  // Backoff of 1 s then 2 s between the three attempts.
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds{2900});
  auto const all = rec->seen();
  // Every attempt sends the same signed bytes.
  CHECK(*all[0].body.data == *all[2].body.data);
  CHECK(header_value(all[0].headers, "X-Webhook-Signature") == header_value(all[2].headers, "X-Webhook-Signature"));
  // The 204 ended it: a fresh delivery is the next request (the 4th script entry).
  caf::anon_send(sender, webhook_atom::value, delivery_to("https://hooks.example.com/y", "job-next"));
  REQUIRE(rec->wait_for(4));
  CHECK(header_value(rec->seen()[3].headers, "X-Webhook-Job-Id") == "job-next");
  caf::anon_send_exit(sender, caf::exit_reason::user_shutdown);
}

TEST_CASE("webhook_sender gives up after one attempt when WEBHOOK_MAX_ATTEMPTS is 1", "[actors][webhook]") {
  test_config tc;
  caf::actor_system sys{tc};
  auto rec = std::make_shared<recorder>();
  rec->script = {503};
  auto cfg = webhook_config();
  cfg.webhook_max_attempts = 0; // below 1 counts as 1
  auto sender = spawn_webhook_sender(sys, cfg, spawn_fake_pool(sys, rec));
  caf::anon_send(sender, webhook_atom::value, delivery_to("https://hooks.example.com/x", "job-a"));
  REQUIRE(rec->wait_for(1));
  // A retry would come after 1 s; the next delivery must get there first and
  // nothing else may follow it.
  caf::anon_send(sender, webhook_atom::value, delivery_to("https://hooks.example.com/x", "job-b"));
  REQUIRE(rec->wait_for(2));
  CHECK_FALSE(rec->wait_for(3, std::chrono::seconds{2}));
  CHECK(header_value(rec->seen()[1].headers, "X-Webhook-Job-Id") == "job-b");
  caf::anon_send_exit(sender, caf::exit_reason::user_shutdown);
}

TEST_CASE("webhook_sender skips unresolvable, refused and unsigned deliveries", "[actors][webhook]") {
  test_config tc;
  caf::actor_system sys{tc};
  auto rec = std::make_shared<recorder>();
  ::unsetenv("PANEL_TEST_WEBHOOK_UNSET");
  ::setenv("PANEL_TEST_WEBHOOK_SET", "https://env-hook.example.com/h", 1);
  auto sender = spawn_webhook_sender(sys, webhook_config(), spawn_fake_pool(sys, rec));

  caf::anon_send(sender, webhook_atom::value, delivery_to("${PANEL_TEST_WEBHOOK_UNSET}"));
  caf::anon_send(sender, webhook_atom::value, delivery_to(""));
  caf::anon_send(sender, webhook_atom::value, delivery_to("http://hooks.example.com/x"));
  caf::anon_send(sender, webhook_atom::value, delivery_to("https://localhost/x"));
  auto bad_json = delivery_to("https://hooks.example.com/x");
  bad_json.job_json = "not json";
  caf::anon_send(sender, webhook_atom::value, bad_json);
  // (Private IP literals and DNS answers are the pool's to refuse, not tested here.)
  // The sender handles messages in order: this one is the first that is sent.
  caf::anon_send(sender, webhook_atom::value, delivery_to("${PANEL_TEST_WEBHOOK_SET}", "job-env"));
  REQUIRE(rec->wait_for(1));
  CHECK_FALSE(rec->wait_for(2, std::chrono::seconds{1}));
  auto const first = rec->seen().front();
  CHECK(first.url == "https://env-hook.example.com/h");
  CHECK(header_value(first.headers, "X-Webhook-Job-Id") == "job-env");
  caf::anon_send_exit(sender, caf::exit_reason::user_shutdown);

  auto unsigned_cfg = webhook_config();
  unsigned_cfg.webhook_signing_secret.clear();
  auto rec2 = std::make_shared<recorder>();
  auto unsigned_sender = spawn_webhook_sender(sys, unsigned_cfg, spawn_fake_pool(sys, rec2));
  caf::anon_send(unsigned_sender, webhook_atom::value, delivery_to("https://hooks.example.com/x"));
  CHECK_FALSE(rec2->wait_for(1, std::chrono::seconds{1}));
  caf::anon_send_exit(unsigned_sender, caf::exit_reason::user_shutdown);
  ::unsetenv("PANEL_TEST_WEBHOOK_SET");
}
