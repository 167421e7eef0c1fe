#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "codec/encode.hpp"
#include "core/crypto.hpp"
#include "http/edit_staging.hpp"

using namespace panel;
using namespace panel::http;

namespace {

struct temp_dir {
  std::filesystem::path path = std::filesystem::temp_directory_path() / ("staging-test-" + core::random_hex32());
  temp_dir() { std::filesystem::create_directories(path); }
  ~temp_dir() { std::filesystem::remove_all(path); }
};

std::vector<std::uint8_t> tiny_png() {
  codec::pixel_image img;
  img.width = 4;
  img.height = 3;
  img.channels = 3;
  img.pixels.assign(4 * 3 * 3, 0x7f);
  auto png = codec::encode_png(img);
  REQUIRE(png);
  return *png;
}

uploaded_file write_upload(std::filesystem::path const& dir, std::string name, std::string type,
                           std::vector<std::uint8_t> const& bytes) {
  uploaded_file f{"image", std::move(name), std::move(type), staged_path(dir, "x.bin"), bytes.size()};
  std::ofstream out(f.path, std::ios::binary);
  out.write(reinterpret_cast<char const*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return f;
}

std::string message_of(std::vector<uploaded_file> const& files, edit_limits lim = {}) {
  auto r = validate_staged(files, lim);
  REQUIRE_FALSE(r);
  return r.error().message;
}

} // namespace

TEST_CASE("staged uploads are validated in order with the contract's messages") {
  temp_dir dir;
  auto const png = tiny_png();
  auto ok = validate_staged({write_upload(dir.path, "a.png", "image/png", png),
                             write_upload(dir.path, "b.PNG", "application/octet-stream", png)},
                            {});
  REQUIRE(ok);
  REQUIRE(ok->size() == 2);
  REQUIRE((*ok)[0].filename == "a.png");
  REQUIRE((*ok)[0].content_type == "image/png");
  REQUIRE((*ok)[1].content_type == "image/png"); // derived, not the part's octet-stream
  REQUIRE((*ok)[0].bytes == static_cast<std::int64_t>(png.size()));

  std::vector<std::uint8_t> const svg{'<', 's', 'v', 'g', '>', '<', '/', 's', 'v', 'g', '>'};
  REQUIRE(message_of({write_upload(dir.path, "a.svg", "image/svg+xml", svg)}) == "Upload must be an image file.");
  REQUIRE(message_of({write_upload(dir.path, "a.png", "image/png", {})}) == "Uploaded image is empty.");
  REQUIRE(message_of({write_upload(dir.path, "a.png", "image/png", png)}, {10, 100'000'000}) ==
          "Uploaded image is too large. Max size is 0 MB.");
  REQUIRE(message_of({write_upload(dir.path, "a.png", "image/png", svg)}) ==
          "Image data must be a supported raster image format");
  REQUIRE(message_of({write_upload(dir.path, "a.jpg", "image/jpeg", png)}) ==
          "Image file extension does not match image data");
  REQUIRE(message_of({write_upload(dir.path, "a.png", "image/webp", png)}) ==
          "Image content type does not match image data");
  auto truncated = png;
  truncated.resize(png.size() - 20);
  REQUIRE(message_of({write_upload(dir.path, "a.png", "image/png", truncated)}).find("fully decodable") !=
          std::string::npos);
  // The first bad file decides, in order.
  REQUIRE(message_of({write_upload(dir.path, "a.png", "image/png", png),
                      write_upload(dir.path, "b.png", "image/png", {})}) == "Uploaded image is empty.");
}

TEST_CASE("gallery filenames must stay inside the images dir") {
  REQUIRE(safe_gallery_filename("0f0e.png"));
  REQUIRE_FALSE(safe_gallery_filename(""));
  REQUIRE_FALSE(safe_gallery_filename("../x.png"));
  REQUIRE_FALSE(safe_gallery_filename("a/b.png"));
  REQUIRE_FALSE(safe_gallery_filename("a\\b.png"));
  REQUIRE_FALSE(safe_gallery_filename(".hidden.png"));
  REQUIRE_FALSE(safe_gallery_filename(std::string("a\0b.png", 7)));
}

TEST_CASE("a gallery image is copied into staging") {
  temp_dir images;
  temp_dir staging;
  auto const png = tiny_png();
  {
    std::ofstream out(images.path / "g.png", std::ios::binary);
    out.write(reinterpret_cast<char const*>(png.data()), static_cast<std::streamsize>(png.size()));
  }
  std::ofstream(images.path / "empty.png").close();
  staged_files owned;
  auto staged = stage_gallery_image(images.path, "g.png", staging.path, 1 << 20, owned);
  REQUIRE(staged);
  REQUIRE(staged->filename == "g.png");
  REQUIRE(staged->bytes == png.size());
  REQUIRE(staged->path.parent_path() == staging.path);
  REQUIRE(std::filesystem::exists(staged->path));
  REQUIRE(std::filesystem::exists(images.path / "g.png")); // the original stays
  REQUIRE(validate_staged({*staged}, {}));

  auto missing = stage_gallery_image(images.path, "nope.png", staging.path, 1 << 20, owned);
  REQUIRE(missing.error().code == errc::not_found);
  REQUIRE(missing.error().message == "Gallery image file not found");
  REQUIRE(stage_gallery_image(images.path, "../g.png", staging.path, 1 << 20, owned).error().message ==
          "Gallery image file not found");
  REQUIRE(stage_gallery_image(images.path, "empty.png", staging.path, 1 << 20, owned).error().message ==
          "Gallery image is empty");
  REQUIRE(stage_gallery_image(images.path, "g.png", staging.path, 10, owned).error().message ==
          "Gallery image is too large. Max size is 0 MB.");

  owned.remove_all();
  REQUIRE_FALSE(std::filesystem::exists(staged->path));
}
