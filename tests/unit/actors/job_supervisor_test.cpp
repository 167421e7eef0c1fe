// job_supervisor end to end on one machine: a real store (temp SQLite), codec
// pool, upstream pool and event hub, and the mock upstream over HTTPS (test CA
// trusted through extra_ca_file). Checks the semaphore (fan-out never overlaps
// with one slot), outcomes, cancel, queue-full refusals and the SSE first frames.

#include <catch2/catch.hpp>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <simdjson.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "actors/codec_pool.hpp"
#include "actors/errors.hpp"
#include "actors/event_hub.hpp"
#include "actors/handles.hpp"
#include "actors/job_supervisor.hpp"
#include "actors/mock_process.hpp"
#include "actors/store_actor.hpp"
#include "actors/upstream_pool.hpp"
#include "core/config.hpp"
#include "store/store.hpp"

using namespace panel;
using namespace panel::actors;
using namespace std::chrono_literals;

#ifdef PANEL_MOCK_UPSTREAM_BIN

namespace {

using steady = std::chrono::steady_clock;

using test::make_temp_dir;
using mock_server = test::mock_process;

mock_server& mock() {
  static mock_server m;
  return m;
}

struct system_config : caf::actor_system_config {
  system_config() {
    add_message_types<caf::id_block::panel>();
    set("scheduler.max-threads", 2);
    set("logger.verbosity", caf::atom("quiet"));
  }
};

struct fixture {
  std::string dir = make_temp_dir("job-sup");
  system_config syscfg;
  caf::actor_system sys{syscfg};
  core::config cfg;
  handles h;

  explicit fixture(int max_active = 1, int max_queued = 3, std::int64_t edit_mb = 1) {
    cfg.data_dir = dir + "/data";
    cfg.images_dir = dir + "/images";
    cfg.max_active_generate_jobs = max_active;
    cfg.max_queued_generate_jobs = max_queued;
    cfg.max_pending_edit_source_mb = edit_mb;
    std::filesystem::create_directories(cfg.images_dir);
    std::filesystem::create_directories(cfg.data_dir / "edit-sources");
    auto db = store::open_store({cfg.data_dir, ""});
    REQUIRE(db.has_value());
    h.store = spawn_store_actor(sys, std::make_shared<store::store>(std::move(*db)));
    h.codecs = spawn_codec_pool(sys, 1);
    upstream_pool_config pool;
    pool.extra_ca_file = mock().ca();
    pool.policy.private_hosts = {"localhost"};
    pool.policy.private_networks = {*core::ip_network::parse("127.0.0.1")};
    h.upstream = spawn_upstream_pool(sys, pool);
    h.events = spawn_event_hub(sys);
    store::job_settings js;
    js.active.name = "Mock";
    js.active.api_url = mock().base() + "/v1";
    js.active.api_key = "sk-job-test";
    js.active.api_path = "/v1/images/generations";
    js.active.default_model = "gpt-image-1";
    h.jobs = spawn_job_supervisor(sys, cfg, h, js);
  }

  ~fixture() {
    caf::anon_send_exit(h.jobs, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(h.events, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(h.upstream, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(h.codecs, caf::exit_reason::user_shutdown);
    {
      caf::scoped_actor self{sys};
      self->request(h.store, 30s, close_atom::value).receive([](bool) {}, [](caf::error const&) {});
    }
    h = handles{};
    sys.await_all_actors_done();
    std::filesystem::remove_all(dir);
  }

  template <class... Ts>
  expected<std::string> ask(Ts... xs) {
    expected<std::string> out = fail(errc::internal, "no answer");
    caf::scoped_actor self{sys};
    self->request(h.jobs, 30s, xs...)
        .receive([&](std::string const& s) { out = s; },
                 [&](caf::error const& e) { out = tl::unexpected{from_caf_error(e)}; });
    return out;
  }

  expected<std::string> submit(job_ticket t) { return ask(submit_atom::value, make_local(std::move(t))); }

  job_supervisor_stats stats() {
    job_supervisor_stats out;
    caf::scoped_actor self{sys};
    self->request(h.jobs, 30s, job_stats_atom::value)
        .receive([&](job_supervisor_stats const& s) { out = s; }, [](caf::error const&) { FAIL("no stats"); });
    return out;
  }

  // Polls GET until the job is terminal (the mock answers in milliseconds).
  std::string wait_terminal(std::string const& id) {
    auto const deadline = steady::now() + 60s;
    while (steady::now() < deadline) {
      auto got = ask(job_get_atom::value, id);
      REQUIRE(got.has_value());
      auto const status = field(*got, "status");
      if (status != "queued" && status != "running") {
        return *got;
      }
      std::this_thread::sleep_for(20ms);
    }
    FAIL("job did not finish");
    return {};
  }

  static std::string field(std::string const& json, char const* key) {
    simdjson::dom::parser parser;
    simdjson::dom::element doc = parser.parse(json);
    std::string_view v;
    if (doc[key].get(v) != simdjson::SUCCESS) {
      return {};
    }
    return std::string(v);
  }

  static std::size_t images(std::string const& json) {
    simdjson::dom::parser parser;
    simdjson::dom::element doc = parser.parse(json);
    simdjson::dom::array arr;
    REQUIRE(doc["images"].get(arr) == simdjson::SUCCESS);
    return arr.size();
  }
};

job_ticket generation(std::string prompt, int n = 1) {
  job_ticket t;
  t.params.prompt = std::move(prompt);
  t.params.n = n;
  return t;
}

std::size_t count_files(std::filesystem::path const& dir) {
  std::size_t n = 0;
  for (auto const& e : std::filesystem::directory_iterator{dir}) {
    (void)e;
    ++n;
  }
  return n;
}

} // namespace

TEST_CASE("job_supervisor: n=3 fan-out with one slot never overlaps and saves 3 images", "[job][mock]") {
  fixture f{1, 3};
  auto accepted = f.submit(generation("a red cube", 3));
  REQUIRE(accepted.has_value());
  CHECK(fixture::field(*accepted, "status") == "queued");
  CHECK(fixture::field(*accepted, "message") == "Queued image generation");
  CHECK(fixture::field(*accepted, "operation") == "generation");
  auto const id = fixture::field(*accepted, "job_id");
  auto const done = f.wait_terminal(id);
  CHECK(fixture::field(done, "status") == "success");
  CHECK(fixture::field(done, "stage") == "completed");
  CHECK(fixture::field(done, "message") == "Image generation completed");
  CHECK(fixture::images(done) == 3);
  CHECK(fixture::field(done, "image_url").rfind("/api/image/", 0) == 0);
  CHECK(fixture::field(done, "completed_at").find("+08:00") != std::string::npos);
  CHECK(done.find("\"db_insert\"") != std::string::npos);
  CHECK(count_files(f.cfg.images_dir) == 3);
  auto const s = f.stats();
  CHECK(s.upstream_peak == 1);
  CHECK(s.outstanding_units == 0);
  CHECK(s.finished == 1);
  CHECK(s.running == 0);
}

TEST_CASE("job_supervisor: a failed child gives a partial success", "[job][mock]") {
  fixture f{1, 3};
  // The mock fails every third request carrying this marker: child #3 of 3
  // (one slot, FIFO permits).
  auto accepted = f.submit(generation("a cube [mock:fail-every=3]", 3));
  REQUIRE(accepted.has_value());
  auto const done = f.wait_terminal(fixture::field(*accepted, "job_id"));
  CHECK(fixture::field(done, "status") == "success");
  CHECK(fixture::field(done, "message") == "Generated 2 of 3 requested images; 1 failed");
  CHECK(fixture::field(done, "error").rfind("1 of 3 image generation requests failed: #3: ", 0) == 0);
  CHECK(fixture::images(done) == 2);
}

TEST_CASE("job_supervisor: an upstream error on a single job is the raw message", "[job][mock]") {
  fixture f{1, 3};
  auto accepted = f.submit(generation("x [mock:status=429] [mock:error-message=upstream quota exhausted]"));
  REQUIRE(accepted.has_value());
  auto const done = f.wait_terminal(fixture::field(*accepted, "job_id"));
  CHECK(fixture::field(done, "status") == "upstream_error");
  CHECK(fixture::field(done, "stage") == "generation_failed");
  CHECK(fixture::field(done, "error").find("upstream quota exhausted") != std::string::npos);
  CHECK(fixture::images(done) == 0);
}

TEST_CASE("job_supervisor: cancel a queued job and a running one", "[job][mock]") {
  fixture f{1, 3};
  auto slow = f.submit(generation("slow [mock:delay=20000]"));
  REQUIRE(slow.has_value());
  auto queued = f.submit(generation("waits"));
  REQUIRE(queued.has_value());
  auto const slow_id = fixture::field(*slow, "job_id");
  auto const queued_id = fixture::field(*queued, "job_id");
  CHECK(fixture::field(*f.ask(job_get_atom::value, queued_id), "status") == "queued");
  CHECK(f.stats().outstanding_units == 2);

  auto cancelled = f.ask(job_cancel_atom::value, queued_id);
  REQUIRE(cancelled.has_value());
  CHECK(*cancelled == R"({"status":"success","message":"Generation job cancelled"})");
  auto const after = *f.ask(job_get_atom::value, queued_id);
  CHECK(fixture::field(after, "status") == "cancelled");
  CHECK(fixture::field(after, "stage") == "cancelled");
  CHECK(fixture::field(after, "error") == "Generation job cancelled");
  auto again = f.ask(job_cancel_atom::value, queued_id);
  REQUIRE_FALSE(again.has_value());
  CHECK(again.error().code == errc::conflict);
  CHECK(again.error().message == "Generation job already finished");

  REQUIRE(f.ask(job_cancel_atom::value, slow_id).has_value());
  CHECK(fixture::field(*f.ask(job_get_atom::value, slow_id), "status") == "cancelled");
  auto const s = f.stats();
  CHECK(s.outstanding_units == 0);
  CHECK(s.running == 0);
  CHECK(s.upstream_in_use == 0);

  auto missing = f.ask(job_cancel_atom::value, std::string{"no-such-job"});
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().code == errc::not_found);
  CHECK(missing.error().message == "Generation job not found");

  // Both stay in history; clearing it deletes them.
  auto cleared = f.ask(job_clear_atom::value);
  REQUIRE(cleared.has_value());
  CHECK(*cleared == R"({"status":"success","message":"Deleted 2 job history entries"})");
}

TEST_CASE("job_supervisor: queue full and edit bytes refusals leave nothing", "[job][mock]") {
  fixture f{1, 3, 1};
  auto too_many = f.submit(generation("big", 5));
  REQUIRE_FALSE(too_many.has_value());
  CHECK(too_many.error().code == errc::rate_limited);
  CHECK(too_many.error().message == "Generation job queue is full");

  // Two staged 600 KiB sources against a 1 MiB reservation cap.
  auto const staged_dir = f.cfg.data_dir / "edit-sources";
  job_ticket edit;
  edit.edit = true;
  edit.params.prompt = "edit me";
  for (int i = 0; i < 2; ++i) {
    auto const path = staged_dir / ("edit-source-" + std::to_string(i) + ".png");
    std::ofstream{path} << std::string(600 * 1024, 'x');
    edit.sources.push_back({path.string(), "s.png", "image/png", 600 * 1024});
  }
  auto refused = f.submit(edit);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().message == "Edit source queue is full");
  // The store actor deletes the files; a later store round trip comes after it.
  auto listed = f.ask(job_list_atom::value, job_list_query{true, false, 100, 0});
  REQUIRE(listed.has_value());
  CHECK(*listed == "[]");
  CHECK(count_files(staged_dir) == 0);
  auto const s = f.stats();
  CHECK(s.outstanding_units == 0);
  CHECK(s.reserved_bytes == 0);
  CHECK(s.accepted == 0);
}

TEST_CASE("job_supervisor: unknown job and the active list", "[job][mock]") {
  fixture f{1, 3};
  auto missing = f.ask(job_get_atom::value, std::string{"nope"});
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().code == errc::not_found);
  CHECK(missing.error().message == "Generation job not found");
  CHECK(*f.ask(job_list_atom::value, job_list_query{}) == "[]");
  auto slow = f.submit(generation("slow [mock:delay=20000]"));
  REQUIRE(slow.has_value());
  auto const list = *f.ask(job_list_atom::value, job_list_query{});
  CHECK(list.find(fixture::field(*slow, "job_id")) != std::string::npos);
  REQUIRE(f.ask(job_cancel_atom::value, fixture::field(*slow, "job_id")).has_value());
}

TEST_CASE("job_supervisor: subscribe sends the current state first", "[job][mock]") {
  fixture f{1, 3};
  auto accepted = f.submit(generation("sse"));
  REQUIRE(accepted.has_value());
  auto const id = fixture::field(*accepted, "job_id");
  f.wait_terminal(id);
  caf::scoped_actor self{f.sys};
  caf::anon_send(f.h.jobs, subscribe_atom::value, "job:" + id, caf::actor_cast<caf::actor>(self));
  bool got = false;
  self->receive(
      [&](sse_frame const& frame) {
        got = true;
        CHECK(frame.event == "job");
        CHECK(frame.last);
        CHECK(fixture::field(frame.json, "status") == "success");
      },
      caf::after(10s) >> [] {});
  CHECK(got);
  caf::anon_send(f.h.jobs, subscribe_atom::value, std::string{"jobs"}, caf::actor_cast<caf::actor>(self));
  got = false;
  self->receive(
      [&](sse_frame const& frame) {
        got = true;
        CHECK(frame.event == "jobs");
        CHECK(frame.json == "[]");
        CHECK_FALSE(frame.last);
      },
      caf::after(10s) >> [] {});
  CHECK(got);
}

#endif
