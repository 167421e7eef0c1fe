#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/crypto.hpp"
#include "http/form_upload.hpp"
#include "http/multipart.hpp"

using namespace panel;
using namespace panel::http;

namespace {

// Records every callback as text, e.g. "begin:a|data:xy|end".
struct recorder : multipart_handler {
  std::vector<multipart_part> parts;
  std::vector<std::string> bodies;
  int ended = 0;
  expected<void> on_part_begin(multipart_part const& p) override {
    parts.push_back(p);
    bodies.emplace_back();
    return {};
  }
  expected<void> on_part_data(std::string_view d) override {
    bodies.back().append(d);
    return {};
  }
  expected<void> on_part_end() override {
    ++ended;
    return {};
  }
};

const std::string boundary = "----WebKitFormBoundaryX7y";

// The PNG signature, then CRLF "--": 12 bytes (ASan caught an earlier length of
// 14, which read past the literal).
const std::string png_then_dashes("\x89PNG\r\n\x1a\n\r\n--", 12);

std::string sample_body() {
  return "--" + boundary + "\r\n" +
         "Content-Disposition: form-data; name=\"prompt\"\r\n\r\n" +
         "a cat\r\nwith a hat\r\n" + // CRLF inside a value
         "--" + boundary + "\r\n" +
         "Content-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n" +
         "Content-Type: image/png\r\n\r\n" +
         png_then_dashes + "-" + boundary.substr(0, 10) + // a near-delimiter
         "\r\n--" + boundary + "--\r\nepilogue";
}

void check_sample(recorder const& r) {
  REQUIRE(r.parts.size() == 2);
  REQUIRE(r.ended == 2);
  REQUIRE(r.parts[0].name == "prompt");
  REQUIRE_FALSE(r.parts[0].filename.has_value());
  REQUIRE(r.bodies[0] == "a cat\r\nwith a hat");
  REQUIRE(r.parts[1].name == "image");
  REQUIRE(r.parts[1].filename == std::optional<std::string>("a.png"));
  REQUIRE(r.parts[1].content_type == "image/png");
  REQUIRE(r.bodies[1] == png_then_dashes + "-" + boundary.substr(0, 10));
}

struct temp_dir {
  std::filesystem::path path = std::filesystem::temp_directory_path() / ("mp-test-" + core::random_hex32());
  temp_dir() { std::filesystem::create_directories(path); }
  ~temp_dir() { std::filesystem::remove_all(path); }
  [[nodiscard]] std::size_t count() const {
    return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(path), {}));
  }
};

std::string slurp(std::filesystem::path const& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string ct() {
  return "multipart/form-data; boundary=" + boundary;
}

} // namespace

TEST_CASE("multipart boundary from the content type") {
  REQUIRE(multipart_boundary("multipart/form-data; boundary=abc") == std::optional<std::string>("abc"));
  REQUIRE(multipart_boundary("Multipart/Form-Data;boundary=\"a b;c\"") == std::optional<std::string>("a b;c"));
  REQUIRE(multipart_boundary("multipart/form-data; charset=utf-8; BOUNDARY=x") == std::optional<std::string>("x"));
  REQUIRE_FALSE(multipart_boundary("multipart/form-data").has_value());
  REQUIRE_FALSE(multipart_boundary("multipart/form-data; boundary=").has_value());
  REQUIRE_FALSE(multipart_boundary("application/json; boundary=x").has_value());
  REQUIRE_FALSE(multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'a')).has_value());
}

TEST_CASE("multipart parses a body fed at once") {
  recorder r;
  multipart_parser p(boundary, r);
  REQUIRE(p.feed(sample_body()));
  REQUIRE(p.finish());
  REQUIRE(p.done());
  check_sample(r);
}

TEST_CASE("multipart survives a split at every byte position") {
  auto const body = sample_body();
  for (std::size_t cut = 0; cut <= body.size(); ++cut) {
    recorder r;
    multipart_parser p(boundary, r);
    REQUIRE(p.feed(std::string_view(body).substr(0, cut)));
    REQUIRE(p.feed(std::string_view(body).substr(cut)));
    REQUIRE(p.finish());
    check_sample(r);
  }
}

TEST_CASE("multipart survives one byte at a time and three-way splits") {
  auto const body = sample_body();
  {
    recorder r;
    multipart_parser p(boundary, r);
    for (char c : body) {
      REQUIRE(p.feed(std::string_view(&c, 1)));
    }
    REQUIRE(p.finish());
    check_sample(r);
  }
  for (std::size_t a = 0; a < body.size(); a += 7) {
    for (std::size_t b = a; b < body.size(); b += 5) {
      recorder r;
      multipart_parser p(boundary, r);
      REQUIRE(p.feed(std::string_view(body).substr(0, a)));
      REQUIRE(p.feed(std::string_view(body).substr(a, b - a)));
      REQUIRE(p.feed(std::string_view(body).substr(b)));
      REQUIRE(p.finish());
      check_sample(r);
    }
  }
}

TEST_CASE("multipart CRLF edge cases") {
  SECTION("preamble before the first delimiter is ignored") {
    recorder r;
    multipart_parser p("b", r);
    REQUIRE(p.feed("This is a preamble\r\n--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n--b--"));
    REQUIRE(p.finish());
    REQUIRE(r.bodies == std::vector<std::string>{"1"});
  }
  SECTION("empty value and a value that is only CRLF") {
    recorder r;
    multipart_parser p("b", r);
    REQUIRE(p.feed("--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n\r\n--b\r\n"
                   "Content-Disposition: form-data; name=\"y\"\r\n\r\n\r\n\r\n--b--\r\n"));
    REQUIRE(p.finish());
    REQUIRE(r.bodies == std::vector<std::string>{"", "\r\n"});
  }
  SECTION("transport padding after a delimiter") {
    recorder r;
    multipart_parser p("b", r);
    REQUIRE(p.feed("--b  \t\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nv\r\n--b--"));
    REQUIRE(p.finish());
    REQUIRE(r.bodies == std::vector<std::string>{"v"});
  }
  SECTION("a part without headers is refused") {
    recorder r;
    multipart_parser p("b", r);
    REQUIRE_FALSE(p.feed("--b\r\n\r\nvalue\r\n--b--"));
  }
  SECTION("garbage after a delimiter is refused") {
    recorder r;
    multipart_parser p("b", r);
    auto res = p.feed("--bX\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nv\r\n--b--");
    REQUIRE_FALSE(res);
    REQUIRE(res.error().code == errc::bad_request);
    REQUIRE_FALSE(p.feed("more")); // stays failed
  }
  SECTION("bare LF line endings are not delimiters") {
    recorder r;
    multipart_parser p("b", r);
    REQUIRE(p.feed("--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nv\n--b\r\n--b--"));
    REQUIRE(p.finish());
    REQUIRE(r.bodies == std::vector<std::string>{"v\n--b"});
  }
  SECTION("header parameters: quotes, escapes, filename*, case") {
    recorder r;
    multipart_parser p("b", r);
    REQUIRE(p.feed("--b\r\ncontent-disposition: Form-Data; NAME=\"im;age\"; filename=\"a\\\"b.png\"\r\n"
                   "CONTENT-TYPE: image/png\r\n\r\nx\r\n--b\r\n"
                   "Content-Disposition: form-data; name=image; filename=\"x.png\"; filename*=UTF-8''%E7%8C%AB.png\r\n\r\n"
                   "y\r\n--b--"));
    REQUIRE(p.finish());
    REQUIRE(r.parts[0].name == "im;age");
    REQUIRE(r.parts[0].filename == std::optional<std::string>("a\"b.png"));
    REQUIRE(r.parts[0].content_type == "image/png");
    REQUIRE(r.parts[1].name == "image");
    REQUIRE(r.parts[1].filename == std::optional<std::string>("\xE7\x8C\xAB.png"));
  }
}

TEST_CASE("multipart without the closing delimiter fails at finish") {
  for (std::string body : {"", "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nvalue",
                           "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nvalue\r\n--b",
                           "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nvalue\r\n--b\r\n",
                           "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n"}) {
    recorder r;
    multipart_parser p("b", r);
    REQUIRE(p.feed(body));
    auto res = p.finish();
    REQUIRE_FALSE(res);
    REQUIRE(res.error().code == errc::bad_request);
  }
}

TEST_CASE("multipart refuses huge part headers") {
  recorder r;
  multipart_parser p("b", r, 1024);
  REQUIRE(p.feed("--b\r\nContent-Disposition: form-data; name=\"x\"\r\nX-Pad: "));
  std::string pad(200, 'a');
  expected<void> res;
  for (int i = 0; i < 10 && res; ++i) {
    res = p.feed(pad);
  }
  REQUIRE_FALSE(res);
  REQUIRE(res.error().message.find("too large") != std::string::npos);
  REQUIRE(r.parts.empty());
}

TEST_CASE("multipart keeps only a delimiter-sized tail of a large part") {
  struct counter : multipart_handler {
    std::size_t bytes = 0;
    std::size_t largest = 0;
    expected<void> on_part_begin(multipart_part const&) override { return {}; }
    expected<void> on_part_data(std::string_view d) override {
      bytes += d.size();
      largest = std::max(largest, d.size());
      return {};
    }
    expected<void> on_part_end() override { return {}; }
  } c;
  multipart_parser p("b", c);
  REQUIRE(p.feed("--b\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n\r\n"));
  std::string chunk(64 * 1024, 'z');
  for (int i = 0; i < 64; ++i) {
    REQUIRE(p.feed(chunk));
  }
  REQUIRE(p.feed("\r\n--b--\r\n"));
  REQUIRE(p.finish());
  REQUIRE(c.bytes == 64u * 64 * 1024);
  REQUIRE(c.largest <= chunk.size() + 8);
}

TEST_CASE("form_upload streams files to disk and keeps text fields") {
  temp_dir dir;
  auto const body = sample_body();
  std::filesystem::path staged;
  {
    form_upload form(ct(), dir.path);
    // Fed in small pieces, as the session does.
    for (std::size_t i = 0; i < body.size(); i += 3) {
      REQUIRE(form.write(std::string_view(body).substr(i, 3)));
    }
    REQUIRE(form.finish());
    REQUIRE_FALSE(form.failure().has_value());
    REQUIRE(form.fields().size() == 1);
    REQUIRE(form.fields()[0] == std::pair<std::string, std::string>{"prompt", "a cat\r\nwith a hat"});
    REQUIRE(form.files().size() == 1);
    auto const& f = form.files()[0];
    REQUIRE(f.field == "image");
    REQUIRE(f.filename == "a.png");
    REQUIRE(f.content_type == "image/png");
    REQUIRE(f.path.parent_path() == dir.path);
    REQUIRE(f.path.filename().string().starts_with("edit-source-"));
    REQUIRE(f.path.extension() == ".png");
    REQUIRE(f.bytes == png_then_dashes.size() + 1 + 10);
    REQUIRE(slurp(f.path) == png_then_dashes + "-" + boundary.substr(0, 10));
    staged = f.path;
    REQUIRE(std::filesystem::exists(staged));
  }
  // Nobody took the files: the form removed them.
  REQUIRE_FALSE(std::filesystem::exists(staged));
  REQUIRE(dir.count() == 0);
}

TEST_CASE("form_upload hands its files over") {
  temp_dir dir;
  staged_files owned;
  std::filesystem::path staged;
  {
    form_upload form(ct(), dir.path);
    REQUIRE(form.write(sample_body()));
    REQUIRE(form.finish());
    staged = form.files()[0].path;
    owned = form.take_files();
  }
  REQUIRE(std::filesystem::exists(staged));
  owned.release();
  { staged_files gone = std::move(owned); }
  REQUIRE(std::filesystem::exists(staged));
  std::filesystem::remove(staged);
}

TEST_CASE("form_upload limits") {
  temp_dir dir;
  auto part = [](std::string const& name, std::string const& value) {
    return "--b\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
  };
  SECTION("a text field over 64 KiB is 413") {
    form_upload form("multipart/form-data; boundary=b", dir.path);
    auto res = form.write(part("prompt", std::string(64 * 1024 + 1, 'p')) + "--b--");
    REQUIRE_FALSE(res);
    REQUIRE(res.error().code == errc::too_large);
    REQUIRE(res.error().message == "Form field is too large");
    REQUIRE(form.failure().has_value());
  }
  SECTION("a text field of exactly 64 KiB is fine") {
    form_upload form("multipart/form-data; boundary=b", dir.path);
    REQUIRE(form.write(part("prompt", std::string(64 * 1024, 'p')) + "--b--"));
    REQUIRE(form.finish());
  }
  SECTION("more than 16 text fields is 400") {
    form_upload form("multipart/form-data; boundary=b", dir.path);
    std::string body;
    for (int i = 0; i < 17; ++i) {
      body += part("f" + std::to_string(i), "v");
    }
    auto res = form.write(body + "--b--");
    REQUIRE_FALSE(res);
    REQUIRE(res.error().code == errc::bad_request);
    REQUIRE(res.error().message == "Too many form fields");
  }
  SECTION("an unknown file field is 400") {
    form_upload form("multipart/form-data; boundary=b", dir.path);
    auto res = form.write("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\nx\r\n--b--");
    REQUIRE_FALSE(res);
    REQUIRE(res.error().message == "Unexpected upload field: file");
  }
  SECTION("a file past the per-file cap is counted, not stored") {
    form_limits lim;
    lim.max_file_bytes = 100;
    form_upload form("multipart/form-data; boundary=b", dir.path, lim);
    REQUIRE(form.write("--b\r\nContent-Disposition: form-data; name=\"image[]\"; filename=\"big.jpg\"\r\n\r\n" +
                       std::string(1000, 'j') + "\r\n--b--"));
    REQUIRE(form.finish());
    REQUIRE(form.files().size() == 1);
    REQUIRE(form.files()[0].bytes == 1000);
    REQUIRE(std::filesystem::file_size(form.files()[0].path) == 101);
  }
  SECTION("image and image[] mixed keep their order; empty file inputs are skipped; empty uploads kept") {
    form_upload form("multipart/form-data; boundary=b", dir.path);
    REQUIRE(form.write("--b\r\nContent-Disposition: form-data; name=\"image[]\"; filename=\"1.png\"\r\n\r\none\r\n"
                       "--b\r\nContent-Disposition: form-data; name=\"image\"; filename=\"\"\r\n\r\n\r\n"
                       "--b\r\nContent-Disposition: form-data; name=\"image\"; filename=\"2.webp\"\r\n\r\ntwo\r\n"
                       "--b\r\nContent-Disposition: form-data; name=\"image[]\"; filename=\"3.png\"\r\n\r\n\r\n"
                       "--b--"));
    REQUIRE(form.finish());
    REQUIRE(form.files().size() == 3);
    REQUIRE(form.files()[0].filename == "1.png");
    REQUIRE(form.files()[1].filename == "2.webp");
    REQUIRE(form.files()[2].filename == "3.png");
    REQUIRE(form.files()[2].bytes == 0);
    REQUIRE(std::filesystem::exists(form.files()[2].path));
    REQUIRE(dir.count() == 3);
  }
  SECTION("a missing boundary fails every write") {
    form_upload form("multipart/form-data", dir.path);
    REQUIRE(form.failure().has_value());
    REQUIRE_FALSE(form.write("--b--"));
  }
  SECTION("a failure midway removes what was staged") {
    {
      form_upload form("multipart/form-data; boundary=b", dir.path);
      auto res = form.write("--b\r\nContent-Disposition: form-data; name=\"image\"; filename=\"1.png\"\r\n\r\none\r\n"
                            "--b\r\nContent-Disposition: form-data; name=\"other\"; filename=\"2.png\"\r\n\r\nx\r\n--b--");
      REQUIRE_FALSE(res);
      REQUIRE(dir.count() == 1);
    }
    REQUIRE(dir.count() == 0);
  }
}
