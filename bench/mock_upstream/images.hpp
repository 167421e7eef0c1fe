#pragma once
// Synthetic images for the mock: deterministic pixels from a seed, encoded as
// PNG/JPEG/WebP, and a cache so benchmarks never pay for the same encode twice.
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace mock {

/// The three formats the OpenAI image API can return.
enum class image_format { png, jpeg, webp };

/// "png", "jpeg"/"jpg", "webp" (case-sensitive, as the API is); nullopt otherwise.
[[nodiscard]] std::optional<image_format> parse_image_format(std::string_view s);
/// The API name of the format ("png", "jpeg", "webp").
[[nodiscard]] std::string_view format_name(image_format f);
/// The file extension used in /files URLs ("png", "jpg", "webp").
[[nodiscard]] std::string_view format_extension(image_format f);
/// The MIME type ("image/png", ...).
[[nodiscard]] std::string_view format_mime(image_format f);

/// Identifies one rendered-and-encoded image.
struct image_key {
  image_format format = image_format::png;
  int width = 0;
  int height = 0;
  std::uint64_t seed = 0;
  int quality = 100; ///< JPEG/WebP quality 1..100; ignored (fixed) for PNG.

  friend bool operator<(image_key const& a, image_key const& b) {
    return std::tie(a.format, a.width, a.height, a.seed, a.quality)
        < std::tie(b.format, b.width, b.height, b.seed, b.quality);
  }
};

/// An encoded image and its base64 text; shared immutable between requests.
struct encoded_image {
  image_key key;
  std::vector<std::uint8_t> bytes;
  std::string base64;
};

/// Shared, immutable handle to an encoded image.
using image_ptr = std::shared_ptr<encoded_image const>;

/// RGB8 pixels (row-major, no padding): a two-colour gradient plus blocks and
/// stripes chosen by `seed`, so different seeds look visibly different.
[[nodiscard]] std::vector<std::uint8_t> render_rgb(int width, int height, std::uint64_t seed);

/// Encodes RGB8 pixels; empty on encoder failure.
[[nodiscard]] std::vector<std::uint8_t> encode_rgb(image_format format, std::vector<std::uint8_t> const& rgb,
                                                   int width, int height, int quality);

/// Standard base64 (with padding) of `data`.
[[nodiscard]] std::string base64_encode(std::uint8_t const* data, std::size_t size);

/// Thread-safe cache of encoded images keyed by (format, size, seed, quality),
/// bounded by a byte budget (oldest entries evicted first).
class image_cache {
public:
  /// `byte_budget` bounds the bytes held (encoded + base64) by the cache itself.
  explicit image_cache(std::size_t byte_budget);
  /// The image for `key`, rendering and encoding it on a miss; nullptr if the
  /// encoder failed. Called from any io thread; encodes outside the lock.
  [[nodiscard]] image_ptr get(image_key const& key);
  /// Number of lookups answered from the cache.
  [[nodiscard]] std::uint64_t hits() const;
  /// Number of lookups that had to encode.
  [[nodiscard]] std::uint64_t misses() const;
  /// Drops every entry (handles already given out stay valid).
  void clear();

private:
  mutable std::mutex mutex_;
  std::size_t byte_budget_;
  std::size_t bytes_ = 0;
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
  std::uint64_t next_age_ = 0;
  struct entry {
    image_ptr image;
    std::uint64_t age;
  };
  std::map<image_key, entry> entries_;
};

} // namespace mock
