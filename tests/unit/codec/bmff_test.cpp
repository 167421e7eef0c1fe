#include <catch2/catch.hpp>

#include <string>
#include <tuple>

#include "codec/bmff.hpp"
#include "fixtures.hpp"

using panel::codec::detail::bmff_largest_ispe;

TEST_CASE("ispe sizes are read from real AVIF and HEIF files", "[codec][bmff]") {
  const auto img = fixtures::pattern(40, 30);
  for (const auto& file : {fixtures::avif(img), fixtures::heif(img)}) {
    const auto ispe = bmff_largest_ispe(file);
    REQUIRE(ispe);
    CHECK(ispe->first >= 40);
    CHECK(ispe->second >= 30);
    CHECK(ispe->first <= 64); // x265 codes whole 64-pixel blocks; libheif declares both sizes
    // Every truncation parses safely; none may claim more than the truth.
    for (std::size_t n = 0; n < file.size(); n += 7) {
      const std::vector<std::uint8_t> cut(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(n));
      const auto partial = bmff_largest_ispe(cut);
      if (partial) {
        CHECK(std::uint64_t{partial->first} * partial->second <= std::uint64_t{ispe->first} * ispe->second);
      }
    }
  }
}

TEST_CASE("malformed boxes are refused without reading past them", "[codec][bmff]") {
  const auto box = [](std::string_view type, std::vector<std::uint8_t> body, std::uint32_t size_override = 0) {
    const std::uint32_t size = size_override != 0 ? size_override : static_cast<std::uint32_t>(body.size() + 8);
    std::vector<std::uint8_t> b = {std::uint8_t(size >> 24), std::uint8_t(size >> 16), std::uint8_t(size >> 8),
                                   std::uint8_t(size)};
    b.insert(b.end(), type.begin(), type.end());
    b.insert(b.end(), body.begin(), body.end());
    return b;
  };
  const auto ispe = box("ispe", {0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0, 0x20, 0});
  const auto ipco = box("ipco", ispe);
  const auto iprp = box("iprp", ipco);
  std::vector<std::uint8_t> meta_body = {0, 0, 0, 0};
  meta_body.insert(meta_body.end(), iprp.begin(), iprp.end());
  const auto good = box("meta", meta_body);
  const auto found = bmff_largest_ispe(good);
  REQUIRE(found);
  CHECK(found->first == 0x1000);
  CHECK(found->second == 0x2000);

  CHECK_FALSE(bmff_largest_ispe(box("meta", meta_body, 0xFFFFFFF0)));         // larger than the file
  CHECK_FALSE(bmff_largest_ispe(box("meta", meta_body, 3)));                  // smaller than its header
  CHECK_FALSE(bmff_largest_ispe(box("meta", {1, 2, 3})));                     // no children
  CHECK_FALSE(bmff_largest_ispe(std::vector<std::uint8_t>{0, 0, 0, 1, 'm', 'e', 't', 'a', 0, 0})); // short largesize
  CHECK(bmff_largest_ispe(box("meta", meta_body, 0)));                        // size 0: to the end
}

namespace {

std::vector<std::uint8_t> be_box(std::string_view type, const std::vector<std::uint8_t>& body) {
  const auto size = static_cast<std::uint32_t>(body.size() + 8);
  std::vector<std::uint8_t> b = {std::uint8_t(size >> 24), std::uint8_t(size >> 16), std::uint8_t(size >> 8),
                                 std::uint8_t(size)};
  b.insert(b.end(), type.begin(), type.end());
  b.insert(b.end(), body.begin(), body.end());
  return b;
}

// A meta box whose iref holds 16-bit references: {type, from, {to...}}.
std::vector<std::uint8_t> meta_with_refs(const std::vector<std::tuple<std::string, int, std::vector<int>>>& refs) {
  std::vector<std::uint8_t> iref_body = {0, 0, 0, 0};
  for (const auto& [type, from, tos] : refs) {
    std::vector<std::uint8_t> body = {std::uint8_t(from >> 8), std::uint8_t(from), 0, std::uint8_t(tos.size())};
    for (const int to : tos) {
      body.push_back(std::uint8_t(to >> 8));
      body.push_back(std::uint8_t(to));
    }
    const auto ref = be_box(type, body);
    iref_body.insert(iref_body.end(), ref.begin(), ref.end());
  }
  std::vector<std::uint8_t> meta_body = {0, 0, 0, 0};
  const auto iref = be_box("iref", iref_body);
  meta_body.insert(meta_body.end(), iref.begin(), iref.end());
  return be_box("meta", meta_body);
}

} // namespace

TEST_CASE("item reference cycles and deep chains are detected", "[codec][bmff]") {
  using panel::codec::detail::bmff_references_unsafe;
  CHECK_FALSE(bmff_references_unsafe(meta_with_refs({{"dimg", 1, {2, 3, 4, 5}}, {"auxl", 6, {1}}, {"thmb", 7, {1}}})));
  CHECK(bmff_references_unsafe(meta_with_refs({{"dimg", 2, {2}}})));                        // a grid of itself
  CHECK(bmff_references_unsafe(meta_with_refs({{"dimg", 1, {2}}, {"dimg", 2, {1}}})));      // two grids of each other
  CHECK(bmff_references_unsafe(meta_with_refs({{"auxl", 1, {2}}, {"auxl", 2, {1}}})));      // alphas of each other
  CHECK_FALSE(bmff_references_unsafe(meta_with_refs({{"thmb", 1, {1}}})));                  // not followed when decoding
  std::vector<std::tuple<std::string, int, std::vector<int>>> chain;
  for (int i = 1; i <= 12; ++i) {
    chain.emplace_back("dimg", i, std::vector<int>{i + 1});
  }
  CHECK(bmff_references_unsafe(meta_with_refs(chain)));
  CHECK_FALSE(bmff_references_unsafe(fixtures::heif(fixtures::pattern(40, 30))));
}

TEST_CASE("item types are read from iinf", "[codec][bmff]") {
  using panel::codec::detail::bmff_has_item_type;
  const auto avif = fixtures::avif(fixtures::pattern(40, 30));
  const auto heif = fixtures::heif(fixtures::pattern(40, 30));
  CHECK(bmff_has_item_type(avif, "av01"));
  CHECK_FALSE(bmff_has_item_type(avif, "hvc1"));
  CHECK(bmff_has_item_type(heif, "hvc1"));
  CHECK_FALSE(bmff_has_item_type(heif, "av01"));
  for (std::size_t n = 0; n < heif.size(); n += 5) {
    const std::vector<std::uint8_t> cut(heif.begin(), heif.begin() + static_cast<std::ptrdiff_t>(n));
    (void)bmff_has_item_type(cut, "hvc1"); // must not read past the cut
  }
}
