// gallery_repo's writes: favourites, thumbnails, deletes (and which files they orphan).

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "store/gallery_repo.hpp"
#include "store/statement.hpp"
#include "store/store.hpp"
#include "store/temp_dir.hpp"
#include "store/test_support.hpp"

using namespace panel::store;
using panel::store::test::scalar_int;
using panel::store::test::temp_dir;

namespace {

gallery_row row(std::string id, std::string filename) {
  gallery_row r;
  r.id = std::move(id);
  r.prompt = "p";
  r.size = "auto";
  r.filename = std::move(filename);
  r.created_at = "2026-01-01T00:00:00+00:00";
  return r;
}

struct fixture {
  temp_dir dir;
  store db = open_store(store_paths{dir.path() / "data", {}}).value();
  gallery_repo repo{db.writer()};

  fixture() {
    for (auto const& r : {row("a", "shared.png"), row("b", "shared.png"), row("c", "c.png")}) {
      REQUIRE(repo.insert(r).has_value());
    }
  }
};

} // namespace

TEST_CASE("read_gallery_row reads the columns from any offset", "[store][gallery]") {
  fixture f;
  auto stmt = f.db.writer().prepare("SELECT 42, " + std::string{gallery_columns} + " FROM gallery_entries WHERE id = 'c'");
  REQUIRE(stmt.has_value());
  REQUIRE(stmt->step().value());
  CHECK(stmt->column_count() == gallery_column_count + 1);
  auto const r = read_gallery_row(*stmt, 1);
  CHECK(r == row("c", "c.png"));
}

TEST_CASE("favourites: one, many, missing ids in request order", "[store][gallery]") {
  fixture f;
  auto one = f.repo.set_favorite("a", true);
  REQUIRE(one.has_value());
  REQUIRE(one->has_value());
  CHECK((*one)->favorite);
  CHECK_FALSE(f.repo.set_favorite("zz", true).value().has_value());

  auto many = f.repo.set_favorite_many({"x", "a", "c", "y"}, true);
  REQUIRE(many.has_value());
  CHECK(many->rows == 2);  // "a" was already a favourite: still counted
  CHECK(many->missing_ids == std::vector<std::string>{"x", "y"});
  CHECK(scalar_int(f.db.writer(), "SELECT COUNT(*) FROM gallery_entries WHERE favorite = 1") == 2);
  CHECK(f.repo.set_favorite_many({"a", "b", "c"}, false).value().rows == 3);
  CHECK(scalar_int(f.db.writer(), "SELECT COUNT(*) FROM gallery_entries WHERE favorite = 1") == 0);
}

TEST_CASE("thumbnail_filename is recorded on every row of the file", "[store][gallery]") {
  fixture f;
  CHECK(f.repo.set_thumbnail("shared.png", "shared-0123.webp").value() == 2);
  CHECK(f.repo.set_thumbnail("shared.png", "shared-0123.webp").value() == 0);
  CHECK(f.repo.get("b").value()->thumbnail_filename == std::optional<std::string>{"shared-0123.webp"});
  CHECK_FALSE(f.repo.get("c").value()->thumbnail_filename.has_value());
}

TEST_CASE("deleting rows orphans a file only with its last row", "[store][gallery]") {
  fixture f;
  REQUIRE(f.repo.set_thumbnail("shared.png", "t.webp").has_value());
  auto first = f.repo.remove_many({"a", "nope"});
  REQUIRE(first.has_value());
  CHECK(first->rows == 1);
  CHECK(first->missing_ids == std::vector<std::string>{"nope"});
  CHECK(first->orphaned.empty());  // "b" still uses shared.png

  auto second = f.repo.remove_many({"b", "c"});
  REQUIRE(second.has_value());
  CHECK(second->rows == 2);
  REQUIRE(second->orphaned.size() == 2);
  CHECK(second->orphaned[0].filename == "shared.png");
  CHECK(second->orphaned[0].thumbnail_filename == std::optional<std::string>{"t.webp"});
  CHECK(second->orphaned[1].filename == "c.png");
  CHECK_FALSE(second->orphaned[1].thumbnail_filename.has_value());

  auto none = f.repo.remove_many({"a"});
  REQUIRE(none.has_value());
  CHECK(none->rows == 0);
  CHECK(none->missing_ids == std::vector<std::string>{"a"});
}

TEST_CASE("deleting both rows of a shared file in one batch orphans it once", "[store][gallery]") {
  fixture f;
  auto both = f.repo.remove_many({"a", "b"});
  REQUIRE(both.has_value());
  CHECK(both->rows == 2);
  REQUIRE(both->orphaned.size() == 1);
  CHECK(both->orphaned[0].filename == "shared.png");
}

TEST_CASE("delete all orphans every distinct file", "[store][gallery]") {
  fixture f;
  auto all = f.repo.remove_all();
  REQUIRE(all.has_value());
  CHECK(all->rows == 3);
  CHECK(all->orphaned.size() == 2);
  CHECK(scalar_int(f.db.writer(), "SELECT COUNT(*) FROM gallery_entries") == 0);
  CHECK(scalar_int(f.db.writer(), "SELECT COUNT(*) FROM gallery_entries_fts") == 0);
}

TEST_CASE("get_many keeps the request order and skips missing ids", "[store][gallery]") {
  fixture f;
  auto rows = f.repo.get_many({"c", "x", "a"});
  REQUIRE(rows.has_value());
  REQUIRE(rows->size() == 2);
  CHECK((*rows)[0].id == "c");
  CHECK((*rows)[1].id == "a");
}
