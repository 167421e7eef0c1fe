#pragma once
// gallery_backfill: fills in the missing `bytes` of legacy gallery rows from
// the files on disk (spec/API.md §8.4), in batches on the store's writer (one
// exec message per batch, so job writes interleave). Started in the
// background shortly after startup, and on demand by
// POST /api/gallery/backfill-bytes. Light header: no CAF.

#include <chrono>
#include <filesystem>
#include <functional>

#include "core/expected.hpp"
#include "store/reconcile.hpp"

namespace panel::actors {

class runtime;

/// Called once with the finished pass (rows updated, files seen) or the error,
/// from the store's or a short-lived actor's thread.
using backfill_done = std::function<void(expected<store::backfill_cursor> const&)>;

/// How long after startup the background pass begins (the server is up by then).
inline constexpr std::chrono::milliseconds startup_backfill_delay{2000};

/// Runs one backfill pass over `images_dir` after `delay` (zero: at once).
/// Never blocks the caller.
void backfill_gallery_bytes(runtime& rt, std::filesystem::path images_dir, backfill_done done,
                            std::chrono::milliseconds delay = std::chrono::milliseconds{0});

/// The background pass of startup: after startup_backfill_delay, logs
/// `gallery bytes backfill: <n> row(s) updated` when it ends.
void start_startup_backfill(runtime& rt, std::filesystem::path images_dir);

} // namespace panel::actors
