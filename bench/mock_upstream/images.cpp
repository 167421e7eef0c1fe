#include "images.hpp"

#include <openssl/evp.h>
#include <png.h>
#include <turbojpeg.h>
#include <webp/encode.h>

#include <algorithm>
#include <cstring>

namespace mock {
namespace {

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

struct rgb {
  std::uint8_t r, g, b;
};

rgb colour_from(std::uint64_t bits) {
  // Keep channels away from the extremes so blocks stay visible on any gradient.
  return {static_cast<std::uint8_t>(32 + (bits & 0xBF)), static_cast<std::uint8_t>(32 + ((bits >> 8) & 0xBF)),
          static_cast<std::uint8_t>(32 + ((bits >> 16) & 0xBF))};
}

std::vector<std::uint8_t> encode_png(std::vector<std::uint8_t> const& pixels, int width, int height) {
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  image.width = static_cast<png_uint_32>(width);
  image.height = static_cast<png_uint_32>(height);
  image.format = PNG_FORMAT_RGB;
  image.flags = PNG_IMAGE_FLAG_FAST;
  // One pass into a worst-case buffer instead of libpng's size-then-write double encode.
  png_alloc_size_t size = PNG_IMAGE_PNG_SIZE_MAX(image);
  std::vector<std::uint8_t> out(size);
  if (png_image_write_to_memory(&image, out.data(), &size, 0, pixels.data(), 0, nullptr) == 0) {
    png_image_free(&image);
    return {};
  }
  out.resize(size);
  return out;
}

std::vector<std::uint8_t> encode_jpeg(std::vector<std::uint8_t> const& pixels, int width, int height, int quality) {
  struct tj_closer {
    void operator()(void* h) const { tjDestroy(h); }
  };
  std::unique_ptr<void, tj_closer> handle{tjInitCompress()};
  if (!handle) {
    return {};
  }
  unsigned char* buf = nullptr;
  unsigned long size = 0;
  int const rc = tjCompress2(handle.get(), pixels.data(), width, 0, height, TJPF_RGB, &buf, &size, TJSAMP_420,
                             std::clamp(quality, 1, 100), TJFLAG_FASTDCT);
  std::vector<std::uint8_t> out;
  if (rc == 0 && buf != nullptr) {
    out.assign(buf, buf + size);
  }
  tjFree(buf);
  return out;
}

std::vector<std::uint8_t> encode_webp(std::vector<std::uint8_t> const& pixels, int width, int height, int quality) {
  std::uint8_t* buf = nullptr;
  std::size_t const size = WebPEncodeRGB(pixels.data(), width, height, width * 3,
                                         static_cast<float>(std::clamp(quality, 1, 100)), &buf);
  std::vector<std::uint8_t> out;
  if (size > 0 && buf != nullptr) {
    out.assign(buf, buf + size);
  }
  WebPFree(buf);
  return out;
}

} // namespace

std::optional<image_format> parse_image_format(std::string_view s) {
  if (s == "png") {
    return image_format::png;
  }
  if (s == "jpeg" || s == "jpg") {
    return image_format::jpeg;
  }
  if (s == "webp") {
    return image_format::webp;
  }
  return std::nullopt;
}

std::string_view format_name(image_format f) {
  switch (f) {
    case image_format::jpeg: return "jpeg";
    case image_format::webp: return "webp";
    case image_format::png: break;
  }
  return "png";
}

std::string_view format_extension(image_format f) {
  return f == image_format::jpeg ? "jpg" : format_name(f);
}

std::string_view format_mime(image_format f) {
  switch (f) {
    case image_format::jpeg: return "image/jpeg";
    case image_format::webp: return "image/webp";
    case image_format::png: break;
  }
  return "image/png";
}

std::vector<std::uint8_t> render_rgb(int width, int height, std::uint64_t seed) {
  std::uint64_t state = seed;
  rgb const from = colour_from(splitmix64(state));
  rgb const to = colour_from(splitmix64(state));
  rgb const block = colour_from(splitmix64(state));
  std::uint64_t const block_bits = splitmix64(state);
  int const stripe = 8 + static_cast<int>(splitmix64(state) % 24);

  std::vector<std::uint8_t> px(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 3);
  int const cell_w = std::max(1, width / 8);
  int const cell_h = std::max(1, height / 8);
  long const span = std::max(1L, static_cast<long>(width) + height - 2);
  auto* p = px.data();
  for (int y = 0; y < height; ++y) {
    int const cy = std::min(7, y / cell_h);
    for (int x = 0; x < width; ++x) {
      int const cx = std::min(7, x / cell_w);
      // Diagonal gradient between the two seed colours.
      long const t = static_cast<long>(x) + y;
      rgb c{static_cast<std::uint8_t>(from.r + (to.r - from.r) * t / span),
            static_cast<std::uint8_t>(from.g + (to.g - from.g) * t / span),
            static_cast<std::uint8_t>(from.b + (to.b - from.b) * t / span)};
      // 64 cells, one seed bit each: the "fingerprint" that makes prompts distinguishable.
      if ((block_bits >> (cy * 8 + cx)) & 1U) {
        c = ((x + y) / stripe) % 2 == 0 ? block : rgb{static_cast<std::uint8_t>(255 - block.r),
                                                      static_cast<std::uint8_t>(255 - block.g),
                                                      static_cast<std::uint8_t>(255 - block.b)};
      }
      p[0] = c.r;
      p[1] = c.g;
      p[2] = c.b;
      p += 3;
    }
  }
  return px;
}

std::vector<std::uint8_t> encode_rgb(image_format format, std::vector<std::uint8_t> const& rgb_pixels, int width,
                                     int height, int quality) {
  switch (format) {
    case image_format::jpeg: return encode_jpeg(rgb_pixels, width, height, quality);
    case image_format::webp: return encode_webp(rgb_pixels, width, height, quality);
    case image_format::png: break;
  }
  return encode_png(rgb_pixels, width, height);
}

std::string base64_encode(std::uint8_t const* data, std::size_t size) {
  std::string out(4 * ((size + 2) / 3) + 1, '\0');
  // EVP_EncodeBlock takes an int length; chunk at a multiple of 3 to stay in range.
  constexpr std::size_t chunk = 3 * (1U << 28);
  std::size_t written = 0;
  for (std::size_t off = 0; off < size; off += chunk) {
    std::size_t const n = std::min(chunk, size - off);
    written += static_cast<std::size_t>(EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()) + written,
                                                        data + off, static_cast<int>(n)));
  }
  out.resize(written);
  return out;
}

image_cache::image_cache(std::size_t byte_budget) : byte_budget_(byte_budget) {}

image_ptr image_cache::get(image_key const& key) {
  image_key k = key;
  if (k.format == image_format::png) {
    k.quality = 100;
  }
  {
    std::lock_guard lock{mutex_};
    if (auto it = entries_.find(k); it != entries_.end()) {
      ++hits_;
      it->second.age = ++next_age_;
      return it->second.image;
    }
    ++misses_;
  }
  // Encode without the lock: a slow 4K PNG must not stall other connections.
  auto img = std::make_shared<encoded_image>();
  img->key = k;
  img->bytes = encode_rgb(k.format, render_rgb(k.width, k.height, k.seed), k.width, k.height, k.quality);
  if (img->bytes.empty()) {
    return nullptr;
  }
  img->base64 = base64_encode(img->bytes.data(), img->bytes.size());
  std::size_t const cost = img->bytes.size() + img->base64.size();

  std::lock_guard lock{mutex_};
  if (auto it = entries_.find(k); it != entries_.end()) {
    return it->second.image;
  }
  while (!entries_.empty() && bytes_ + cost > byte_budget_) {
    auto oldest = std::min_element(entries_.begin(), entries_.end(),
                                   [](auto const& a, auto const& b) { return a.second.age < b.second.age; });
    bytes_ -= oldest->second.image->bytes.size() + oldest->second.image->base64.size();
    entries_.erase(oldest);
  }
  if (cost <= byte_budget_) {
    entries_.emplace(k, entry{img, ++next_age_});
    bytes_ += cost;
  }
  return img;
}

std::uint64_t image_cache::hits() const {
  std::lock_guard lock{mutex_};
  return hits_;
}

std::uint64_t image_cache::misses() const {
  std::lock_guard lock{mutex_};
  return misses_;
}

void image_cache::clear() {
  std::lock_guard lock{mutex_};
  entries_.clear();
  bytes_ = 0;
}

} // namespace mock
