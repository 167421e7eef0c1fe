#include "upstream/optimizer_prompt.hpp"

#include <string>

#include <catch2/catch.hpp>

using panel::errc;
using panel::upstream::default_optimizer_system_prompt;
using panel::upstream::effective_system_prompt;
using panel::upstream::normalise_system_prompt;
using panel::upstream::system_prompt_file_content;

TEST_CASE("the built-in optimizer system prompt covers what §3.4 asks", "[upstream][optimizer]") {
  auto const p = std::string(default_optimizer_system_prompt());
  REQUIRE(p.size() > 1500);
  REQUIRE(p.size() < 3500);
  for (auto const* needle : {"gpt-image-2", "Target language", "zh-CN", "Simplified Chinese", "800 words",
                             "masterpiece", "collage", "code fences", "paragraph"}) {
    INFO(needle);
    REQUIRE(p.find(needle) != std::string::npos);
  }
  // It is already in normal form, so saving it unchanged is a no-op.
  REQUIRE(normalise_system_prompt(p).value() == p);
}

TEST_CASE("system prompts are normalised: CRLF and CR to LF, trimmed", "[upstream][optimizer]") {
  REQUIRE(normalise_system_prompt("  Custom optimizer prompt\n").value() == "Custom optimizer prompt");
  REQUIRE(normalise_system_prompt("\r\n a\r\nb\rc \r\n").value() == "a\nb\nc");
  REQUIRE(normalise_system_prompt("line\r\r\nnext").value() == "line\n\nnext");
}

TEST_CASE("empty and overlong system prompts are refused with the spec's sentences", "[upstream][optimizer]") {
  for (auto const* blank : {"", "   ", "\r\n\t\r"}) {
    auto r = normalise_system_prompt(blank);
    REQUIRE_FALSE(r.has_value());
    REQUIRE(r.error().code == errc::validation);
    REQUIRE(r.error().message == "system_prompt - Prompt optimizer system prompt must not be empty");
  }
  REQUIRE(normalise_system_prompt(std::string(20000, 'x')).has_value());
  REQUIRE(normalise_system_prompt("  " + std::string(20000, 'x') + "\n\n").has_value());
  // 20000 characters of two bytes each are still 20000 characters.
  std::string wide;
  for (int i = 0; i < 20000; ++i) {
    wide += "é";
  }
  REQUIRE(normalise_system_prompt(wide).has_value());
  auto r = normalise_system_prompt(std::string(20001, 'x'));
  REQUIRE_FALSE(r.has_value());
  REQUIRE(r.error().code == errc::validation);
  REQUIRE(r.error().message == "system_prompt - Prompt optimizer system prompt must be at most 20000 characters");
}

TEST_CASE("the effective system prompt: the custom file when valid, else the default", "[upstream][optimizer]") {
  auto const fresh = effective_system_prompt(std::nullopt);
  REQUIRE(fresh.system_prompt == default_optimizer_system_prompt());
  REQUIRE_FALSE(fresh.customized);

  auto const custom = effective_system_prompt(std::string("Custom optimizer prompt\n"));
  REQUIRE(custom.system_prompt == "Custom optimizer prompt");
  REQUIRE(custom.customized);

  auto const crlf = effective_system_prompt(std::string("a\r\nb\r\n"));
  REQUIRE(crlf.system_prompt == "a\nb");

  for (auto const& bad : {std::string(" \n"), std::string("\xff\xfe bad"), std::string(20001, 'y')}) {
    auto const s = effective_system_prompt(bad);
    REQUIRE(s.system_prompt == default_optimizer_system_prompt());
    REQUIRE(s.customized);
  }
}

TEST_CASE("the file holds the normalised prompt and one newline", "[upstream][optimizer]") {
  REQUIRE(system_prompt_file_content("Custom optimizer prompt") == "Custom optimizer prompt\n");
}
