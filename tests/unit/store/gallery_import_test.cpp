#include "store/gallery_import.hpp"

#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "store/store.hpp"
#include "store/temp_dir.hpp"
#include "store/test_support.hpp"

using namespace panel::store;
using panel::store::test::scalar_int;
using panel::store::test::temp_dir;

namespace {

std::filesystem::path staged(std::filesystem::path const& dir, std::string const& data) {
  auto p = import_staging_path(dir);
  std::ofstream out{p, std::ios::binary};
  out << data;
  return p;
}

std::string read(std::filesystem::path const& p) {
  std::ifstream in{p, std::ios::binary};
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

gallery_row existing(std::string id, std::string filename) {
  gallery_row r;
  r.id = std::move(id);
  r.prompt = "old";
  r.size = "auto";
  r.filename = std::move(filename);
  r.created_at = "2026-01-01T00:00:00+00:00";
  return r;
}

import_item item(std::filesystem::path const& dir, std::string data, std::string filename,
                 std::optional<std::string> id) {
  import_item it;
  it.staged = staged(dir, data);
  it.filename = std::move(filename);
  it.id = std::move(id);
  it.row.prompt = "imported " + data;
  it.row.size = "1024x1024";
  it.row.created_at = "2026-03-03T00:00:00+00:00";
  it.row.thumbnail_filename = "stale.webp";
  it.row.bytes = static_cast<std::int64_t>(data.size());
  return it;
}

} // namespace

TEST_CASE("gallery import: ids and names already used get fresh ones; nothing is replaced", "[import]") {
  temp_dir dir;
  auto const images = dir.path() / "images";
  std::filesystem::create_directories(images);
  auto db = open_store({dir.path() / "data", {}});
  REQUIRE(db);
  REQUIRE(gallery_repo{db->writer()}.insert(existing("import-1", "import-1.png")));
  {
    std::ofstream{images / "import-1.png"} << "OLD";
    std::ofstream{images / "orphan.png"} << "ORPHAN"; // a file without a row is not replaced either
  }
  std::vector<import_item> items;
  items.push_back(item(images, "first", "import-1.png", "import-1"));
  items.push_back(item(images, "second", "import-1.png", std::nullopt));
  items.push_back(item(images, "third", "orphan.png", "fresh-id"));
  items.push_back(item(images, "fourth", "new.png", "fresh-id")); // the same id twice in one archive

  auto rows = commit_import(db->writer(), images, items);
  REQUIRE(rows);
  REQUIRE(rows->size() == 4);
  CHECK((*rows)[0].id != "import-1");
  CHECK((*rows)[0].id.size() == 36);
  CHECK((*rows)[0].filename == "import-1_1.png");
  CHECK((*rows)[1].filename == "import-1_2.png");
  CHECK((*rows)[2].id == "fresh-id");
  CHECK((*rows)[2].filename == "orphan_1.png");
  CHECK((*rows)[3].id != "fresh-id");
  CHECK((*rows)[3].filename == "new.png");
  CHECK_FALSE((*rows)[0].thumbnail_filename);

  CHECK(read(images / "import-1.png") == "OLD");
  CHECK(read(images / "orphan.png") == "ORPHAN");
  CHECK(read(images / "import-1_1.png") == "first");
  CHECK(read(images / "import-1_2.png") == "second");
  CHECK(read(images / "orphan_1.png") == "third");
  CHECK(read(images / "new.png") == "fourth");
  for (auto const& it : items) {
    CHECK_FALSE(std::filesystem::exists(it.staged));
  }
  CHECK(scalar_int(db->writer(), "SELECT COUNT(*) FROM gallery_entries") == 5);
  auto old = gallery_repo{db->writer()}.get("import-1");
  REQUIRE(*old);
  CHECK((*old)->prompt == "old");
  auto back = gallery_repo{db->writer()}.get((*rows)[1].id);
  REQUIRE(*back);
  CHECK((*back)->prompt == "imported second");
  CHECK_FALSE((*back)->thumbnail_filename);
}

TEST_CASE("gallery import: a failure keeps no row and no file", "[import]") {
  temp_dir dir;
  auto const images = dir.path() / "images";
  std::filesystem::create_directories(images);
  auto db = open_store({dir.path() / "data", {}});
  REQUIRE(db);
  std::vector<import_item> items;
  items.push_back(item(images, "one", "a.png", "a"));
  items.push_back(item(images, "two", "b.png", "b"));
  std::filesystem::remove(items[1].staged); // the second cannot be moved into place
  auto rows = commit_import(db->writer(), images, items);
  CHECK_FALSE(rows);
  CHECK(scalar_int(db->writer(), "SELECT COUNT(*) FROM gallery_entries") == 0);
  CHECK_FALSE(std::filesystem::exists(images / "a.png"));
  CHECK_FALSE(std::filesystem::exists(images / "b.png"));
  CHECK_FALSE(db->writer().in_transaction());
}
