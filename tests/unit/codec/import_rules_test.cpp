#include "codec/import_rules.hpp"

#include <filesystem>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <zip.h>

#include "codec/zip_reader.hpp"

using namespace panel::codec;

namespace {

zip_member_info file(std::string name, std::uint64_t size, std::optional<std::uint64_t> compressed = {}) {
  zip_member_info m;
  m.name = std::move(name);
  m.size = size;
  m.compressed_size = compressed.value_or(size);
  m.directory = !m.name.empty() && m.name.back() == '/';
  return m;
}

std::string refusal(std::vector<zip_member_info> const& members, import_limits const& lim = {}) {
  auto r = check_import_members(members, lim);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == panel::errc::bad_request);
  return r.error().message;
}

struct tmp_dir {
  std::filesystem::path path;
  tmp_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "panel-import-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~tmp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

} // namespace

TEST_CASE("import rules: member names", "[import]") {
  for (auto name : {"metadata.json", "images/a.png", "a/b/c.png", "x..y.png"}) {
    INFO(name);
    CHECK(is_safe_member_name(name));
  }
  for (auto name : {"../evil.png", "/evil.png", "images\\evil.png", "images/../evil.png", "C:/evil.png",
                    "c:/x.png", "a//b.png", "./a.png", "images/./a.png", "images/..", ""}) {
    INFO(name);
    CHECK_FALSE(is_safe_member_name(name));
  }
}

TEST_CASE("import rules: image extensions by pathlib's suffix, any case", "[import]") {
  CHECK(has_image_extension("images/a.png"));
  CHECK(has_image_extension("A.JPEG"));
  CHECK(has_image_extension("x.heic"));
  CHECK_FALSE(has_image_extension("a.svg"));
  CHECK_FALSE(has_image_extension("images/.png"));
  CHECK_FALSE(has_image_extension("metadata.json"));
}

TEST_CASE("import rules: the checks run in the spec's order with its messages", "[import]") {
  import_limits lim;
  lim.max_files = 2;
  // Directories do not count; three files do.
  CHECK(refusal({file("images/", 0), file("a.png", 1), file("b.png", 1), file("metadata.json", 2)}, lim) ==
        "Import archive contains too many files");
  // Too many files wins over an unsafe name.
  CHECK(refusal({file("../evil.png", 1), file("b.png", 1), file("metadata.json", 2)}, lim) ==
        "Import archive contains too many files");

  CHECK(refusal({file("metadata.json", 2), file("../evil.png", 1)}) == "Import archive contains unsafe paths");
  CHECK(refusal({file("/evil.png", 1), file("metadata.json", 2)}) == "Import archive contains unsafe paths");
  CHECK(refusal({file("images\\evil.png", 1), file("metadata.json", 2)}) == "Import archive contains unsafe paths");

  import_limits zero_image;
  zero_image.max_image_bytes = 0;
  CHECK(refusal({file("images/a.png", 1), file("metadata.json", 2)}, zero_image) == "Imported image is too large");
  // Only image members are held to the per-image limit.
  CHECK(check_import_members({file("notes.txt", 5), file("metadata.json", 2)}, zero_image));

  import_limits zero_total;
  zero_total.max_uncompressed_bytes = 0;
  CHECK(refusal({file("images/a.png", 1), file("metadata.json", 2)}, zero_total) ==
        "Import archive uncompressed size exceeds limit");

  import_limits ratio_one;
  ratio_one.max_compression_ratio = 1;
  CHECK(refusal({file("images/a.png", 1024, 20), file("metadata.json", 2)}, ratio_one) ==
        "Import archive compression ratio exceeds limit");
  CHECK(refusal({file("images/a.png", 10, 0), file("metadata.json", 2)}) ==
        "Import archive compression ratio exceeds limit"); // nothing stored for something
  CHECK(check_import_members({file("images/a.png", 0, 0), file("metadata.json", 2)}, ratio_one));

  CHECK(refusal({file("images/a.png", 1)}) == "metadata.json is required");
  CHECK(refusal({file("images/metadata.json", 2)}) == "metadata.json is required");
  import_limits small_meta;
  small_meta.max_metadata_bytes = 10;
  CHECK(refusal({file("metadata.json", 11)}, small_meta) == "metadata.json is too large");
}

TEST_CASE("import rules: members by name, the last of a repeated name winning", "[import]") {
  auto a = file("images/a.png", 1);
  a.index = 0;
  auto a2 = file("images/a.png", 2);
  a2.index = 1;
  auto meta = file("metadata.json", 2);
  meta.index = 2;
  auto ok = check_import_members({a, a2, meta}, {});
  REQUIRE(ok);
  CHECK(ok->files.size() == 2);
  CHECK(ok->files.at("images/a.png").index == 1);
  CHECK(ok->metadata.index == 2);
}

TEST_CASE("import rules: sanitised file names", "[import]") {
  CHECK(sanitize_import_filename("import-1.png") == "import-1.png");
  CHECK(sanitize_import_filename("images/sub/My Photo (1).PNG") == "My_Photo__1.png");
  CHECK(sanitize_import_filename("pic.JPG") == "pic.jpg");
  CHECK(sanitize_import_filename("vector.svg") == "vector.png");
  CHECK(sanitize_import_filename("noext") == "noext.png");
  CHECK(sanitize_import_filename(".png") == "png.png");
  CHECK(sanitize_import_filename("__a.b__.webp") == "a.b.webp");
  CHECK(sanitize_import_filename("caf\xC3\xA9.gif") == "caf.gif");
  std::regex const random_name{"^[0-9a-f]{32}\\.png$"};
  CHECK(std::regex_match(sanitize_import_filename("\xE5\x9B\xBE\xE7\x89\x87.png"), random_name));
  CHECK(std::regex_match(sanitize_import_filename("..."), random_name));
}

TEST_CASE("zip_reader: members and bytes of an archive libzip wrote", "[import]") {
  tmp_dir dir;
  auto const path = dir.path / "in.zip";
  std::string const zeros(4096, '\0');
  {
    int err = 0;
    zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
    REQUIRE(z != nullptr);
    REQUIRE(zip_dir_add(z, "images", ZIP_FL_ENC_UTF_8) >= 0);
    auto* src = zip_source_buffer(z, zeros.data(), zeros.size(), 0);
    REQUIRE(zip_file_add(z, "images/zeros.png", src, ZIP_FL_ENC_UTF_8) >= 0);
    auto* meta = zip_source_buffer(z, "{}", 2, 0);
    REQUIRE(zip_file_add(z, "metadata.json", meta, ZIP_FL_ENC_UTF_8) >= 0);
    REQUIRE(zip_close(z) == 0);
  }
  auto reader = zip_reader::open(path);
  REQUIRE(reader);
  auto members = reader->members();
  REQUIRE(members);
  REQUIRE(members->size() == 3);
  CHECK((*members)[0].name == "images/");
  CHECK((*members)[0].directory);
  CHECK((*members)[1].name == "images/zeros.png");
  CHECK((*members)[1].size == 4096);
  CHECK((*members)[1].compressed_size < 4096); // deflated
  auto bytes = reader->read(1, 1 << 20);
  REQUIRE(bytes);
  CHECK(bytes->size() == 4096);
  auto capped = reader->read(1, 100);
  REQUIRE(capped);
  CHECK(capped->size() == 101); // the cap plus one: the caller sees the excess
  auto meta = reader->read(2, 10);
  REQUIRE(meta);
  CHECK(std::string(meta->begin(), meta->end()) == "{}");
}

TEST_CASE("zip_reader: anything else is not a ZIP", "[import]") {
  tmp_dir dir;
  auto const path = dir.path / "not.zip";
  {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    std::fputs("this is not a zip archive at all, just text", f);
    std::fclose(f);
  }
  CHECK_FALSE(zip_reader::open(path));
  CHECK_FALSE(zip_reader::open(dir.path / "missing.zip"));
}
