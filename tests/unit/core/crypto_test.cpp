#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "core/crypto.hpp"

using namespace std::string_literals;

namespace core = panel::core;

TEST_CASE("sha256 matches FIPS 180-2 vectors", "[core][crypto]") {
  CHECK(core::to_hex(core::sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(core::to_hex(core::sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(core::sha256("abc").size() == 32);
}

TEST_CASE("hmac_sha256 matches RFC 4231 test case 2", "[core][crypto]") {
  auto const mac = core::hmac_sha256("Jefe", "what do ya want for nothing?");
  CHECK(mac.size() == 32);
  CHECK(core::to_hex(mac) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("hmac_sha256 works with an empty key and message", "[core][crypto]") {
  CHECK(core::to_hex(core::hmac_sha256("", "")) == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
  CHECK(core::hmac_sha256("a", "m") != core::hmac_sha256("b", "m"));
}

TEST_CASE("to_hex writes lower-case pairs", "[core][crypto]") {
  CHECK(core::to_hex("") == "");
  CHECK(core::to_hex("\x00\x01\x7f\x80\xab\xff"s) == "00017f80abff");
}

TEST_CASE("base64url_encode uses - and _ and no padding", "[core][crypto]") {
  CHECK(core::base64url_encode("") == "");
  CHECK(core::base64url_encode("f") == "Zg");
  CHECK(core::base64url_encode("fo") == "Zm8");
  CHECK(core::base64url_encode("foo") == "Zm9v");
  CHECK(core::base64url_encode("foob") == "Zm9vYg");
  CHECK(core::base64url_encode("fooba") == "Zm9vYmE");
  CHECK(core::base64url_encode("foobar") == "Zm9vYmFy");
  CHECK(core::base64url_encode("\xfb\xff\xbf"s) == "-_-_");
  CHECK(core::base64_encode("\xfb\xff\xbf"s) == "+/+/");
}

TEST_CASE("base64url round trips lengths 0 to 5 and every byte", "[core][crypto]") {
  std::string all;
  for (int i = 0; i < 256; ++i) {
    all.push_back(static_cast<char>(i));
  }
  for (std::size_t len = 0; len <= 5; ++len) {
    for (std::size_t start = 0; start + len <= all.size(); start += 37) {
      auto const raw = all.substr(start, len);
      auto const text = core::base64url_encode(raw);
      INFO("len " << len << " start " << start << " text " << text);
      CHECK(text.find('=') == std::string::npos);
      CHECK(text.size() == (len * 4 + 2) / 3);
      std::string back = "junk";
      REQUIRE(core::base64url_decode(text, back));
      CHECK(back == raw);
    }
  }
  auto const text = core::base64url_encode(all);
  std::string back;
  REQUIRE(core::base64url_decode(text, back));
  CHECK(back == all);
}

TEST_CASE("base64url_decode accepts padding and rejects bad input", "[core][crypto]") {
  std::string out;
  REQUIRE(core::base64url_decode("Zm8=", out));
  CHECK(out == "fo");
  REQUIRE(core::base64url_decode("Zg==", out));
  CHECK(out == "f");
  REQUIRE(core::base64url_decode("Zg", out));
  CHECK(out == "f");
  REQUIRE(core::base64url_decode("", out));
  CHECK(out.empty());
  for (char const* bad :
       {"Z", "Zm9vY", "Zg=", "Zg===", "Zm8==", "=", "====", "Zm+v", "Zm/v", "Z g", "Zm=v", "Zm9v\n"}) {
    INFO(bad);
    out = "previous";
    CHECK_FALSE(core::base64url_decode(bad, out));
    CHECK(out.empty());
  }
}

TEST_CASE("base64 standard encodes with padding and decodes leniently", "[core][crypto]") {
  CHECK(core::base64_encode("") == "");
  CHECK(core::base64_encode("f") == "Zg==");
  CHECK(core::base64_encode("fo") == "Zm8=");
  CHECK(core::base64_encode("foo") == "Zm9v");
  CHECK(core::base64_encode("foobar") == "Zm9vYmFy");
  std::string out;
  REQUIRE(core::base64_decode("Zm9v\r\nYmE=", out));
  CHECK(out == "fooba");
  REQUIRE(core::base64_decode(" Zm9vYmE ", out));
  CHECK(out == "fooba");
  REQUIRE(core::base64_decode("+/+/", out));
  CHECK(out == "\xfb\xff\xbf"s);
  out = "previous";
  CHECK_FALSE(core::base64_decode("-_-_", out));
  CHECK(out.empty());
  CHECK_FALSE(core::base64_decode("Zm9vY", out));
  CHECK_FALSE(core::base64_decode("Zm=9v", out));
}

TEST_CASE("random_bytes returns the asked size and differs between calls", "[core][crypto]") {
  CHECK(core::random_bytes(0).empty());
  CHECK(core::random_bytes(1).size() == 1);
  auto const a = core::random_bytes(32);
  auto const b = core::random_bytes(32);
  CHECK(a.size() == 32);
  // Two equal 256-bit draws would mean the generator is broken.
  CHECK(a != b);
}

TEST_CASE("uuid4 has the v4 layout", "[core][crypto]") {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    auto const id = core::uuid4();
    INFO(id);
    REQUIRE(id.size() == 36);
    for (std::size_t j = 0; j < id.size(); ++j) {
      if (j == 8 || j == 13 || j == 18 || j == 23) {
        CHECK(id[j] == '-');
      } else {
        CHECK(((id[j] >= '0' && id[j] <= '9') || (id[j] >= 'a' && id[j] <= 'f')));
      }
    }
    CHECK(id[14] == '4');
    CHECK((id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b'));
    seen.insert(id);
  }
  CHECK(seen.size() == 200);
}

TEST_CASE("random_hex32 is 32 lower-case hex chars", "[core][crypto]") {
  auto const id = core::random_hex32();
  REQUIRE(id.size() == 32);
  CHECK(id.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(id != core::random_hex32());
}

TEST_CASE("constant_time_equal compares content and length", "[core][crypto]") {
  CHECK(core::constant_time_equal("", ""));
  CHECK(core::constant_time_equal("secret", "secret"));
  CHECK_FALSE(core::constant_time_equal("secret", "secreT"));
  CHECK_FALSE(core::constant_time_equal("secret", "secret2"));
  CHECK_FALSE(core::constant_time_equal("", "x"));
  CHECK(core::constant_time_equal("a\0b"s, "a\0b"s));
  CHECK_FALSE(core::constant_time_equal("a\0b"s, "a\0c"s));
}
