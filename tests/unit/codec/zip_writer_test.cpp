#include "codec/zip_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <zip.h>
#include <zlib.h>

#include "codec/zip_stream.hpp"

using panel::codec::zip_archive_size;
using panel::codec::zip_file_stream;
using panel::codec::zip_member_size;
using panel::codec::zip_source_member;
using panel::codec::zip_writer;

namespace {

struct tmp_dir {
  std::filesystem::path path;
  tmp_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "panel-zip-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~tmp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

struct member {
  std::string name;
  std::string data;
};

// Writes `members` with zip_writer, finishing in small budgets to exercise the pieces.
std::string write_archive(std::vector<member> const& members, std::size_t budget = 4096) {
  zip_writer w;
  std::string out;
  for (auto const& m : members) {
    REQUIRE(w.begin_entry(m.name, m.data.size(), out));
    REQUIRE(w.update(m.data));
    out += m.data;
    REQUIRE(w.end_entry(out));
  }
  while (true) {
    auto done = w.finish_some(out, out.size() + budget);
    REQUIRE(done);
    if (*done) {
      break;
    }
  }
  CHECK(w.offset() == out.size());
  return out;
}

std::uint64_t expected_size(std::vector<member> const& members) {
  std::vector<zip_member_size> sizes;
  for (auto const& m : members) {
    sizes.push_back({m.name.size(), m.data.size()});
  }
  return zip_archive_size(sizes);
}

void save(std::filesystem::path const& p, std::string const& bytes) {
  std::ofstream out{p, std::ios::binary};
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(out.good());
}

// Every member of the archive at `p`, read back through libzip with its strict checks.
std::vector<member> read_back(std::filesystem::path const& p) {
  int err = 0;
  zip_t* z = zip_open(p.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &err);
  INFO("libzip error " << err);
  REQUIRE(z != nullptr);
  std::vector<member> out;
  auto const n = zip_get_num_entries(z, 0);
  for (zip_int64_t i = 0; i < n; ++i) {
    zip_stat_t st;
    REQUIRE(zip_stat_index(z, static_cast<zip_uint64_t>(i), 0, &st) == 0);
    CHECK(st.comp_method == ZIP_CM_STORE);
    member m;
    m.name = st.name;
    m.data.resize(st.size);
    zip_file_t* f = zip_fopen_index(z, static_cast<zip_uint64_t>(i), 0);
    REQUIRE(f != nullptr);
    if (st.size > 0) {
      REQUIRE(zip_fread(f, m.data.data(), st.size) == static_cast<zip_int64_t>(st.size));
    }
    char extra;
    CHECK(zip_fread(f, &extra, 1) == 0); // end of data, CRC verified
    zip_fclose(f);
    out.push_back(std::move(m));
  }
  zip_discard(z);
  return out;
}

std::string random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 gen{seed};
  std::string s(n, '\0');
  for (auto& c : s) {
    c = static_cast<char>(gen() & 0xFF);
  }
  return s;
}

std::uint32_t le32(std::string const& s, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(s[at])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 1])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 2])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 3])) << 24;
}

} // namespace

TEST_CASE("zip_writer: a stored archive round-trips through libzip", "[zip]") {
  tmp_dir dir;
  std::vector<member> members{
      {"images/a.png", random_bytes(300 * 1024, 1)},
      {"images/empty.png", ""},
      {"images/\xE5\x9B\xBE\xE7\x89\x87 \xC3\xA9.png", "x"},
      {"metadata.json", "{\n  \"images\": []\n}"},
  };
  auto const bytes = write_archive(members);
  CHECK(bytes.size() == expected_size(members));
  auto const path = dir.path / "a.zip";
  save(path, bytes);
  auto const back = read_back(path);
  REQUIRE(back.size() == members.size());
  for (std::size_t i = 0; i < members.size(); ++i) {
    CHECK(back[i].name == members[i].name);
    CHECK(back[i].data == members[i].data);
  }
  // Flag bits 3 (data descriptor) and 11 (UTF-8) on the first local header; no Zip64 end records.
  CHECK(le32(bytes, 0) == 0x04034b50);
  CHECK((static_cast<unsigned char>(bytes[6]) | static_cast<unsigned char>(bytes[7]) << 8) == 0x0808);
  CHECK(bytes.find("PK\x06\x06") == std::string::npos);
}

TEST_CASE("zip_writer: an empty archive is the end record alone", "[zip]") {
  auto const bytes = write_archive({});
  CHECK(bytes.size() == 22);
  CHECK(bytes.size() == zip_archive_size({}));
}

TEST_CASE("zip_writer: more than 65,535 entries switch to Zip64 end records", "[zip]") {
  tmp_dir dir;
  std::vector<member> members;
  members.reserve(70'000);
  for (int i = 0; i < 70'000; ++i) {
    members.push_back({"images/" + std::to_string(i) + ".png", std::string(1, static_cast<char>('a' + i % 26))});
  }
  auto const bytes = write_archive(members, 64 * 1024);
  CHECK(bytes.size() == expected_size(members));
  CHECK(bytes.find("PK\x06\x06") != std::string::npos); // Zip64 end of central directory
  CHECK(bytes.find("PK\x06\x07") != std::string::npos); // and its locator
  auto const path = dir.path / "many.zip";
  save(path, bytes);
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &err);
  REQUIRE(z != nullptr);
  CHECK(zip_get_num_entries(z, 0) == 70'000);
  for (int i : {0, 65'534, 65'535, 69'999}) {
    zip_stat_t st;
    REQUIRE(zip_stat_index(z, static_cast<zip_uint64_t>(i), 0, &st) == 0);
    CHECK(std::string(st.name) == members[static_cast<std::size_t>(i)].name);
    CHECK(st.size == 1);
  }
  zip_discard(z);
}

TEST_CASE("zip_writer: an entry over 4 GiB and the offsets after it use Zip64 fields", "[zip][slow]") {
  tmp_dir dir;
  auto const path = dir.path / "big.zip";
  int const fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  REQUIRE(fd >= 0);
  // The big entry's data is a hole in a sparse file: zeros that are never written.
  std::uint64_t const big = (std::uint64_t{1} << 32) + 12345;
  std::string const tail = "after the big one";
  zip_writer w;
  std::uint64_t at = 0;
  auto put = [&](std::string const& s) {
    REQUIRE(::pwrite(fd, s.data(), s.size(), static_cast<off_t>(at)) == static_cast<ssize_t>(s.size()));
    at += s.size();
  };
  std::string out;
  REQUIRE(w.begin_entry("images/big.bin", big, out));
  put(out);
  std::string const zeros(1 << 20, '\0');
  for (std::uint64_t left = big; left > 0;) {
    auto const n = std::min<std::uint64_t>(left, zeros.size());
    REQUIRE(w.update(std::string_view(zeros).substr(0, n)));
    left -= n;
  }
  at += big;
  out.clear();
  REQUIRE(w.end_entry(out));
  REQUIRE(w.begin_entry("metadata.json", tail.size(), out));
  REQUIRE(w.update(tail));
  out += tail;
  REQUIRE(w.end_entry(out));
  while (!*w.finish_some(out, 1 << 20)) {
  }
  put(out);
  ::close(fd);
  std::vector<zip_member_size> sizes{{14, big}, {13, tail.size()}};
  CHECK(at == zip_archive_size(sizes));
  CHECK(std::filesystem::file_size(path) == at);

  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &err);
  INFO("libzip error " << err);
  REQUIRE(z != nullptr);
  REQUIRE(zip_get_num_entries(z, 0) == 2);
  zip_stat_t st;
  REQUIRE(zip_stat_index(z, 0, 0, &st) == 0);
  CHECK(st.size == big);
  REQUIRE(zip_stat_index(z, 1, 0, &st) == 0);
  CHECK(st.size == tail.size());
  zip_file_t* f = zip_fopen_index(z, 1, 0);
  REQUIRE(f != nullptr);
  std::string back(tail.size(), '\0');
  CHECK(zip_fread(f, back.data(), back.size()) == static_cast<zip_int64_t>(tail.size()));
  CHECK(back == tail);
  zip_fclose(f);
  zip_discard(z);
}

TEST_CASE("zip_writer: refuses entries fed with the wrong amount of data", "[zip]") {
  zip_writer w;
  std::string out;
  REQUIRE(w.begin_entry("a", 3, out));
  CHECK_FALSE(w.begin_entry("b", 1, out)); // still open
  CHECK_FALSE(w.update("abcd"));           // more than declared
  REQUIRE(w.update("ab"));
  CHECK_FALSE(w.end_entry(out));           // fewer than declared
  CHECK_FALSE(w.finish_some(out, 1 << 20));
  REQUIRE(w.update("c"));
  REQUIRE(w.end_entry(out));
  REQUIRE(*w.finish_some(out, 1 << 20));
  CHECK_FALSE(w.begin_entry("late", 0, out));
}

TEST_CASE("zip_file_stream: files on disk become the archive whose size was promised", "[zip]") {
  tmp_dir dir;
  auto const a = random_bytes(700 * 1024, 7); // several pieces
  save(dir.path / "a.bin", a);
  save(dir.path / "b.bin", "bee");
  save(dir.path / "m.json", "{}");
  std::vector<zip_source_member> members{{"images/a.png", dir.path / "a.bin", a.size()},
                                         {"images/a_1.png", dir.path / "b.bin", 3},
                                         {"metadata.json", dir.path / "m.json", 2}};
  zip_file_stream stream{members};
  std::string all;
  std::size_t pieces = 0;
  while (!stream.done()) {
    auto piece = stream.next();
    REQUIRE(piece);
    CHECK(piece->size() <= zip_file_stream::piece_bytes + 1024);
    all += *piece;
    ++pieces;
  }
  CHECK(pieces >= 3);
  CHECK(all.size() == stream.total());
  CHECK(stream.produced() == stream.total());
  save(dir.path / "out.zip", all);
  auto const back = read_back(dir.path / "out.zip");
  REQUIRE(back.size() == 3);
  CHECK(back[0].data == a);
  CHECK(back[1].data == "bee");
  CHECK(back[2].name == "metadata.json");
}

TEST_CASE("zip_file_stream: a file that vanished or shrank cuts the archive", "[zip]") {
  tmp_dir dir;
  save(dir.path / "a.bin", "short");
  zip_file_stream shrunk{{{"images/a.png", dir.path / "a.bin", 10}}};
  CHECK_FALSE(shrunk.next());
  zip_file_stream gone{{{"images/b.png", dir.path / "missing.bin", 1}}};
  CHECK_FALSE(gone.next());
}
