// image_files: atomic writes leave exactly the final file, and the cleanup helpers.

#include <catch2/catch.hpp>

#include <fstream>

#include "store/image_files.hpp"
#include "store/temp_dir.hpp"

using namespace panel;
using namespace panel::store;

TEST_CASE("write_file_atomically writes the bytes and leaves no temporary file", "[image_files]") {
  test::temp_dir dir;
  std::vector<std::uint8_t> const bytes{1, 2, 3, 4, 5};
  REQUIRE(write_file_atomically(dir.path(), "a.png", bytes.data(), bytes.size()).has_value());
  std::ifstream in{dir.path() / "a.png", std::ios::binary};
  std::vector<char> got{std::istreambuf_iterator<char>{in}, {}};
  CHECK(got.size() == 5);
  std::size_t files = 0;
  for (auto const& e : std::filesystem::directory_iterator{dir.path()}) {
    (void)e;
    ++files;
  }
  CHECK(files == 1);
}

TEST_CASE("write_file_atomically refuses unsafe names and a missing directory", "[image_files]") {
  test::temp_dir dir;
  std::uint8_t const b = 1;
  CHECK_FALSE(write_file_atomically(dir.path(), "../x.png", &b, 1).has_value());
  CHECK_FALSE(write_file_atomically(dir.path(), "", &b, 1).has_value());
  CHECK_FALSE(write_file_atomically(dir.path() / "missing", "x.png", &b, 1).has_value());
  CHECK(is_safe_filename("abc.png"));
  CHECK_FALSE(is_safe_filename(".."));
}

TEST_CASE("remove_staged_edit_sources removes only edit-source-* files", "[image_files]") {
  test::temp_dir dir;
  std::ofstream{dir.path() / "edit-source-abc.png"} << "x";
  std::ofstream{dir.path() / "edit-source-def"} << "x";
  std::ofstream{dir.path() / "keep.png"} << "x";
  CHECK(remove_staged_edit_sources(dir.path()) == 2);
  CHECK(std::filesystem::exists(dir.path() / "keep.png"));
  CHECK(remove_staged_edit_sources(dir.path() / "missing") == 0);
  CHECK(remove_files({(dir.path() / "keep.png").string(), (dir.path() / "gone").string()}) == 1);
}

TEST_CASE("make_job_image quotes the file name in the URL", "[image_files]") {
  auto const img = make_job_image("id1", "id1 x.png", 10, 20);
  CHECK(img.image_url == "/api/image/id1%20x.png");
  CHECK(img.image_width == 10);
}
