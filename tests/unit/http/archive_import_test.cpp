#include "http/archive_import.hpp"

#include <string>

#include <catch2/catch.hpp>

using namespace panel;
using namespace panel::http;

namespace {

codec::import_members members_of(std::vector<std::string> const& names) {
  codec::import_members m;
  std::uint64_t i = 0;
  for (auto const& n : names) {
    codec::zip_member_info info;
    info.index = i++;
    info.name = n;
    info.size = 10;
    info.compressed_size = 10;
    m.files.emplace(n, info);
  }
  return m;
}

std::string refusal(std::string const& json) {
  auto r = parse_import_metadata(json, members_of({"images/a.png"}), "now");
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::bad_request);
  return r.error().message;
}

} // namespace

TEST_CASE("import metadata: refusals", "[import]") {
  CHECK(refusal("{not json") == "metadata.json is invalid");
  CHECK(refusal("\xff\xfe{}") == "metadata.json is invalid");
  CHECK(refusal("[]") == "metadata.json is invalid");
  CHECK(refusal("{}") == "metadata.json images must be a list");
  CHECK(refusal(R"({"images": {"a": 1}})") == "metadata.json images must be a list");
  CHECK(refusal(R"({"images": null})") == "metadata.json images must be a list");
}

TEST_CASE("import metadata: members found by name, then under images/", "[import]") {
  auto const members = members_of({"images/a.png", "top.png", "images/notes.txt", "images/b.jpg"});
  auto r = parse_import_metadata(R"({"images": [
      {"id": "1", "filename": "a.png"},
      {"id": "2", "filename": "top.png"},
      {"id": "3", "filename": "missing.png"},
      {"id": "4", "filename": "notes.txt"},
      {"id": "5"},
      "not an object",
      {"id": "6", "filename": "images/b.jpg"}
    ], "unknown": true})",
                                 members, "now");
  REQUIRE(r);
  REQUIRE(r->size() == 3);
  CHECK((*r)[0].member.name == "images/a.png");
  CHECK((*r)[0].filename == "a.png");
  CHECK((*r)[1].member.name == "top.png");
  CHECK((*r)[2].member.name == "images/b.jpg");
  CHECK((*r)[2].check_name == "b.jpg");
  CHECK((*r)[2].filename == "b.jpg");
}

TEST_CASE("import metadata: columns coerced like the original (str(), int())", "[import]") {
  auto r = parse_import_metadata(R"({"images": [{
      "id": 17, "filename": "a.png", "prompt": 0, "size": 1024, "created_at": "",
      "completed_at": "", "image_width": "512", "image_height": 7.9, "n": true,
      "output_compression": "x", "model": 1.0, "quality": false, "favorite": "Yes",
      "bytes": 5, "sha256": "ignored", "thumbnail_filename": "t.webp", "api_path": null,
      "duration": ["x"]
    }, {"filename": "a.png", "favorite": 1, "prompt": "\u56fe"}]})",
                                 members_of({"images/a.png"}), "2026-01-01T00:00:00+00:00");
  REQUIRE(r);
  REQUIRE(r->size() == 2);
  auto const& a = (*r)[0];
  CHECK(a.id == "17");
  CHECK(a.row.prompt == "");
  CHECK(a.row.size == "1024");
  CHECK(a.row.created_at == "2026-01-01T00:00:00+00:00");
  CHECK(a.row.completed_at == "");
  CHECK(a.row.image_width == 512);
  CHECK(a.row.image_height == 7);
  CHECK(a.row.n == 1);
  CHECK_FALSE(a.row.output_compression);
  CHECK(a.row.model == "1.0");
  CHECK(a.row.quality == "False");
  CHECK(a.row.favorite);
  CHECK_FALSE(a.row.api_path);
  CHECK_FALSE(a.row.duration);
  CHECK_FALSE(a.row.thumbnail_filename);
  CHECK_FALSE(a.row.sha256); // recomputed from the bytes
  auto const& b = (*r)[1];
  CHECK_FALSE(b.id);
  CHECK(b.row.favorite);
  CHECK(b.row.prompt == "\xE5\x9B\xBE");
}
