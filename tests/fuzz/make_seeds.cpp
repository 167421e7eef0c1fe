// fuzz_seeds DIR: writes one small file per format variant (the unit tests'
// fixtures) as the fuzzers' seed corpus.

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "fixtures.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_seeds DIR\n");
    return 2;
  }
  const std::filesystem::path dir(argv[1]);
  std::filesystem::create_directories(dir);
  int n = 0;
  for (const auto& [w, h] : {std::pair{9u, 7u}, std::pair{24u, 16u}}) {
    for (const auto& s : fixtures::every_format(w, h)) {
      std::string name = s.name;
      for (auto& c : name) {
        c = (c == ' ' || c == '+') ? '_' : c;
      }
      std::ofstream f(dir / (name + "-" + std::to_string(w) + ".bin"), std::ios::binary);
      f.write(reinterpret_cast<const char*>(s.data.data()), static_cast<std::streamsize>(s.data.size()));
      ++n;
    }
  }
  std::ofstream exif(dir / "jpeg-exif6.bin", std::ios::binary);
  const auto j = fixtures::jpeg(fixtures::pattern(16, 8), 80, 6, true);
  exif.write(reinterpret_cast<const char*>(j.data()), static_cast<std::streamsize>(j.size()));
  std::printf("%d seeds in %s\n", n + 1, dir.c_str());
  return 0;
}
