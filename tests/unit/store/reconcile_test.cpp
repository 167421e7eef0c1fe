#include "store/reconcile.hpp"

#include <fstream>

#include <catch2/catch.hpp>

#include "store/gallery_files.hpp"
#include "store/gallery_repo.hpp"
#include "store/store.hpp"
#include "store/temp_dir.hpp"
#include "store/test_support.hpp"

using namespace panel::store;
using panel::store::test::column_texts;
using panel::store::test::scalar_int;
using panel::store::test::temp_dir;

namespace fs = std::filesystem;

namespace {

void write(fs::path const& path, std::string const& content) {
  std::ofstream{path, std::ios::binary} << content;
}

gallery_row row(std::string id, std::string filename, std::optional<std::int64_t> bytes = std::nullopt) {
  gallery_row r;
  r.id = std::move(id);
  r.prompt = "p";
  r.size = "auto";
  r.filename = std::move(filename);
  r.created_at = "2026-01-01T00:00:00+00:00";
  r.bytes = bytes;
  return r;
}

struct fixture {
  temp_dir dir;
  store db = open_store(store_paths{dir.path() / "data", {}}).value();
  fs::path images = dir.path() / "images";

  fixture() { fs::create_directories(images / "thumbs"); }
  void add(gallery_row const& r) { REQUIRE(gallery_repo{db.writer()}.insert(r).has_value()); }
};

} // namespace

TEST_CASE("rows whose file is gone are removed; unsafe names count as gone", "[store][reconcile]") {
  fixture f;
  write(f.images / "here.png", "x");
  f.add(row("a", "here.png"));
  f.add(row("b", "gone.png"));
  f.add(row("c", "gone.png"));
  f.add(row("d", "../here.png"));
  fs::create_directories(f.images / "dir.png");
  f.add(row("e", "dir.png"));
  auto report = remove_rows_without_files(f.db.writer(), f.images);
  REQUIRE(report.has_value());
  CHECK(report->files_checked == 4);
  CHECK(report->files_missing == 3);
  CHECK(report->rows_removed == 4);
  CHECK_FALSE(report->refused_empty_dir);
  CHECK(column_texts(f.db.writer(), "SELECT id FROM gallery_entries") == std::vector<std::string>{"a"});
}

TEST_CASE("an IMAGES_DIR without any file never wipes the gallery", "[store][reconcile]") {
  fixture f;
  f.add(row("a", "a.png"));
  f.add(row("b", "b.png"));
  auto report = remove_rows_without_files(f.db.writer(), f.images);
  REQUIRE(report.has_value());
  CHECK(report->refused_empty_dir);
  CHECK(report->rows_removed == 0);
  CHECK(scalar_int(f.db.writer(), "SELECT COUNT(*) FROM gallery_entries") == 2);
  // One file present: the directory is real, so the rest is gone for good.
  write(f.images / "a.png", "x");
  report = remove_rows_without_files(f.db.writer(), f.images);
  REQUIRE(report.has_value());
  CHECK(report->rows_removed == 1);
}

TEST_CASE("stray temporary files of atomic writes are removed, nothing else", "[store][reconcile]") {
  fixture f;
  std::string const hex(32, 'a');
  CHECK(is_atomic_write_temp_name(".x.png.tmp-" + hex));
  CHECK_FALSE(is_atomic_write_temp_name("x.png.tmp-" + hex));
  CHECK_FALSE(is_atomic_write_temp_name("..tmp-" + hex));
  CHECK_FALSE(is_atomic_write_temp_name(".x.png.tmp-" + std::string(32, 'g')));
  CHECK_FALSE(is_atomic_write_temp_name(".x.png.tmp-" + hex + "0"));
  write(f.images / (".a.png.tmp-" + hex), "partial");
  write(f.images / "keep.png", "x");
  write(f.images / ".hidden", "x");
  write(f.images / "thumbs" / (".t.webp.tmp-" + std::string(32, '0')), "partial");
  CHECK(remove_stray_temp_files(f.images) == 1);
  CHECK(remove_stray_temp_files(f.images / "thumbs") == 1);
  CHECK(fs::exists(f.images / "keep.png"));
  CHECK(fs::exists(f.images / ".hidden"));
  CHECK(remove_stray_temp_files(f.images / "missing") == 0);
  REQUIRE(reconcile_gallery_on_startup(f.db.writer(), f.images, f.images / "thumbs").has_value());
}

TEST_CASE("bytes backfill: batches over file names, shared names at once, missing files skipped",
          "[store][reconcile]") {
  fixture f;
  write(f.images / "a.png", "12345");
  write(f.images / "b.png", "123");
  f.add(row("a1", "a.png"));
  f.add(row("a2", "a.png"));
  f.add(row("b", "b.png"));
  f.add(row("m", "missing.png"));
  f.add(row("k", "b.png", 99));  // known sizes are left alone
  backfill_cursor cursor;
  int batches = 0;
  while (!cursor.done) {
    REQUIRE(backfill_bytes_batch(f.db.writer(), f.images, cursor, 1).has_value());
    REQUIRE(++batches < 10);
  }
  CHECK(cursor.rows_updated == 3);
  CHECK(cursor.files_seen == 3);
  CHECK(scalar_int(f.db.writer(), "SELECT bytes FROM gallery_entries WHERE id = 'a2'") == 5);
  CHECK(scalar_int(f.db.writer(), "SELECT bytes FROM gallery_entries WHERE id = 'b'") == 3);
  CHECK(scalar_int(f.db.writer(), "SELECT bytes FROM gallery_entries WHERE id = 'k'") == 99);
  CHECK(scalar_int(f.db.writer(), "SELECT COUNT(*) FROM gallery_entries WHERE bytes IS NULL") == 1);
  backfill_cursor again;
  REQUIRE(backfill_bytes_batch(f.db.writer(), f.images, again).has_value());
  CHECK(again.done);
  CHECK(again.rows_updated == 0);
}

TEST_CASE("thumbnail names follow spec 8.5", "[store][gallery]") {
  auto const name = thumbnail_name("0b1c.png");
  CHECK(name.starts_with("0b1c-"));
  CHECK(name.ends_with(".webp"));
  CHECK(name.size() == std::string("0b1c-").size() + 12 + 5);
  CHECK(thumbnail_name("a b+c.JPG").starts_with("a_b_c-"));
  CHECK(thumbnail_name("__..x..__.png").starts_with("x-"));
  CHECK(thumbnail_name("....png").starts_with("image-"));
  CHECK(thumbnail_name(std::string(200, 'z') + ".png").starts_with(std::string(80, 'z') + "-"));
  CHECK(thumbnail_name("a.png") != thumbnail_name("a.jpg"));
}

TEST_CASE("orphaned files are removed after the fact; failures are skipped", "[store][gallery]") {
  fixture f;
  gallery_dirs const dirs{f.images, f.images / "thumbs"};
  write(f.images / "x.png", "x");
  write(f.images / "thumbs" / thumbnail_name("x.png"), "t");
  write(f.images / "thumbs" / "old.webp", "t");
  fs::create_directories(f.images / "stuck.png" / "inside");  // unlink fails on a directory
  write(f.images / "../outside.png", "o");
  std::vector<orphaned_file> const orphaned{{"x.png", std::string{"old.webp"}},
                                            {"stuck.png", std::nullopt},
                                            {"gone.png", std::nullopt},
                                            {"../outside.png", std::nullopt}};
  CHECK(remove_orphaned_files(dirs, orphaned) == 1);
  CHECK_FALSE(fs::exists(f.images / "x.png"));
  CHECK_FALSE(fs::exists(f.images / "thumbs" / thumbnail_name("x.png")));
  CHECK_FALSE(fs::exists(f.images / "thumbs" / "old.webp"));
  CHECK(fs::exists(f.images / "stuck.png"));
  CHECK(fs::exists(f.dir.path() / "outside.png"));
}
