#pragma once
// thumbnail_maker: the lazy WebP thumbnails of GET /api/thumb (spec/API.md
// §3.9, §8.5). A thumbnail is made once per image file, however many requests
// ask for it at the same moment: the first one leads (reads the image on a
// reader thread, encodes it in the codec pool, writes it atomically and
// records thumbnail_filename on the store's writer), the others wait in a
// single_flight table for the same result.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "core/expected.hpp"
#include "http/single_flight.hpp"

namespace panel::actors {
class runtime;
}

namespace panel::http {

/// Where thumbnails come from and go to, and the limits of the source images.
struct thumbnail_settings {
  std::filesystem::path images_dir;
  std::filesystem::path thumbnails_dir;
  std::uint32_t max_side = 512;                      ///< THUMBNAIL_MAX_SIDE
  std::uint64_t max_pixels = 100'000'000;            ///< MAX_IMAGE_PIXELS
  std::uint64_t max_bytes = 50ull << 20;             ///< MAX_FILE_SIZE_MB
};

/// Finds or makes thumbnails. Shared by the media routes (shared_ptr); every
/// member is safe from any thread.
class thumbnail_maker : public std::enable_shared_from_this<thumbnail_maker> {
 public:
  /// The thumbnail's path, or errc::not_found (no row names the image, the
  /// image is gone, or it could not be thumbnailed) or another error.
  using result = expected<std::filesystem::path>;
  using callback = std::function<void(result const&)>;

  /// Keeps `rt`, which must outlive the maker. Actor handles are taken per
  /// request (on the io thread) and dropped when it is answered, never kept:
  /// a kept strong handle would hold a detached actor's thread past
  /// runtime::shutdown.
  thumbnail_maker(actors::runtime& rt, thumbnail_settings settings);
  ~thumbnail_maker();
  thumbnail_maker(thumbnail_maker const&) = delete;
  thumbnail_maker& operator=(thumbnail_maker const&) = delete;

  /// Answers `done` once, from a store, reader or codec thread, with the
  /// thumbnail of image `filename` (a servable name: checked by the caller).
  /// Never blocks the calling thread.
  void get(std::string const& filename, callback done);

  /// Thumbnails being made right now (tests, metrics).
  [[nodiscard]] std::size_t in_flight() const { return flight_.in_flight(); }

 private:
  struct handles;  // the actors one request talks to
  using handles_ptr = std::shared_ptr<handles const>;
  void lead(handles_ptr const& h, std::string const& filename);
  void encode(handles_ptr const& h, std::string const& filename, std::shared_ptr<std::vector<std::uint8_t> const> image);
  void save(handles_ptr const& h, std::string const& filename, std::shared_ptr<std::vector<std::uint8_t> const> webp);
  void record_if_needed(handles_ptr const& h, std::string const& filename, std::string const& thumbnail);

  actors::runtime& rt_;
  thumbnail_settings settings_;
  single_flight<result> flight_;
};

} // namespace panel::http
