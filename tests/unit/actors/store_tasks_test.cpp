#include <catch2/catch.hpp>

#include <future>
#include <memory>
#include <optional>
#include <stdexcept>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>

#include "actors/reader_pool.hpp"
#include "store/database.hpp"
#include "store/store.hpp"
#include "store/temp_dir.hpp"

using namespace panel;
using namespace panel::actors;

namespace {

// Records what an errand's failure path was called with.
struct failures {
  std::shared_ptr<std::vector<errc>> seen = std::make_shared<std::vector<errc>>();
  [[nodiscard]] std::function<void(error const&)> sink() const {
    return [seen = seen](error const& e) { seen->push_back(e.code); };
  }
};

} // namespace

TEST_CASE("an errand runs once and fails only when it cannot run", "[actors][store_tasks]") {
  store::test::temp_dir dir;
  auto db = store::open_store({dir.path() / "data", {}});
  REQUIRE(db);
  auto reader = db->open_reader();
  REQUIRE(reader);
  failures f;
  int runs = 0;
  {
    reader_errand e{[&](store::database&) { ++runs; }, f.sink()};
    auto moved = std::move(e); // the moved-from errand must not report a drop
    auto run = [&](reader_errand const& x) { x.run(*reader); };
    run(moved);
    run(moved);
    moved.fail(error{errc::internal, "late"});
  }
  CHECK(runs == 1);
  CHECK(f.seen->empty());

  { reader_errand dropped{[&](store::database&) { ++runs; }, f.sink()}; }
  CHECK(runs == 1);
  REQUIRE(f.seen->size() == 1);
  CHECK(f.seen->back() == errc::unavailable);

  {
    writer_errand throwing{[](store::store&) { throw std::runtime_error("boom"); }, f.sink()};
    throwing.run(*db);
  }
  REQUIRE(f.seen->size() == 2);
  CHECK(f.seen->back() == errc::internal);

  { reader_errand refused{[&](store::database&) { ++runs; }, f.sink()}; refused.fail(error{errc::not_found, "x"}); }
  REQUIRE(f.seen->size() == 3);
  CHECK(f.seen->back() == errc::not_found);
  CHECK(runs == 1);
}

TEST_CASE("the reader pool runs errands on its connections and fails those it cannot take", "[actors][store_tasks]") {
  store::test::temp_dir dir;
  auto db = store::open_store({dir.path() / "data", {}});
  REQUIRE(db);
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg.set("scheduler.max-threads", 2)};
  auto pool = spawn_reader_pool(sys, *db, 2);

  failures f;
  std::promise<std::int64_t> answered;
  caf::anon_send(pool.next(), read_atom::value, make_local(reader_errand{[&answered](store::database& conn) {
    auto stmt = conn.prepare("SELECT COUNT(*) FROM gallery_entries");
    REQUIRE(stmt);
    REQUIRE(stmt->step().value_or(false));
    answered.set_value(stmt->column_int64(0));
  }, f.sink()}));
  auto got = answered.get_future();
  REQUIRE(got.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  CHECK(got.get() == 0);

  // A reader that is gone drops the message: the errand reports unavailable.
  auto const& gone = pool.next();
  caf::scoped_actor self{sys};
  self->send_exit(gone, caf::exit_reason::user_shutdown);
  self->wait_for(gone);
  std::promise<errc> dropped;
  caf::anon_send(gone, read_atom::value,
                 make_local(reader_errand{[](store::database&) {}, [&dropped](error const& e) { dropped.set_value(e.code); }}));
  auto code = dropped.get_future();
  REQUIRE(code.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  CHECK(code.get() == errc::unavailable);
  CHECK(f.seen->empty());
  for (auto const& r : pool.readers) {
    self->send_exit(r, caf::exit_reason::user_shutdown);
  }
}
