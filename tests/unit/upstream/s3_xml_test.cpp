#include <catch2/catch.hpp>

#include "upstream/s3_xml.hpp"

using namespace panel::upstream;

namespace {

std::string page(std::string const& contents, bool truncated, std::string const& token = {}) {
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix>gallery/</Prefix>
<KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>)" +
         std::string{truncated ? "true" : "false"} + "</IsTruncated>" +
         (token.empty() ? "" : "<NextContinuationToken>" + token + "</NextContinuationToken>") + contents +
         "</ListBucketResult>";
}

} // namespace

TEST_CASE("ListObjectsV2: keys, sizes, ETags and the continuation token") {
  auto const xml = page("<Contents><Key>gallery/a.png</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified>"
                        "<ETag>&quot;abc&quot;</ETag><Size>12</Size><StorageClass>STANDARD</StorageClass></Contents>"
                        "<Contents><Key>gallery/b &amp; c&#x2F;&#233;.png</Key><Size>0</Size></Contents>",
                        true, "1/2+3=");
  auto const p = parse_list_objects(xml);
  REQUIRE(p);
  REQUIRE(p->truncated);
  REQUIRE(p->next_token == "1/2+3=");
  REQUIRE(p->objects.size() == 2);
  REQUIRE(p->objects[0].key == "gallery/a.png");
  REQUIRE(p->objects[0].size == 12);
  REQUIRE(p->objects[0].etag == "abc");
  REQUIRE(p->objects[1].key == "gallery/b & c/\xc3\xa9.png");
}

TEST_CASE("ListObjectsV2: an empty last page, prefixed names, CDATA and comments") {
  auto const empty = parse_list_objects(page("", false));
  REQUIRE(empty);
  REQUIRE_FALSE(empty->truncated);
  REQUIRE(empty->objects.empty());
  auto const prefixed = parse_list_objects(
      "<s3:ListBucketResult xmlns:s3='x'><!-- note --><s3:IsTruncated>false</s3:IsTruncated>"
      "<s3:Contents><s3:Key><![CDATA[a<b]]></s3:Key><s3:Size>3</s3:Size></s3:Contents></s3:ListBucketResult>");
  REQUIRE(prefixed);
  REQUIRE(prefixed->objects.at(0).key == "a<b");
}

TEST_CASE("ListObjectsV2: broken answers are errors, never a silent empty listing") {
  REQUIRE(parse_list_objects(page("", true)).error().message ==
          "ListObjectsV2 returned a truncated page without a continuation token");
  REQUIRE(parse_list_objects("<Error><Code>X</Code></Error>").error().message ==
          "ListObjectsV2 returned <Error> instead of <ListBucketResult>");
  REQUIRE(parse_list_objects(page("<Contents><Size>1</Size></Contents>", false)).error().message ==
          "ListObjectsV2 returned an unreadable response (an object entry has no Key)");
  REQUIRE(parse_list_objects(page("<Contents><Key>k</Key><Size>-1</Size></Contents>", false)).error().message ==
          "ListObjectsV2 returned an unreadable response (an object entry has an invalid Size)");
  REQUIRE(parse_list_objects("").error().message ==
          "ListObjectsV2 returned an unreadable response (Invalid XML: no root element)");
  REQUIRE(parse_list_objects("<a><b></a>").error().message ==
          "ListObjectsV2 returned an unreadable response (Invalid XML: mismatched end tag </a>)");
  REQUIRE(parse_list_objects("<a>&bogus;</a>").error().message ==
          "ListObjectsV2 returned an unreadable response (Invalid XML: bad character reference)");
  REQUIRE(parse_list_objects("<!DOCTYPE x [<!ENTITY e 'x'>]><a/>").error().message ==
          "ListObjectsV2 returned an unreadable response (Invalid XML: document type declarations are not accepted)");
  REQUIRE_FALSE(parse_list_objects("<a></a><b></b>"));
  REQUIRE_FALSE(parse_list_objects("<a>"));
  REQUIRE_FALSE(parse_list_objects("text<a/>"));
}

TEST_CASE("XML nesting depth is bounded") {
  std::string deep;
  for (int i = 0; i < 70; ++i) {
    deep += "<a>";
  }
  for (int i = 0; i < 70; ++i) {
    deep += "</a>";
  }
  REQUIRE(walk_xml(deep, [](auto const&, auto const&) {}).error().message ==
          "Invalid XML: elements nested too deeply");
}

TEST_CASE("S3 error bodies") {
  auto const e = parse_error_body(R"(<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match.</Message>
<StringToSign>AWS4-HMAC-SHA256...</StringToSign><RequestId>4442587FB7D0A2F9</RequestId></Error>)");
  REQUIRE(e);
  REQUIRE(e->code == "SignatureDoesNotMatch");
  REQUIRE(e->message == "The request signature we calculated does not match.");
  REQUIRE(e->request_id == "4442587FB7D0A2F9");
  REQUIRE_FALSE(parse_error_body(""));
  REQUIRE_FALSE(parse_error_body("<Error><Message>no code</Message></Error>"));
  REQUIRE_FALSE(parse_error_body("<html><body>Bad Gateway</body></html>"));
  REQUIRE_FALSE(parse_error_body("Internal Server Error"));
}
