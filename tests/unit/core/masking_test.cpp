#include "core/masking.hpp"

#include <string>

#include <catch2/catch.hpp>

#include "core/json_writer.hpp"

using panel::core::mask_credential;
using panel::core::mask_socks5_proxy;
using panel::core::mask_webhook_url;
using panel::core::masked_secret;
using panel::core::secret_source;

TEST_CASE("credentials: empty, env reference, literal", "[core][masking]") {
  CHECK(mask_credential("") == masked_secret{"***", false, secret_source::empty, ""});
  CHECK(mask_credential("   ") == masked_secret{"***", false, secret_source::empty, ""});
  CHECK(mask_credential("${OPENAI_API_KEY}") ==
        masked_secret{"${OPENAI_API_KEY}", true, secret_source::env, "OPENAI_API_KEY"});
  CHECK(mask_credential(" ${R2_ACCESS_KEY_ID} ") ==
        masked_secret{"${R2_ACCESS_KEY_ID}", true, secret_source::env, "R2_ACCESS_KEY_ID"});
  CHECK(mask_credential("sk-abcdefghijklmnop") == masked_secret{"sk-a***mnop", true, secret_source::stored, ""});
  CHECK(mask_credential("plain-secret") == masked_secret{"plai***cret", true, secret_source::stored, ""});
}

TEST_CASE("credentials: short literals show nothing", "[core][masking]") {
  CHECK(mask_credential("12345678").masked == "***");
  CHECK(mask_credential("x").masked == "***");
  CHECK(mask_credential("123456789").masked == "1234***6789");
  CHECK(mask_credential("12345678").source == secret_source::stored);
}

TEST_CASE("credentials: UTF-8 is counted in code points and never cut", "[core][masking]") {
  // 9 code points, 18 bytes: long enough to show 4 + 4.
  CHECK(mask_credential("ééééxéééé").masked == "éééé***éééé");
  // 8 code points but 16 bytes: still short.
  CHECK(mask_credential("éééééééé").masked == "***");
}

TEST_CASE("credentials: malformed references are literals", "[core][masking]") {
  auto const m = mask_credential("${NOT-A-NAME}");
  CHECK(m.source == secret_source::stored);
  CHECK(m.env_var.empty());
  CHECK(m.masked == "${NO***AME}");
}

TEST_CASE("SOCKS5 proxy masking", "[core][masking]") {
  CHECK(mask_socks5_proxy("") == "");
  CHECK(mask_socks5_proxy("${TEST_UPSTREAM_PROXY_URL}") == "${TEST_UPSTREAM_PROXY_URL}");
  CHECK(mask_socks5_proxy("socks5://user:secret@127.0.0.1:1080") == "socks5://user:***@127.0.0.1:1080");
  CHECK(mask_socks5_proxy("socks5://proxy.example.com:1080") == "socks5://proxy.example.com:1080");
  CHECK(mask_socks5_proxy("socks5://token@proxy.example.com:1080") == "socks5://***@proxy.example.com:1080");
  CHECK(mask_socks5_proxy("socks5://u:p@[::1]:1080") == "socks5://u:***@[::1]:1080");
  CHECK(mask_socks5_proxy("not a url") == "***");
  CHECK(mask_socks5_proxy("socks5://u:secret@") == "***");
}

TEST_CASE("webhook URL masking", "[core][masking]") {
  CHECK(mask_webhook_url("") == "");
  CHECK(mask_webhook_url("${TEST_WEBHOOK_URL}") == "${TEST_WEBHOOK_URL}");
  CHECK(mask_webhook_url("https://hooks.example.com/services/top-secret?token=hidden") ==
        "https://hooks.example.com/***?***");
  CHECK(mask_webhook_url("https://hooks.example.com") == "https://hooks.example.com");
  CHECK(mask_webhook_url("https://hooks.example.com/") == "https://hooks.example.com");
  CHECK(mask_webhook_url("https://user:pw@hooks.example.com:8443/a#frag") ==
        "https://***@hooks.example.com:8443/***#***");
  CHECK(mask_webhook_url("https://hooks.example.com?x=1") == "https://hooks.example.com?***");
  CHECK(mask_webhook_url("::::") == "***");
}

TEST_CASE("masked credential JSON keys", "[core][masking]") {
  panel::core::json_writer w;
  w.begin_object();
  panel::core::write_masked_credential(w, "api_key", mask_credential("${K}"));
  panel::core::write_masked_credential(w, "access_key_id", mask_credential(""));
  w.end_object();
  CHECK(w.str() == R"({"api_key_masked":"${K}","has_api_key":true,"api_key_source":"env","api_key_env_var":"K",)"
                   R"("access_key_id_masked":"***","has_access_key_id":false,"access_key_id_source":"empty",)"
                   R"("access_key_id_env_var":null})");
}
