#include <catch2/catch.hpp>

#include "core/json_writer.hpp"

using panel::core::json_writer;

TEST_CASE("compact JSON with escapes and UTF-8 passed through") {
  json_writer w;
  w.begin_object()
      .field("s", "a\"b\\c\n\x01")
      .field("n", 42)
      .field("d", 1.25)
      .field("b", false)
      .key("z")
      .null()
      .key("arr")
      .begin_array()
      .value("é")
      .begin_object()
      .end_object()
      .end_array()
      .end_object();
  REQUIRE(w.str() == R"({"s":"a\"b\\c\n\u0001","n":42,"d":1.25,"b":false,"z":null,"arr":["é",{}]})");
}
