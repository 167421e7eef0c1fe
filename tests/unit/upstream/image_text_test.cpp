#include <catch2/catch.hpp>

#include "upstream/image_text.hpp"
#include "upstream/sse_events.hpp"

using namespace panel::upstream;

namespace {
image_ref url(std::string v) { return image_ref{image_kind::url, std::move(v), {}}; }
} // namespace

TEST_CASE("data URLs: every listed type, any case, whitespace removed from the data") {
  auto refs = find_image_refs("a data:image/jpg;base64,QU JD\n RA==; b Data:Image/AVIF;Base64,eHl6, "
                              "data:image/svg+xml;base64,PHN2Zz4=, data:image/bmp;base64,");
  REQUIRE(refs.size() == 2);
  REQUIRE(refs[0] == image_ref{image_kind::data_url, "QUJDRA==", "image/jpg"});
  REQUIRE(refs[1] == image_ref{image_kind::data_url, "eHl6", "image/avif"});
}

TEST_CASE("Markdown images: plain, angle-bracket with title, and non-image targets") {
  auto refs = find_image_refs("![one](https://e.com/1.png) ![two](<https://e.com/t w o.png> \"Title\") "
                              "![three](https://e.com/3.png 'single') ![rel](/local.png) [link](https://e.com/l)");
  // Bare URL scanning adds the link and the first part of the spaced URL.
  REQUIRE(refs.size() == 5);
  REQUIRE(refs[0] == url("https://e.com/1.png"));
  REQUIRE(refs[1] == url("https://e.com/t w o.png"));
  REQUIRE(refs[2] == url("https://e.com/3.png"));
  REQUIRE(refs[3] == url("https://e.com/t"));
  REQUIRE(refs[4] == url("https://e.com/l"));
}

TEST_CASE("bare URLs stop at whitespace and <>'\")") {
  auto refs = find_image_refs("(http://e.com/a.png) <https://e.com/b.png> 'https://e.com/c.png' "
                              "\"https://e.com/d.png\" https://e.com/e.png\tnext https:// HTTPS://e.com/f.png");
  REQUIRE(refs == std::vector<image_ref>{url("http://e.com/a.png"), url("https://e.com/b.png"),
                                        url("https://e.com/c.png"), url("https://e.com/d.png"),
                                        url("https://e.com/e.png")});
}

TEST_CASE("data URL data runs greedily over letters and blanks, as the original's pattern does") {
  auto refs = find_image_refs("data:image/png;base64,QUJD and more) data:image/gif;base64,R0lG");
  REQUIRE(refs.size() == 2);
  REQUIRE(refs[0].value == "QUJDandmore");
  REQUIRE(refs[1] == image_ref{image_kind::data_url, "R0lG", "image/gif"});
}

TEST_CASE("references are de-duplicated across the three rules") {
  auto refs = find_image_refs("![x](https://e.com/a.png) https://e.com/a.png ![y](data:image/png;base64,QUJD) "
                              "data:image/png;base64,QUJD");
  REQUIRE(refs.size() == 2);
  REQUIRE(refs[0].kind == image_kind::data_url);
  REQUIRE(refs[1] == url("https://e.com/a.png"));
}

TEST_CASE("normalize_image_reference: whole-string rules") {
  REQUIRE(normalize_image_reference("  <https://e.com/x.png>  ") == url("https://e.com/x.png"));
  REQUIRE(normalize_image_reference("data:image/webp;base64,QU\nJD") ==
          image_ref{image_kind::data_url, "QUJD", "image/webp"});
  REQUIRE_FALSE(normalize_image_reference("data:image/webp;base64,QUJD extra!").has_value());
  REQUIRE_FALSE(normalize_image_reference("ftp://e.com/x.png").has_value());
  REQUIRE_FALSE(normalize_image_reference("HTTPS://e.com/x.png").has_value());
  REQUIRE_FALSE(normalize_image_reference(" <> ").has_value());
}

TEST_CASE("a long base64 data URL is scanned without recursion") {
  std::string text = "![big](data:image/png;base64,";
  text.append(8 * 1024 * 1024, 'A');
  text += ")";
  auto refs = find_image_refs(text);
  REQUIRE(refs.size() == 1);
  REQUIRE(refs[0].value.size() == 8 * 1024 * 1024);
}

TEST_CASE("SSE framing: data lines, multi-line events, CRLF, [DONE] and other fields") {
  auto p = sse_data_payloads("event: chunk\nid: 1\ndata: {\"a\":\ndata:  1}\n\n: comment\r\n"
                             "data: [DONE]\r\n\r\ndata:{\"b\":2}\rdata: \r\r\ndata: {\"c\":3}");
  REQUIRE(p == std::vector<std::string>{"{\"a\":\n1}", "{\"b\":2}", "{\"c\":3}"});
  REQUIRE(sse_data_payloads("").empty());
  REQUIRE(sse_data_payloads("data:\n\n\n").empty());
}
