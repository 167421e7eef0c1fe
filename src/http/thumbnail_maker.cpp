// thumbnail_maker: get() -> reader task (row and file checks; an existing
// thumbnail answers at once) -> single_flight join -> the leader reads the
// image -> codec pool (thumb_atom) -> store writer task (atomic write,
// thumbnail_filename on every row of the file) -> finish() answers every waiter.

#include "http/thumbnail_maker.hpp"

#include <fstream>
#include <system_error>

#include "actors/bridge.hpp"
#include "actors/handles.hpp"
#include "actors/runtime.hpp"
#include "core/logging.hpp"
#include "store/database.hpp"
#include "store/gallery_files.hpp"
#include "store/gallery_repo.hpp"
#include "store/image_files.hpp"
#include "store/statement.hpp"
#include "store/store.hpp"

namespace panel::http {

namespace {

// Encoding a 100-megapixel image can take seconds on a busy machine.
constexpr auto codec_timeout = std::chrono::seconds(120);

using bytes_ptr = std::shared_ptr<std::vector<std::uint8_t> const>;

bool regular_file(std::filesystem::path const& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec);
}

expected<bytes_ptr> read_image(std::filesystem::path const& path, std::uint64_t max_bytes) {
  std::error_code ec;
  auto const size = std::filesystem::file_size(path, ec);
  if (ec || size > max_bytes) {
    return fail(errc::not_found, "Thumbnail not found");
  }
  std::ifstream in{path, std::ios::binary};
  auto data = std::make_shared<std::vector<std::uint8_t>>(static_cast<std::size_t>(size));
  if (!in.read(reinterpret_cast<char*>(data->data()), static_cast<std::streamsize>(size))) {
    return fail(errc::not_found, "Thumbnail not found");
  }
  return bytes_ptr{std::move(data)};
}

// True when some row of `filename` lacks `thumbnail` as its thumbnail_filename.
expected<bool> rows_lack(store::database& db, std::string const& filename, std::string const& thumbnail) {
  auto stmt = db.prepare(
      "SELECT 1 FROM gallery_entries WHERE filename = ?1 "
      "AND (thumbnail_filename IS NULL OR thumbnail_filename <> ?2) LIMIT 1");
  if (!stmt) {
    return tl::unexpected(stmt.error());
  }
  if (auto bound = stmt->bind_all(filename, thumbnail); !bound) {
    return tl::unexpected(bound.error());
  }
  return stmt->step();
}

} // namespace

struct thumbnail_maker::handles {
  caf::actor_system* sys = nullptr;
  actors::codec_pool_actor codecs;
  actors::store_actor store;
};

thumbnail_maker::thumbnail_maker(actors::runtime& rt, thumbnail_settings settings)
    : rt_(rt), settings_(std::move(settings)) {}

thumbnail_maker::~thumbnail_maker() = default;

void thumbnail_maker::get(std::string const& filename, callback done) {
  auto self = shared_from_this();
  auto const& all = rt_.actors();
  auto h = std::make_shared<handles const>(handles{&rt_.system(), all.codecs, all.store});
  actors::reader_task task = [self, h, filename, done](store::database& db) {
    auto referenced = store::gallery_repo{db}.references_file(filename);
    if (!referenced) {
      done(tl::unexpected(referenced.error()));
      return;
    }
    if (!*referenced || !regular_file(self->settings_.images_dir / filename)) {
      done(fail(errc::not_found, "Thumbnail not found"));
      return;
    }
    auto const name = store::thumbnail_name(filename);
    auto const path = self->settings_.thumbnails_dir / name;
    if (regular_file(path)) {
      if (auto lacking = rows_lack(db, filename, name); lacking && *lacking) {
        self->record_if_needed(h, filename, name);
      }
      done(path);
      return;
    }
    if (self->flight_.join(filename, done)) {
      self->lead(h, filename);
    }
  };
  actors::ask(
      rt_.system(), all.readers.next(), actors::store_task_timeout, [](bool) {},
      [done](caf::error const& err) { done(tl::unexpected(actors::from_caf_error(err))); }, actors::read_atom::value,
      actors::make_local(std::move(task)));
}

// On a reader thread, as the leader of `filename`'s flight: every path ends in finish().
void thumbnail_maker::lead(handles_ptr const& h, std::string const& filename) {
  // A leader that joined just after the previous one finished finds its file.
  auto const path = settings_.thumbnails_dir / store::thumbnail_name(filename);
  if (regular_file(path)) {
    flight_.finish(filename, path);
    return;
  }
  auto image = read_image(settings_.images_dir / filename, settings_.max_bytes);
  if (!image) {
    flight_.finish(filename, tl::unexpected(image.error()));
    return;
  }
  encode(h, filename, std::move(*image));
}

void thumbnail_maker::encode(handles_ptr const& h, std::string const& filename, bytes_ptr image) {
  actors::thumb_request req;
  req.bytes = actors::shared_blob{std::move(image)};
  req.max_side = settings_.max_side;
  req.max_pixels = settings_.max_pixels;
  req.max_bytes = settings_.max_bytes;
  auto self = shared_from_this();
  actors::ask(
      *h->sys, h->codecs, codec_timeout,
      [self, h, filename](actors::thumb_reply const& reply) { self->save(h, filename, reply.webp.data); },
      [self, filename](caf::error const& err) {
        auto const e = actors::from_caf_error(err);
        core::log_warning("Thumbnail generation failed for " + filename + ": " + e.message);
        self->flight_.finish(filename, fail(errc::not_found, "Thumbnail not found"));
      },
      actors::thumb_atom::value, std::move(req));
}

void thumbnail_maker::save(handles_ptr const& h, std::string const& filename, bytes_ptr webp) {
  auto self = shared_from_this();
  actors::writer_task task = [self, filename, webp](store::store& s) {
    // On the writer, serialised with deletes: a row deleted meanwhile gets no thumbnail.
    auto referenced = store::gallery_repo{s.writer()}.references_file(filename);
    if (!referenced || !*referenced || !webp || webp->empty()) {
      self->flight_.finish(filename, fail(errc::not_found, "Thumbnail not found"));
      return;
    }
    auto const name = store::thumbnail_name(filename);
    std::error_code ec;
    std::filesystem::create_directories(self->settings_.thumbnails_dir, ec);
    auto written = store::write_file_atomically(self->settings_.thumbnails_dir, name, webp->data(), webp->size());
    if (!written) {
      core::log_warning("Failed to write gallery thumbnail " + name + ": " + written.error().message);
      self->flight_.finish(filename, fail(errc::not_found, "Thumbnail not found"));
      return;
    }
    if (auto recorded = store::gallery_repo{s.writer()}.set_thumbnail(filename, name); !recorded) {
      core::log_warning("Failed to record gallery thumbnail " + name + ": " + recorded.error().message);
    }
    core::log_info("Created gallery thumbnail " + name + " for " + filename);
    self->flight_.finish(filename, self->settings_.thumbnails_dir / name);
  };
  actors::ask(
      *h->sys, h->store, actors::store_task_timeout, [](bool) {},
      [self, filename](caf::error const& err) {
        self->flight_.finish(filename, tl::unexpected(actors::from_caf_error(err)));
      },
      actors::exec_atom::value, actors::make_local(std::move(task)));
}

void thumbnail_maker::record_if_needed(handles_ptr const& h, std::string const& filename,
                                       std::string const& thumbnail) {
  actors::writer_task task = [filename, thumbnail](store::store& s) {
    if (auto recorded = store::gallery_repo{s.writer()}.set_thumbnail(filename, thumbnail); !recorded) {
      core::log_warning("Failed to record gallery thumbnail " + thumbnail + ": " + recorded.error().message);
    }
  };
  caf::anon_send(h->store, actors::exec_atom::value, actors::make_local(std::move(task)));
}

} // namespace panel::http
