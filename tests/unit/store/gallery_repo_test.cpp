#include "store/gallery_repo.hpp"

#include <string>

#include <catch2/catch.hpp>
#include <simdjson.h>

#include "store/store.hpp"
#include "store/temp_dir.hpp"

using panel::store::gallery_repo;
using panel::store::gallery_row;
using panel::store::open_store;
using panel::store::store_paths;
using panel::store::test::temp_dir;

namespace {

gallery_row full_row() {
  gallery_row row;
  row.id = "g1";
  row.prompt = "a red \"cube\"";
  row.size = "1024x1024";
  row.filename = "g1.png";
  row.thumbnail_filename = "g1.webp";
  row.created_at = "2026-05-18T12:00:00+00:00";
  row.completed_at = "2026-05-18T20:00:03+08:00";
  row.image_width = 1024;
  row.image_height = 768;
  row.model = "gpt-image-2";
  row.quality = "auto";
  row.output_format = "png";
  row.output_compression = 100;
  row.response_format = "url";
  row.n = 1;
  row.api_path = "/v1/images/generations";
  row.api_preset_name = "Default";
  row.duration = "3.21s";
  row.favorite = true;
  row.bytes = 12345;
  row.sha256 = "ab12";
  return row;
}

} // namespace

TEST_CASE("url_quote follows urllib.parse.quote", "[store][gallery]") {
  CHECK(panel::store::url_quote("a b%c.png") == "a%20b%25c.png");
  CHECK(panel::store::url_quote("x/y_z-~.png") == "x/y_z-~.png");
  CHECK(panel::store::url_quote("\xE5\x9B\xBE.png") == "%E5%9B%BE.png");
}

TEST_CASE("gallery_repo insert/get round trip every column", "[store][gallery]") {
  temp_dir dir;
  auto opened = open_store(store_paths{dir.path() / "data", {}});
  REQUIRE(opened.has_value());
  gallery_repo repo{opened->writer()};

  gallery_row const row = full_row();
  REQUIRE(repo.insert(row).has_value());
  CHECK_FALSE(repo.insert(row).has_value()); // duplicate id

  gallery_row sparse;
  sparse.id = "g2";
  sparse.prompt = "p";
  sparse.size = "auto";
  sparse.filename = "g2.png";
  sparse.created_at = "2026-05-18T12:00:01+00:00";
  REQUIRE(repo.insert(sparse).has_value());

  auto got = repo.get("g1");
  REQUIRE(got.has_value());
  REQUIRE(got->has_value());
  CHECK(**got == row);
  auto got_sparse = repo.get("g2");
  REQUIRE(got_sparse.has_value());
  REQUIRE(got_sparse->has_value());
  CHECK(**got_sparse == sparse);
  CHECK_FALSE((*got_sparse)->favorite);
  auto missing = repo.get("none");
  REQUIRE(missing.has_value());
  CHECK_FALSE(missing->has_value());
}

TEST_CASE("gallery to_json matches GalleryEntry", "[store][gallery]") {
  gallery_row row = full_row();
  row.filename = "my pic.png";
  std::string const text = panel::store::to_json(row);
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  REQUIRE(parser.parse(text).get_object().get(object) == simdjson::SUCCESS);
  CHECK(object.size() == 22);
  CHECK(object["image_url"].get_string().value() == "/api/image/my%20pic.png");
  CHECK(object["thumbnail_url"].get_string().value() == "/api/thumb/my%20pic.png");
  CHECK(object["favorite"].get_bool().value());
  CHECK(object["bytes"].get_int64().value() == 12345);
  CHECK(object["prompt"].get_string().value() == "a red \"cube\"");
  CHECK(object.at_key("sha256").error() == simdjson::NO_SUCH_FIELD);

  gallery_row sparse;
  sparse.id = "g2";
  sparse.filename = "g2.png";
  std::string const sparse_text = panel::store::to_json(sparse);
  CHECK(sparse_text.find(R"("thumbnail_filename":null)") != std::string::npos);
  CHECK(sparse_text.find(R"("completed_at":null)") != std::string::npos);
  CHECK(sparse_text.find(R"("favorite":false,"bytes":null})") != std::string::npos);
}
