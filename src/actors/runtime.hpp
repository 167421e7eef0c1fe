#pragma once
// The actor runtime: the CAF system (scheduler threads sized to the machine) and the
// long-lived actors. Light header: CAF stays in actors/handles.hpp and the .cpp.

#include <memory>

#include "core/config.hpp"
#include "core/expected.hpp"
#include "store/presets_repo.hpp"

namespace caf {
class actor_system;
}

namespace panel::store {
class store;
}

namespace panel::actors {

struct handles;

/// Owns the actor system; created by main before HTTP starts, shut down after it stops.
class runtime {
public:
  /// Starts the actor system and spawns the long-lived actors; the store actor
  /// takes over the opened store; `settings` is what new jobs capture until the
  /// settings handlers send job_supervisor a new snapshot.
  [[nodiscard]] static expected<std::unique_ptr<runtime>> start(core::config const& cfg, store::store db,
                                                                store::job_settings settings);

  ~runtime();
  runtime(runtime const&) = delete;
  runtime& operator=(runtime const&) = delete;

  [[nodiscard]] caf::actor_system& system();

  /// Typed handles of the long-lived actors (see actors/handles.hpp).
  [[nodiscard]] handles const& actors() const;

  /// Asks every actor to finish what is in flight, closes the store and stops the
  /// system. Blocking; called from main after HTTP has stopped.
  void shutdown();

private:
  runtime();
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace panel::actors
