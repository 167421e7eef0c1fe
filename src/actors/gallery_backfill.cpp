// gallery_backfill: a pass is a chain of writer tasks. Each task runs one
// store::backfill_bytes_batch and, unless the pass is done, asks the store
// for the next batch from a short-lived actor; the last one calls `done`.
// An optional delay comes first, from a short-lived actor's timer.

#include "actors/gallery_backfill.hpp"

#include <memory>

#include "actors/errors.hpp"
#include "actors/handles.hpp"
#include "actors/runtime.hpp"
#include "core/logging.hpp"
#include "store/store.hpp"

namespace panel::actors {

namespace {

constexpr auto batch_timeout = std::chrono::seconds(120);

struct pass {
  caf::actor_system* sys = nullptr;
  store_actor store;
  std::filesystem::path images_dir;
  backfill_done done;
  store::backfill_cursor cursor;
};

void next_batch(std::shared_ptr<pass> p) {
  writer_task task = [p](store::store& s) {
    if (auto batch = store::backfill_bytes_batch(s.writer(), p->images_dir, p->cursor); !batch) {
      p->done(tl::unexpected(batch.error()));
      return;
    }
    if (p->cursor.done) {
      p->done(p->cursor);
      return;
    }
    next_batch(p);
  };
  auto local = make_local(std::move(task));
  p->sys->spawn([p, local](caf::event_based_actor* self) {
    self->request(p->store, batch_timeout, exec_atom::value, local)
        .then([](bool) {}, [p](caf::error const& err) { p->done(tl::unexpected(from_caf_error(err))); });
  });
}

} // namespace

void backfill_gallery_bytes(runtime& rt, std::filesystem::path images_dir, backfill_done done,
                            std::chrono::milliseconds delay) {
  auto& sys = rt.system();
  auto p = std::make_shared<pass>();
  p->sys = &sys;
  p->store = rt.actors().store;
  p->images_dir = std::move(images_dir);
  p->done = std::move(done);
  if (delay.count() <= 0) {
    next_batch(std::move(p));
    return;
  }
  // Hidden: a shutdown during the delay need not wait for the timer.
  sys.spawn<caf::hidden>([p, delay](caf::event_based_actor* self) -> caf::behavior {
    self->delayed_send(self, delay, tick_atom::value);
    return {[self, p](tick_atom) {
      next_batch(p);
      self->quit();
    }};
  });
}

void start_startup_backfill(runtime& rt, std::filesystem::path images_dir) {
  backfill_gallery_bytes(
      rt, std::move(images_dir),
      [](expected<store::backfill_cursor> const& pass) {
        if (pass) {
          core::log_info("gallery bytes backfill: " + std::to_string(pass->rows_updated) + " row(s) updated");
        } else if (pass.error().code != errc::unavailable) {
          // At shutdown the store refuses work (unavailable): nothing worth a line.
          core::log_warning("gallery bytes backfill failed: " + pass.error().message);
        }
      },
      startup_backfill_delay);
}

} // namespace panel::actors
