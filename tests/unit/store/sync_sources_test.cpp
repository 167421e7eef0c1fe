#include "store/sync_sources.hpp"

#include <catch2/catch.hpp>

#include <fstream>

#include "core/crypto.hpp"
#include "store/database.hpp"
#include "store/store.hpp"
#include "store/temp_dir.hpp"

using namespace panel::store;
using panel::store::test::temp_dir;

namespace {

void add_row(database& db, std::string const& id, std::string const& filename) {
  auto stmt = db.prepare("INSERT INTO gallery_entries (id, prompt, size, filename, created_at) VALUES (?, 'p', "
                         "'1024x1024', ?, '2026-01-01T00:00:00+00:00')");
  REQUIRE(stmt);
  REQUIRE(stmt->bind_all(id, filename));
  REQUIRE(stmt->execute());
}

} // namespace

TEST_CASE("sync sources: every row in insertion order, and the count") {
  temp_dir dir;
  auto db = open_store({dir.path(), {}});
  REQUIRE(db);
  auto& conn = db->writer();
  REQUIRE(*count_gallery_rows(conn) == 0);
  add_row(conn, "b", "b.png");
  add_row(conn, "a", "");
  add_row(conn, "c", "b.png");
  auto rows = list_sync_sources(conn);
  REQUIRE(rows);
  REQUIRE(rows->size() == 3);
  REQUIRE((*rows)[0].id == "b");
  REQUIRE((*rows)[1].filename.empty());
  REQUIRE((*rows)[2].filename == "b.png");
  REQUIRE(*count_gallery_rows(conn) == 3);
}

TEST_CASE("sync sources: a file's size and SHA-256 in one streamed read") {
  temp_dir dir;
  std::string data(200'000, 'x');
  data[7] = 'y';
  {
    std::ofstream out{dir.path() / "f.bin", std::ios::binary};
    out << data;
  }
  auto d = digest_file(dir.path() / "f.bin");
  REQUIRE(d);
  REQUIRE(d->size == 200'000);
  REQUIRE(d->sha256_hex == panel::core::to_hex(panel::core::sha256(data)));
  REQUIRE_FALSE(digest_file(dir.path() / "missing.bin"));
  REQUIRE_FALSE(digest_file(dir.path()));
  std::ofstream{dir.path() / "empty.bin"};
  auto empty = digest_file(dir.path() / "empty.bin");
  REQUIRE(empty);
  REQUIRE(empty->size == 0);
  REQUIRE(empty->sha256_hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}
