#include <catch2/catch.hpp>

#include "core/crypto.hpp"
#include "upstream/size_guard.hpp"

using namespace panel::upstream;
using panel::errc;

TEST_CASE("response size guard with both labels") {
  REQUIRE(check_response_size(json_response_label, 100, 100).has_value());
  auto big = check_response_size(json_response_label, 134217729, 134217728);
  REQUIRE_FALSE(big.has_value());
  REQUIRE(big.error().code == errc::upstream);
  REQUIRE(big.error().message == "Upstream JSON response too large: 134217729 bytes (max 134217728)");
  REQUIRE(check_response_size(chat_response_label, 11, 10).error().message ==
          "Upstream chat response too large: 11 bytes (max 10)");
}

TEST_CASE("image size guard") {
  REQUIRE(check_image_size(52428800, 52428800).has_value());
  REQUIRE(check_image_size(52428801, 52428800).error().message == "Image too large: 52428801 bytes (max 52428800)");
}

TEST_CASE("base64 length guard uses ((max + 2) / 3) * 4 + 4") {
  REQUIRE(max_base64_chars(10) == 20);
  REQUIRE(max_base64_chars(9) == 16);
  REQUIRE(check_base64_length(20, 10).has_value());
  REQUIRE(check_base64_length(21, 10).error().message == "Image too large: base64 payload is 21 chars (max 20)");
}

TEST_CASE("decode_base64_image: decodes, then applies both guards") {
  auto ok = decode_base64_image(panel::core::base64_encode("\x89PNG\r\n"), 100);
  REQUIRE(ok.has_value());
  REQUIRE(**ok == std::vector<std::uint8_t>{0x89, 'P', 'N', 'G', '\r', '\n'});

  auto too_long = decode_base64_image(std::string(21, 'A'), 10);
  REQUIRE(too_long.error().message == "Image too large: base64 payload is 21 chars (max 20)");
  // 12 base64 chars pass the text guard for 8 bytes but decode to 9.
  auto too_big = decode_base64_image(panel::core::base64_encode("123456789"), 8);
  REQUIRE(too_big.error().message == "Image too large: 9 bytes (max 8)");
  auto bad = decode_base64_image("!!!not base64!!!", 100);
  REQUIRE(bad.error().message == "Upstream returned invalid base64 image data");
}

TEST_CASE("body_text: charsets") {
  auto utf8 = body_text(json_response_label, "application/json", "{\"a\":\"é\"}");
  REQUIRE(utf8.value() == "{\"a\":\"é\"}");
  auto bad = body_text(json_response_label, "application/json; charset=UTF-8", std::string("\xff\xfe", 2));
  REQUIRE(bad.error().message == "Upstream JSON response is not valid utf-8 text");
  auto latin = body_text(chat_response_label, "text/plain; charset=\"ISO-8859-1\"", std::string("caf\xe9", 4));
  REQUIRE(latin.value() == "café");
  auto ascii = body_text(chat_response_label, "text/plain; charset=us-ascii", "caf\xc3\xa9");
  REQUIRE(ascii.error().message == "Upstream chat response is not valid us-ascii text");
}
