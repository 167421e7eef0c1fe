#include <catch2/catch.hpp>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>

#include <png.h>

#include "actors/codec_pool.hpp"
#include "codec/validate.hpp"

using namespace panel;
using namespace panel::actors;

namespace {

// A small RGB PNG made with libpng's simplified API.
codec::shared_bytes make_png(std::uint32_t w, std::uint32_t h) {
  std::vector<std::uint8_t> px(std::size_t{w} * h * 3);
  for (std::size_t i = 0; i < px.size(); ++i) {
    px[i] = static_cast<std::uint8_t>(i * 7);
  }
  png_image img{};
  img.version = PNG_IMAGE_VERSION;
  img.width = w;
  img.height = h;
  img.format = PNG_FORMAT_RGB;
  png_alloc_size_t size = 0;
  png_image_write_to_memory(&img, nullptr, &size, 0, px.data(), 0, nullptr);
  std::vector<std::uint8_t> out(size);
  png_image_write_to_memory(&img, out.data(), &size, 0, px.data(), 0, nullptr);
  out.resize(size);
  return codec::share(std::move(out));
}

struct fixture {
  caf::actor_system_config cfg;
  caf::actor_system sys;
  fixture() : sys(cfg.set("scheduler.max-threads", 2)) {}
};

} // namespace

TEST_CASE_METHOD(fixture, "the codec pool validates, thumbnails and transcodes", "[actors][codec_pool]") {
  const auto pool = spawn_codec_pool(sys, 2);
  caf::scoped_actor self{sys};
  const auto png = make_png(300, 200);

  self->request(pool, caf::infinite, validate_atom::value, validate_request{shared_blob{png}})
      .receive(
          [&](const validate_reply& r) {
            CHECK(r.format == codec::image_format::png);
            CHECK(r.width == 300);
            CHECK(r.height == 200);
            CHECK(r.bytes == png->size());
          },
          [&](const caf::error& e) { FAIL(sys.render(e)); });

  thumb_request t{shared_blob{png}};
  t.max_side = 60;
  self->request(pool, caf::infinite, thumb_atom::value, t)
      .receive(
          [&](const thumb_reply& r) {
            CHECK(r.width == 60);
            CHECK(r.height == 40);
            REQUIRE(r.webp.data);
            const auto info = codec::validate(*r.webp.data);
            REQUIRE(info);
            CHECK(info->format == codec::image_format::webp);
            CHECK(info->width == 60);
          },
          [&](const caf::error& e) { FAIL(sys.render(e)); });

  self->request(pool, caf::infinite, transcode_atom::value, transcode_request{shared_blob{png}})
      .receive(
          [&](const transcode_reply& r) {
            CHECK_FALSE(r.transcoded);
            CHECK(r.bytes.data == png); // the very same buffer came back
          },
          [&](const caf::error& e) { FAIL(sys.render(e)); });
}

TEST_CASE_METHOD(fixture, "codec errors arrive as panel caf::errors", "[actors][codec_pool]") {
  const auto pool = spawn_codec_pool(sys, 1);
  caf::scoped_actor self{sys};
  const std::string svg = "<svg xmlns='http://www.w3.org/2000/svg'/>";
  const auto bytes = codec::share(std::vector<std::uint8_t>(svg.begin(), svg.end()));
  self->request(pool, caf::infinite, validate_atom::value, validate_request{shared_blob{bytes}})
      .receive([&](const validate_reply&) { FAIL("an SVG validated"); },
               [&](const caf::error& e) {
                 CHECK(e.category() == caf::atom("panel"));
                 CHECK(e.code() == static_cast<std::uint8_t>(errc::bad_request));
                 REQUIRE(e.context().match_elements<std::string>());
                 CHECK(e.context().get_as<std::string>(0) == "Image data must be a supported raster image format");
               });
  validate_request limited{shared_blob{make_png(100, 100)}};
  limited.max_pixels = 9999;
  self->request(pool, caf::infinite, validate_atom::value, limited)
      .receive([&](const validate_reply&) { FAIL("pixel limit ignored"); },
               [&](const caf::error& e) { CHECK(e.code() == static_cast<std::uint8_t>(errc::bad_request)); });
  self->request(pool, caf::infinite, thumb_atom::value, thumb_request{})
      .receive([&](const thumb_reply&) { FAIL("no bytes, yet a thumbnail"); },
               [&](const caf::error& e) { CHECK(e.category() == caf::atom("panel")); });
}

TEST_CASE_METHOD(fixture, "concurrent requests spread over every worker", "[actors][codec_pool]") {
  const std::size_t workers = 3;
  const auto pool = spawn_codec_pool(sys, workers);
  caf::scoped_actor self{sys};
  const auto png = make_png(400, 400);
  const int n = 12;
  for (int i = 0; i < n; ++i) {
    thumb_request t{shared_blob{png}};
    t.max_side = 32 + i;
    self->send(pool, thumb_atom::value, t);
  }
  int answered = 0;
  std::vector<std::uint32_t> sizes;
  self->receive_for(answered, n)([&](const thumb_reply& r) { sizes.push_back(r.width); });
  std::sort(sizes.begin(), sizes.end());
  for (int i = 0; i < n; ++i) {
    CHECK(sizes[i] == static_cast<std::uint32_t>(32 + i));
  }
  self->request(pool, caf::infinite, pool_stat_atom::value)
      .receive(
          [&](const codec_pool_stats& s) {
            CHECK(s.workers == workers);
            CHECK(s.in_flight == 0);
            REQUIRE(s.completed.size() == workers);
            std::uint64_t total = 0;
            for (const auto c : s.completed) {
              CHECK(c >= 1); // all requests were in flight at once, so every worker got some
              total += c;
            }
            CHECK(total == static_cast<std::uint64_t>(n));
          },
          [&](const caf::error& e) { FAIL(sys.render(e)); });
}

TEST_CASE_METHOD(fixture, "stopping the pool stops its workers", "[actors][codec_pool]") {
  auto pool = spawn_codec_pool(sys, 2);
  caf::scoped_actor self{sys};
  self->monitor(pool);
  self->send_exit(pool, caf::exit_reason::user_shutdown);
  self->receive([&](const caf::down_msg& d) { CHECK(d.reason == caf::exit_reason::user_shutdown); });
  pool = nullptr;
  // The actor system's destructor waits for every actor, detached workers
  // included: this test would hang at teardown if a worker survived.
}
