#include <catch2/catch.hpp>

#include "upstream/s3_calls.hpp"
#include "upstream/s3_url.hpp"

using namespace panel::upstream;

TEST_CASE("s3 keys and values are encoded the way SigV4 canonicalises them") {
  REQUIRE(s3_uri_encode("gallery/a b+c.png", true) == "gallery/a%20b%2Bc.png");
  REQUIRE(s3_uri_encode("gallery/a b+c.png", false) == "gallery%2Fa%20b%2Bc.png");
  REQUIRE(s3_uri_encode("AZaz09-._~", false) == "AZaz09-._~");
  REQUIRE(s3_uri_encode("=&?%", false) == "%3D%26%3F%25");
  REQUIRE(s3_uri_encode("\xe5\x9b\xbe", true) == "%E5%9B%BE"); // upper-case hex, byte by byte
}

TEST_CASE("s3 query strings are sorted by encoded name, with '=' always present") {
  REQUIRE(canonical_query({}) == "");
  REQUIRE(canonical_query({{"prefix", "gallery/"}, {"list-type", "2"}, {"continuation-token", "a+b/c="}}) ==
          "continuation-token=a%2Bb%2Fc%3D&list-type=2&prefix=gallery%2F");
  REQUIRE(canonical_query({{"prefix", ""}}) == "prefix=");
  // Sorting is on the encoded bytes: '%' (0x25) sorts before letters.
  REQUIRE(canonical_query({{"b", "1"}, {"a b", "2"}}) == "a%20b=2&b=1");
}

TEST_CASE("s3 path-style and virtual-host addressing") {
  s3_bucket path{"https://acct.r2.cloudflarestorage.com", "photos", s3_addressing::path};
  REQUIRE(bucket_url(path) == "https://acct.r2.cloudflarestorage.com/photos");
  REQUIRE(bucket_url(path, {{"list-type", "2"}}) == "https://acct.r2.cloudflarestorage.com/photos?list-type=2");
  REQUIRE(object_url(path, "gallery/x y.png") == "https://acct.r2.cloudflarestorage.com/photos/gallery/x%20y.png");

  s3_bucket vhost{"https://photos.s3.eu-west-1.amazonaws.com", "photos", s3_addressing::virtual_host};
  REQUIRE(bucket_url(vhost) == "https://photos.s3.eu-west-1.amazonaws.com/");
  REQUIRE(bucket_url(vhost, {{"list-type", "2"}}) == "https://photos.s3.eu-west-1.amazonaws.com/?list-type=2");
  REQUIRE(object_url(vhost, "gallery/a.png") == "https://photos.s3.eu-west-1.amazonaws.com/gallery/a.png");

  s3_bucket port{"https://localhost:9000/", "b", s3_addressing::path};
  REQUIRE(object_url(port, "k") == "https://localhost:9000/b/k");
}

TEST_CASE("s3 addressing is virtual-host only when the endpoint host starts with the bucket") {
  REQUIRE(addressing_for("https://photos.s3.eu-west-1.amazonaws.com", "photos") == s3_addressing::virtual_host);
  REQUIRE(addressing_for("https://Photos.example.com:8443", "photos") == s3_addressing::virtual_host);
  REQUIRE(addressing_for("https://s3.eu-west-1.amazonaws.com", "photos") == s3_addressing::path);
  REQUIRE(addressing_for("https://acct.r2.cloudflarestorage.com", "acct") == s3_addressing::virtual_host);
  REQUIRE(addressing_for("https://photosx.example.com", "photos") == s3_addressing::path);
  REQUIRE(addressing_for("https://photos", "photos") == s3_addressing::path);
  REQUIRE(addressing_for("https://localhost:9000", "") == s3_addressing::path);
}

TEST_CASE("s3 bucket names and regions are checked before they reach a URL or the signer") {
  REQUIRE(check_bucket_name("my-bucket.v2_x"));
  REQUIRE_FALSE(check_bucket_name(""));
  REQUIRE(check_bucket_name("a/b").error().message == "Invalid bucket name: use only letters, digits, '.', '_' and '-'");
  REQUIRE_FALSE(check_bucket_name("a b"));
  REQUIRE_FALSE(check_bucket_name(std::string(256, 'a')));
  REQUIRE(check_region("auto"));
  REQUIRE(check_region("eu-west-1"));
  REQUIRE_FALSE(check_region(""));
  REQUIRE(check_region("us:east").error().message == "Invalid region: use only letters, digits, '_' and '-'");
}

TEST_CASE("s3 object keys of gallery files and probes") {
  REQUIRE(gallery_object_key("gallery/", "a.png") == "gallery/a.png");
  REQUIRE(gallery_object_key("", "a.png") == "a.png");
  REQUIRE(probe_object_key("gallery/", "0123456789abcdef0123456789abcdef") ==
          "gallery/.r2-sync-probe-0123456789abcdef0123456789abcdef.txt");
}

TEST_CASE("s3 calls carry x-amz-content-sha256 and canonical URLs") {
  s3_bucket b{"https://h.example.com", "bk", s3_addressing::path};
  auto const head = head_bucket(b);
  REQUIRE(head.method == "HEAD");
  REQUIRE(head.url == "https://h.example.com/bk");
  REQUIRE(head.headers == std::vector<std::string>{"x-amz-content-sha256: " + std::string{empty_payload_sha256}});

  auto const list = list_objects(b, "gallery/", "tok=", 1);
  REQUIRE(list.method == "GET");
  REQUIRE(list.url == "https://h.example.com/bk?continuation-token=tok%3D&list-type=2&max-keys=1&prefix=gallery%2F");
  REQUIRE(list_objects(b, "", "").url == "https://h.example.com/bk?list-type=2");

  auto const put = put_object(b, "gallery/a.png", "image/png", "abc123",
                              {{"Gallery-Id", "id-1"}, {"sha256", "abc123"}, {"bytes", "7"}});
  REQUIRE(put.method == "PUT");
  REQUIRE(put.url == "https://h.example.com/bk/gallery/a.png");
  REQUIRE(put.headers == std::vector<std::string>{"x-amz-content-sha256: abc123", "Content-Type: image/png",
                                                  "x-amz-meta-gallery-id: id-1", "x-amz-meta-sha256: abc123",
                                                  "x-amz-meta-bytes: 7"});
  // Metadata values stay on one printable line.
  auto const odd = put_object(b, "k", "text/plain", "h", {{"note", "a\r\nb%"}});
  REQUIRE(odd.headers.back() == "x-amz-meta-note: a%0D%0Ab%25");

  REQUIRE(delete_object(b, "gallery/.probe").method == "DELETE");
  REQUIRE(head_object(b, "gallery/a b.png").url == "https://h.example.com/bk/gallery/a%20b.png");
  REQUIRE(sigv4_provider("auto") == "aws:amz:auto:s3");
}
