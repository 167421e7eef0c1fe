#include "core/secrets.hpp"

#include <cstdlib>
#include <string>

#include <catch2/catch.hpp>

using panel::errc;
using panel::core::env_ref_name;
using panel::core::export_dotenv;
using panel::core::is_env_ref;
using panel::core::normalise_api_url;
using panel::core::normalise_socks5_url;
using panel::core::normalise_webhook_url;
using panel::core::resolve_secret;

namespace {

template <class Result>
std::string error_of(Result const& r) {
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == errc::validation);
  return r.error().message;
}

} // namespace

TEST_CASE("env references", "[core][secrets]") {
  CHECK(is_env_ref("${OPENAI_API_KEY}"));
  CHECK(is_env_ref("  ${_x1}  "));
  CHECK(env_ref_name(" ${A_B9} ") == std::optional<std::string>{"A_B9"});
  CHECK_FALSE(is_env_ref("${}"));
  CHECK_FALSE(is_env_ref("${1ABC}"));
  CHECK_FALSE(is_env_ref("${A-B}"));
  CHECK_FALSE(is_env_ref("$A"));
  CHECK_FALSE(is_env_ref("x${A}"));
  CHECK_FALSE(is_env_ref("${A}x"));
  CHECK_FALSE(is_env_ref("${A B}"));
  CHECK_FALSE(is_env_ref("sk-literal"));
  CHECK_FALSE(env_ref_name("").has_value());
}

TEST_CASE("resolve_secret reads the environment at use time", "[core][secrets]") {
  ::unsetenv("PANEL_TEST_SECRET_A");
  auto missing = resolve_secret("${PANEL_TEST_SECRET_A}");
  CHECK(missing.missing);
  CHECK(missing.value.empty());
  CHECK(missing.env_var == "PANEL_TEST_SECRET_A");

  ::setenv("PANEL_TEST_SECRET_A", "  top-secret \n", 1);
  auto found = resolve_secret(" ${PANEL_TEST_SECRET_A} ");
  CHECK_FALSE(found.missing);
  CHECK(found.value == "top-secret");
  CHECK(found.env_var == "PANEL_TEST_SECRET_A");

  ::setenv("PANEL_TEST_SECRET_A", "   ", 1);
  CHECK(resolve_secret("${PANEL_TEST_SECRET_A}").missing);
  ::unsetenv("PANEL_TEST_SECRET_A");

  auto literal = resolve_secret("  sk-literal ");
  CHECK_FALSE(literal.missing);
  CHECK(literal.value == "sk-literal");
  CHECK(literal.env_var.empty());
  auto empty = resolve_secret("");
  CHECK_FALSE(empty.missing);
  CHECK(empty.value.empty());
}

TEST_CASE("export_dotenv does not override the real environment", "[core][secrets]") {
  ::unsetenv("PANEL_TEST_DOTENV_NEW");
  ::setenv("PANEL_TEST_DOTENV_OLD", "from-env", 1);
  export_dotenv({{"PANEL_TEST_DOTENV_NEW", "from-dotenv"}, {"PANEL_TEST_DOTENV_OLD", "from-dotenv"}});
  CHECK(resolve_secret("${PANEL_TEST_DOTENV_NEW}").value == "from-dotenv");
  CHECK(resolve_secret("${PANEL_TEST_DOTENV_OLD}").value == "from-env");
  ::unsetenv("PANEL_TEST_DOTENV_NEW");
  ::unsetenv("PANEL_TEST_DOTENV_OLD");
}

TEST_CASE("normalise_api_url", "[core][secrets]") {
  CHECK(normalise_api_url("  https://API.Example.com/v1/  ").value() == "https://api.example.com/v1");
  CHECK(normalise_api_url("https://api.example.com:8443").value() == "https://api.example.com:8443");
  CHECK(normalise_api_url("https://api.example.com/").value() == "https://api.example.com");
  CHECK(normalise_api_url("HTTPS://h.example/a/b//").value() == "https://h.example/a/b");

  CHECK(error_of(normalise_api_url("")) == "API URL must not be empty");
  CHECK(error_of(normalise_api_url("   ")) == "API URL must not be empty");
  CHECK(error_of(normalise_api_url("https://api.example.com:99999")) == "API URL must include a valid port");
  CHECK(error_of(normalise_api_url("http://api.example.com:0")) == "API URL must include a valid port");
  CHECK(error_of(normalise_api_url("http://api.example.com")) == "API URL must use https://");
  CHECK(error_of(normalise_api_url("api.example.com")) == "API URL must use https://");
  CHECK(error_of(normalise_api_url("https://")) == "API URL must include a hostname");
  CHECK(error_of(normalise_api_url("https:///v1")) == "API URL must include a hostname");
  CHECK(error_of(normalise_api_url("https://user:pw@api.example.com")) ==
        "API URL must not include username or password");
  CHECK(error_of(normalise_api_url("https://api.example.com/v1?x=1")) ==
        "API URL must not include query strings or fragments");
  CHECK(error_of(normalise_api_url("https://api.example.com/v1#top")) ==
        "API URL must not include query strings or fragments");
}

TEST_CASE("normalise_webhook_url", "[core][secrets]") {
  CHECK(normalise_webhook_url(" https://Hooks.Example.com/T/abc?token=1#f ").value() ==
        "https://hooks.example.com/T/abc?token=1#f");
  CHECK(error_of(normalise_webhook_url("http://hooks.example.com/x")) == "Webhook URL must use https://");
  CHECK(error_of(normalise_webhook_url("")) == "Webhook URL must use https://");
  CHECK(error_of(normalise_webhook_url("https://")) == "Webhook URL must include a hostname");
  CHECK(error_of(normalise_webhook_url("https:///path")) == "Webhook URL must include a hostname");
}

TEST_CASE("normalise_socks5_url", "[core][secrets]") {
  CHECK(normalise_socks5_url(" socks5://user:pass@Proxy.Example:1080 ").value() ==
        "socks5://user:pass@proxy.example:1080");
  CHECK(normalise_socks5_url("SOCKS5://10.0.0.2:9050/").value() == "socks5://10.0.0.2:9050");
  CHECK(error_of(normalise_socks5_url("http://proxy:1080")) == "SOCKS5 proxy URL must use socks5://");
  CHECK(error_of(normalise_socks5_url("socks5h://proxy:1080")) == "SOCKS5 proxy URL must use socks5://");
  CHECK(error_of(normalise_socks5_url("socks5://")) == "SOCKS5 proxy URL must include a hostname");
  CHECK(error_of(normalise_socks5_url("socks5://proxy:99999")) == "SOCKS5 proxy URL must include a valid port");
  CHECK(error_of(normalise_socks5_url("socks5://proxy")) == "SOCKS5 proxy URL must include a port");
  CHECK(error_of(normalise_socks5_url("socks5://proxy:1080?x=1")) ==
        "SOCKS5 proxy URL must not include query strings or fragments");
  CHECK(error_of(normalise_socks5_url("socks5://proxy:1080#f")) ==
        "SOCKS5 proxy URL must not include query strings or fragments");
  CHECK(error_of(normalise_socks5_url("socks5://proxy:1080/path")) == "SOCKS5 proxy URL must not include a path");
}
