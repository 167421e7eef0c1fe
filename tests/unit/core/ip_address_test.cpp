#include <catch2/catch.hpp>

#include "core/ip_address.hpp"

using panel::core::ip_address;
using panel::core::ip_network;

namespace {

ip_address ip(char const* text) {
  auto a = ip_address::parse(text);
  REQUIRE(a.has_value());
  return *a;
}

ip_network net(char const* text) {
  auto n = ip_network::parse(text);
  REQUIRE(n.has_value());
  return *n;
}

} // namespace

TEST_CASE("ip_address parses IPv4 dotted quads", "[core][ip]") {
  auto const a = ip("192.168.1.20");
  CHECK_FALSE(a.v6);
  CHECK(a.bytes[0] == 192);
  CHECK(a.bytes[1] == 168);
  CHECK(a.bytes[2] == 1);
  CHECK(a.bytes[3] == 20);
  CHECK(a.to_string() == "192.168.1.20");
  CHECK(ip("0.0.0.0").to_string() == "0.0.0.0");
  CHECK(ip("255.255.255.255").to_string() == "255.255.255.255");
}

TEST_CASE("ip_address rejects malformed text", "[core][ip]") {
  for (char const* bad : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.-4", "01.2.3.4", "1.2.3.4 ", " 1.2.3.4",
                          "abc", "1.2.3.4/8", "[1.2.3.4]", "[::1", "::1]", "[]", "1:2:3:4:5:6:7:8:9", ":::",
                          "fe80::1%", "1.2.3.4%eth0", "g::1", "localhost"}) {
    INFO(bad);
    CHECK_FALSE(ip_address::parse(bad).has_value());
  }
}

TEST_CASE("ip_address prints IPv6 in RFC 5952 form", "[core][ip]") {
  CHECK(ip("2001:0DB8::0001").to_string() == "2001:db8::1");
  CHECK(ip("2001:db8:0:0:1:0:0:1").to_string() == "2001:db8::1:0:0:1");
  CHECK(ip("1:0:0:2:0:0:0:3").to_string() == "1:0:0:2::3");
  CHECK(ip("0:0:0:0:0:0:0:0").to_string() == "::");
  CHECK(ip("::1").to_string() == "::1");
  CHECK(ip("::ffff:1.2.3.4").to_string() == "::ffff:1.2.3.4");
  CHECK(ip("::1").v6);
}

TEST_CASE("ip_address accepts brackets and drops a zone id", "[core][ip]") {
  CHECK(ip("[::1]") == ip("::1"));
  CHECK(ip("fe80::1%eth0") == ip("fe80::1"));
  CHECK(ip("[fe80::1%25eth0]") == ip("fe80::1"));
  CHECK(ip("fe80::1%eth0").to_string() == "fe80::1");
}

TEST_CASE("ip_address mapped_v4 recognises only ::ffff:0:0/96", "[core][ip]") {
  auto const mapped = ip("::ffff:10.1.2.3").mapped_v4();
  REQUIRE(mapped.has_value());
  CHECK(*mapped == ip("10.1.2.3"));
  CHECK_FALSE(ip("10.1.2.3").mapped_v4().has_value());
  CHECK_FALSE(ip("::10.1.2.3").mapped_v4().has_value());
  CHECK_FALSE(ip("64:ff9b::10.1.2.3").mapped_v4().has_value());
  CHECK_FALSE(ip("::fffe:10.1.2.3").mapped_v4().has_value());
}

TEST_CASE("ip_network parses prefixes and clears host bits", "[core][ip]") {
  auto const n = net("10.1.2.3/8");
  CHECK(n.prefix == 8);
  CHECK(n.base == ip("10.0.0.0"));
  CHECK(n.to_string() == "10.0.0.0/8");
  CHECK(net("172.16.5.4/12").to_string() == "172.16.0.0/12");
  CHECK(net("192.168.1.77/31").to_string() == "192.168.1.76/31");
  CHECK(net("1.2.3.4/0").to_string() == "0.0.0.0/0");
  CHECK(net("2001:db8:abcd::1/33").to_string() == "2001:db8:8000::/33");
  CHECK(net("fe80::1/10").to_string() == "fe80::/10");
  CHECK(net("[::1]/128").to_string() == "::1/128");
}

TEST_CASE("ip_network treats a bare address as a full prefix", "[core][ip]") {
  CHECK(net("1.2.3.4").prefix == 32);
  CHECK(net("1.2.3.4").to_string() == "1.2.3.4/32");
  CHECK(net("::1").prefix == 128);
  CHECK(net("::1").to_string() == "::1/128");
}

TEST_CASE("ip_network accepts IPv4 netmask and hostmask forms", "[core][ip]") {
  CHECK(net("10.1.2.3/255.255.0.0").to_string() == "10.1.0.0/16");
  CHECK(net("10.1.2.3/0.0.0.255").to_string() == "10.1.2.0/24");
  CHECK_FALSE(ip_network::parse("10.0.0.0/255.0.255.0").has_value());
}

TEST_CASE("ip_network rejects bad prefixes and garbage", "[core][ip]") {
  for (char const* bad : {"", "/8", "10.0.0.0/", "10.0.0.0/33", "::/129", "10.0.0.0/-1", "10.0.0.0/+8",
                          "10.0.0.0/8/8", "10.0.0.0/ 8", "10.0.0.0/8x", "10.0.0.0/0008", "xyz", "10.0.0/8",
                          "::1/ffff::"}) {
    INFO(bad);
    CHECK_FALSE(ip_network::parse(bad).has_value());
  }
  CHECK(ip_network::parse("10.0.0.0/32").has_value());
  CHECK(ip_network::parse("::/128").has_value());
}

TEST_CASE("ip_network contains within one family", "[core][ip]") {
  auto const n = net("10.0.0.0/8");
  CHECK(n.contains(ip("10.255.0.1")));
  CHECK_FALSE(n.contains(ip("11.0.0.1")));
  CHECK_FALSE(n.contains(ip("9.255.255.255")));
  auto const odd = net("192.168.0.0/23");
  CHECK(odd.contains(ip("192.168.1.255")));
  CHECK_FALSE(odd.contains(ip("192.168.2.0")));
  CHECK(net("0.0.0.0/0").contains(ip("8.8.8.8")));
  CHECK(net("fc00::/7").contains(ip("fdff::1")));
  CHECK_FALSE(net("fc00::/7").contains(ip("fe00::1")));
  CHECK(net("1.2.3.4").contains(ip("1.2.3.4")));
  CHECK_FALSE(net("1.2.3.4").contains(ip("1.2.3.5")));
}

TEST_CASE("ip_network contains across IPv4 and IPv4-mapped IPv6", "[core][ip]") {
  // A mapped peer address (dual-stack socket) must match an IPv4 allowlist.
  CHECK(net("10.0.0.0/8").contains(ip("::ffff:10.9.8.7")));
  CHECK_FALSE(net("10.0.0.0/8").contains(ip("::ffff:11.9.8.7")));
  // Other IPv6 addresses embedding the same 32 bits do not.
  CHECK_FALSE(net("10.0.0.0/8").contains(ip("::10.9.8.7")));
  CHECK_FALSE(net("10.0.0.0/8").contains(ip("2001:db8::a09:807")));
  // An IPv4 address matches an IPv6 network through its ::ffff: form only.
  CHECK(net("::ffff:10.0.0.0/104").contains(ip("10.9.8.7")));
  CHECK(net("::ffff:0:0/96").contains(ip("8.8.8.8")));
  CHECK_FALSE(net("::/96").contains(ip("8.8.8.8")));
  CHECK_FALSE(net("fc00::/7").contains(ip("10.0.0.1")));
}

TEST_CASE("parse_network_list splits, trims and skips empties", "[core][ip]") {
  auto const nets = panel::core::parse_network_list(" 10.0.0.0/8 ,; 192.168.1.1;::1 ,, ");
  REQUIRE(nets.has_value());
  REQUIRE(nets->size() == 3);
  CHECK((*nets)[0].to_string() == "10.0.0.0/8");
  CHECK((*nets)[1].to_string() == "192.168.1.1/32");
  CHECK((*nets)[2].to_string() == "::1/128");

  auto const empty = panel::core::parse_network_list("  ");
  REQUIRE(empty.has_value());
  CHECK(empty->empty());
}

TEST_CASE("parse_network_list names the first bad entry", "[core][ip]") {
  auto const nets = panel::core::parse_network_list("10.0.0.0/8, xyz, also-bad");
  REQUIRE_FALSE(nets.has_value());
  CHECK(nets.error().code == panel::errc::validation);
  CHECK(nets.error().message == "invalid IP or CIDR entry: 'xyz'");

  auto const too_long = panel::core::parse_network_list("10.0.0.0/33");
  REQUIRE_FALSE(too_long.has_value());
  CHECK(too_long.error().message == "invalid IP or CIDR entry: '10.0.0.0/33'");
}

TEST_CASE("in_any checks every network", "[core][ip]") {
  auto const nets = panel::core::parse_network_list("10.0.0.0/8;2001:db8::/32");
  REQUIRE(nets.has_value());
  CHECK(panel::core::in_any(*nets, ip("10.1.1.1")));
  CHECK(panel::core::in_any(*nets, ip("2001:db8::5")));
  CHECK(panel::core::in_any(*nets, ip("::ffff:10.1.1.1")));
  CHECK_FALSE(panel::core::in_any(*nets, ip("8.8.8.8")));
  CHECK_FALSE(panel::core::in_any({}, ip("10.1.1.1")));
}

TEST_CASE("is_private_or_internal covers the ranges of spec 6.8", "[core][ip]") {
  using panel::core::is_private_or_internal;
  for (char const* inside : {"127.0.0.1", "127.255.255.254", "10.0.0.1", "172.16.0.1", "172.31.255.255",
                             "192.168.0.1", "169.254.169.254", "0.0.0.0", "0.1.2.3", "224.0.0.1",
                             "239.255.255.255", "255.255.255.255", "::1", "fc00::1", "fdff::1",
                             "fe80::1", "febf::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
                             "::ffff:8.8.8.8"}) {
    INFO(inside);
    CHECK(is_private_or_internal(ip(inside)));
  }
  for (char const* outside : {"8.8.8.8", "1.1.1.1", "172.15.255.255", "172.32.0.0", "192.169.0.1", "169.253.0.1",
                              "100.64.0.1", "223.255.255.255", "2001:4860:4860::8888", "fec0::1", "fbff::1",
                              "2606:4700::1111"}) {
    INFO(outside);
    CHECK_FALSE(is_private_or_internal(ip(outside)));
  }
}
