// bench-codec: the codec side of scripts/bench-codec.sh.
//
//   bench-codec generate DIR [COUNT]          write COUNT inputs (default 50):
//                                             1024^2 and 2048^2, PNG and JPEG
//   bench-codec run DIR OUT [--threads N] [--method M] [--quality Q] [--side S]
//                                             thumbnail every file of DIR into
//                                             OUT/<name>.webp on N threads (like
//                                             the codec pool: one image per
//                                             thread at a time), print JSON
//
// Timing covers reading each file, thumbnail() and writing the WebP, the same
// work the Pillow and vipsthumbnail runs do.

#include <sys/resource.h>
#include <turbojpeg.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "codec/encode.hpp"
#include "codec/thumbnail.hpp"
#include "photo.hpp"

namespace fs = std::filesystem;

namespace {

bool write_file(const fs::path& p, const std::vector<std::uint8_t>& b) {
  std::ofstream f(p, std::ios::binary);
  f.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
  return static_cast<bool>(f);
}

std::vector<std::uint8_t> read_file(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::error_code ec;
  const auto size = fs::file_size(p, ec);
  std::vector<std::uint8_t> b(ec ? 0 : static_cast<std::size_t>(size));
  f.read(reinterpret_cast<char*>(b.data()), static_cast<std::streamsize>(b.size()));
  b.resize(static_cast<std::size_t>(f.gcount()));
  return b;
}

std::vector<std::uint8_t> encode_jpeg(const panel::codec::pixel_image& img, int quality) {
  tjhandle tj = tjInitCompress();
  unsigned char* buf = nullptr;
  unsigned long size = 0;
  const int rc = tjCompress2(tj, img.pixels.data(), static_cast<int>(img.width), 0, static_cast<int>(img.height),
                             TJPF_RGB, &buf, &size, TJSAMP_420, quality, 0);
  std::vector<std::uint8_t> out;
  if (rc == 0) {
    out.assign(buf, buf + size);
  }
  tjFree(buf);
  tjDestroy(tj);
  return out;
}

int generate(const fs::path& dir, int count) {
  fs::create_directories(dir);
  for (int i = 0; i < count; ++i) {
    // Interleaved so any split of the list gets the same mix.
    const std::uint32_t side = (i % 4) < 2 ? 1024 : 2048;
    const bool png = i % 2 == 0;
    char name[64];
    std::snprintf(name, sizeof name, "in-%02d-%u.%s", i, side, png ? "png" : "jpg");
    const auto img = bench::photo(side, side, static_cast<std::uint32_t>(i + 1));
    std::vector<std::uint8_t> bytes;
    if (png) {
      auto encoded = panel::codec::encode_png(img);
      if (!encoded) {
        std::cerr << "png encoding failed: " << encoded.error().message << "\n";
        return 1;
      }
      bytes = std::move(*encoded);
    } else {
      bytes = encode_jpeg(img, 90);
    }
    if (bytes.empty() || !write_file(dir / name, bytes)) {
      std::cerr << "cannot write " << (dir / name) << "\n";
      return 1;
    }
  }
  return 0;
}

int run(const fs::path& dir, const fs::path& out, unsigned threads, panel::codec::thumbnail_options options) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().filename().string().front() != '.') {
      files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());
  fs::create_directories(out);
  std::atomic<std::size_t> next{0};
  std::atomic<int> failures{0};
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (std::size_t i = next++; i < files.size(); i = next++) {
        const auto bytes = read_file(files[i]);
        auto thumb = panel::codec::thumbnail(bytes, options);
        if (!thumb || !write_file(out / (files[i].filename().string() + ".webp"), thumb->webp)) {
          std::cerr << files[i] << ": " << (thumb ? "write failed" : thumb.error().message) << "\n";
          ++failures;
        }
      }
    });
  }
  for (auto& t : pool) {
    t.join();
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  std::printf("{\"images\": %zu, \"failures\": %d, \"threads\": %u, \"seconds\": %.4f, \"thumbs_per_s\": %.2f, "
              "\"max_rss_kb\": %ld}\n",
              files.size(), failures.load(), threads, seconds, files.size() / seconds, ru.ru_maxrss);
  return failures.load() == 0 ? 0 : 1;
}

int usage() {
  std::cerr << "usage: bench-codec generate DIR [COUNT]\n"
               "       bench-codec run DIR OUT [--threads N] [--method M] [--quality Q] [--side S]\n";
  return 2;
}

} // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() >= 2 && args[0] == "generate") {
    return generate(args[1], args.size() >= 3 ? std::stoi(args[2]) : 50);
  }
  if (args.size() < 3 || args[0] != "run") {
    return usage();
  }
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  panel::codec::thumbnail_options options;
  for (std::size_t i = 3; i + 1 < args.size(); i += 2) {
    if (args[i] == "--threads") {
      threads = static_cast<unsigned>(std::max(1, std::stoi(args[i + 1])));
    } else if (args[i] == "--method") {
      options.webp.method = std::stoi(args[i + 1]);
    } else if (args[i] == "--quality") {
      options.webp.quality = std::stof(args[i + 1]);
    } else if (args[i] == "--side") {
      options.max_side = static_cast<std::uint32_t>(std::stoul(args[i + 1]));
    } else {
      return usage();
    }
  }
  return run(args[1], args[2], threads, options);
}
