"""The request gate: IP allowlist, Host allowlist, trusted proxies, gate order (spec §2.1-§2.3)."""

import time
import unittest

from .panel import ACCESS_KEY, PanelCase, mint_token

OPEN = {"ALLOW_UNAUTHENTICATED": "true"}


class IpAllowlistUntrustedPeer(PanelCase):
    # The peer (127.0.0.1) is not in TRUSTED_PROXY_IPS, so forwarded headers are ignored.
    env = {**OPEN, "IP_ALLOWLIST": "10.0.0.1", "TRUST_PROXY_HEADERS": "true", "TRUSTED_PROXY_IPS": "10.9.9.9"}

    def test_health_is_exempt(self):
        r = self.panel.get("/health")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json()["status"], "ok")

    def test_everything_else_is_denied(self):
        for method, path in (("GET", "/api/version"), ("GET", "/"), ("GET", "/favicon.ico"),
                             ("GET", "/api/access/status"), ("GET", "/_app/version.json"), ("GET", "/api/nope"),
                             ("HEAD", "/api/version")):
            with self.subTest(path=path, method=method):
                r = self.panel.request(method, path)
                self.assertEqual(r.status, 403)
                if method != "HEAD":
                    self.assertError(r, 403, "IP address is not allowed", "ip_not_allowed")

    def test_forwarded_headers_from_an_untrusted_peer_are_ignored(self):
        for header in ("X-Forwarded-For", "X-Real-IP"):
            with self.subTest(header=header):
                self.assertError(self.panel.get("/api/version", [(header, "10.0.0.1")]), 403,
                                 "IP address is not allowed")


class IpAllowlistTrustedProxy(PanelCase):
    env = {**OPEN, "IP_ALLOWLIST": "10.0.0.1; 192.168.0.0/16", "TRUST_PROXY_HEADERS": "true",
           "TRUSTED_PROXY_IPS": "127.0.0.1, 172.16.0.0/12"}

    def version(self, *headers):
        return self.panel.get("/api/version", list(headers))

    def test_direct_peer_is_not_allowlisted(self):
        self.assertError(self.version(), 403, "IP address is not allowed")

    def test_forwarded_client_ip_is_checked(self):
        allowed = ["10.0.0.1", "192.168.44.5", " 10.0.0.1 ", "10.0.0.1, 127.0.0.1", "10.0.0.1, 172.20.0.3, 127.0.0.1",
                   "6.6.6.6, 10.0.0.1"]
        for value in allowed:
            with self.subTest(xff=value):
                self.assertEqual(self.version(("X-Forwarded-For", value)).status, 200)
        denied = ["10.0.0.2", "10.0.0.1, 6.6.6.6", "not-an-ip", "10.0.0.1, 203.0.113.9, 127.0.0.1"]
        for value in denied:
            with self.subTest(xff=value):
                self.assertError(self.version(("X-Forwarded-For", value)), 403, "IP address is not allowed")

    def test_all_trusted_hops_take_the_leftmost(self):
        self.assertError(self.version(("X-Forwarded-For", "172.16.0.1, 127.0.0.1")), 403)

    def test_x_real_ip_when_no_forwarded_for(self):
        self.assertEqual(self.version(("X-Real-IP", "192.168.1.1")).status, 200)
        self.assertError(self.version(("X-Real-IP", "8.8.8.8")), 403)
        # X-Forwarded-For wins over X-Real-IP.
        self.assertError(self.version(("X-Forwarded-For", "8.8.8.8"), ("X-Real-IP", "10.0.0.1")), 403)


class HostAllowlist(PanelCase):
    env = {**OPEN, "ALLOWED_HOSTS": "panel.example.com, https://other.example.org, 10.1.1.1:8080, [::1]:9000",
           "TRUST_PROXY_HEADERS": "true", "TRUSTED_PROXY_IPS": "127.0.0.1"}

    def test_foreign_host_is_rejected_on_every_path(self):
        for path in ("/health", "/api/version", "/", "/_app/version.json"):
            with self.subTest(path=path):
                self.assertError(self.panel.get(path, host="evil.example"), 400, "Host is not allowed",
                                 "host_not_allowed")

    def test_same_origin_fetch_metadata_does_not_bypass_it(self):
        r = self.panel.post("/api/access", {"access_key": "x"}, [("Sec-Fetch-Site", "same-origin")],
                            origin="http://evil.example", host="evil.example")
        self.assertError(r, 400, "Host is not allowed")
        r = self.panel.get("/health", [("Sec-Fetch-Site", "same-origin")], host="evil.example")
        self.assertError(r, 400, "Host is not allowed")

    def test_allowed_hosts(self):
        for host in ("panel.example.com", "panel.example.com:9090", "PANEL.Example.COM", "panel.example.com.",
                     "other.example.org", "other.example.org:443", "10.1.1.1:8080", "[::1]:9000",
                     "[0:0:0:0:0:0:0:1]:9000"):
            with self.subTest(host=host):
                r = self.panel.get("/api/version", host=host)
                self.assertEqual(r.status, 200, r)

    def test_hosts_not_in_the_list(self):
        for host in ("other.example.org:80", "other.example.org:8443", "10.1.1.1", "10.1.1.1:8081", "[::1]",
                     "sub.panel.example.com", "example.com", "127.0.0.1"):
            with self.subTest(host=host):
                self.assertError(self.panel.get("/api/version", host=host), 400, "Host is not allowed")

    def test_malformed_host_values(self):
        for host in ("", "user@panel.example.com", "panel.example.com/path", "panel.example.com?x=1",
                     "panel.example.com#frag", "panel.example.com:abc",
                     "panel.example.com:99999", "::1", "[::1", "panel example.com", "a" * 256):
            with self.subTest(host=host):
                self.assertError(self.panel.get("/health", host=host), 400, "Host is not allowed")
        self.assertError(self.panel.get("/health", host=None), 400, "Host is not allowed")

    def test_more_than_one_host_header_is_rejected(self):
        # RFC 9112 §3.2: a request with more than one Host field MUST be answered 400; otherwise the
        # allowlist would vet one Host while something else may act on the other.
        for hosts in (("panel.example.com", "evil.example"), ("panel.example.com", "panel.example.com")):
            with self.subTest(hosts=hosts):
                r = self.panel.get("/api/version", [("Host", h) for h in hosts], host=None)
                self.assertError(r, 400, code="host_not_allowed" if hosts[1] == "evil.example" else None)

    def test_forwarded_host_from_a_trusted_proxy_must_be_allowed(self):
        r = self.panel.get("/health", [("X-Forwarded-Host", "evil.example")], host="panel.example.com")
        self.assertError(r, 400, "Forwarded host is not allowed", "host_not_allowed")
        r = self.panel.get("/health", [("X-Forwarded-Host", "panel.example.com, evil.example")],
                           host="panel.example.com")
        self.assertEqual(r.status, 200)


class PublicOriginHosts(PanelCase):
    env = {**OPEN, "PUBLIC_ORIGIN": "https://panel.example.com", "TRUST_PROXY_HEADERS": "true",
           "TRUSTED_PROXY_IPS": "127.0.0.1"}

    def test_public_origin_contributes_its_host(self):
        for host in ("panel.example.com", "panel.example.com:443"):
            with self.subTest(host=host):
                self.assertEqual(self.panel.get("/api/version", host=host).status, 200)
        for host in ("panel.example.com:8443", "panel.example.com:80", "evil.example", "127.0.0.1"):
            with self.subTest(host=host):
                self.assertError(self.panel.get("/api/version", host=host), 400, "Host is not allowed")

    def test_forwarded_host_must_be_allowed(self):
        r = self.panel.get("/api/version", [("X-Forwarded-Host", "evil.example")], host="panel.example.com")
        self.assertError(r, 400, "Forwarded host is not allowed")
        r = self.panel.get("/api/version", [("X-Forwarded-Host", "panel.example.com")], host="panel.example.com")
        self.assertEqual(r.status, 200)

    def test_public_origin_is_the_expected_csrf_origin(self):
        h = "panel.example.com"
        self.assertEqual(self.panel.post("/api/access", {"access_key": "x"}, origin="https://panel.example.com",
                                         host=h).status, 200)
        self.assertEqual(self.panel.post("/api/access", {"access_key": "x"}, origin="https://panel.example.com:443",
                                         host=h).status, 200)
        for origin in ("http://panel.example.com", "https://panel.example.com:8443", "https://evil.example"):
            with self.subTest(origin=origin):
                r = self.panel.post("/api/access", {"access_key": "x"}, origin=origin, host=h)
                self.assertError(r, 403, "CSRF origin check failed")
        r = self.panel.post("/api/access", {"access_key": "x"}, [("Referer", "https://panel.example.com/gallery?x=1")],
                            origin=None, host=h)
        self.assertEqual(r.status, 200)


class GateOrder(PanelCase):
    env = {"ACCESS_KEY": ACCESS_KEY, "ACCESS_COOKIE_SECURE": "false", "ALLOWED_HOSTS": "panel.example.com",
           "IP_ALLOWLIST": "10.0.0.1", "TRUST_PROXY_HEADERS": "true", "TRUSTED_PROXY_IPS": "127.0.0.1"}
    GOOD_HOST = "panel.example.com"
    GOOD_IP = ("X-Forwarded-For", "10.0.0.1")
    GOOD_ORIGIN = ("Origin", "http://panel.example.com")

    def send(self, method, path, host, *headers):
        return self.panel.request(method, path, list(headers), body=b"{}" if method != "GET" else None, host=host)

    def test_host_before_ip_before_csrf_before_access(self):
        self.assertError(self.send("POST", "/api/version", "evil.example"), 400, "Host is not allowed")
        self.assertError(self.send("POST", "/api/version", self.GOOD_HOST), 403, "IP address is not allowed")
        self.assertError(self.send("POST", "/api/version", self.GOOD_HOST, self.GOOD_IP), 403,
                         "CSRF origin check failed")
        self.assertError(self.send("POST", "/api/nonexistent", self.GOOD_HOST, self.GOOD_IP, self.GOOD_ORIGIN), 401,
                         "Access key required")
        self.assertError(self.send("GET", "/api/version", self.GOOD_HOST, self.GOOD_IP), 401, "Access key required")

    def test_everything_right_reaches_the_handler(self):
        cookie = ("Cookie", "gpt_image_access=" + mint_token(ACCESS_KEY, time.time() + 60))
        self.assertEqual(self.send("GET", "/api/version", self.GOOD_HOST, self.GOOD_IP, cookie).status, 200)
        r = self.send("POST", "/api/nonexistent", self.GOOD_HOST, self.GOOD_IP, self.GOOD_ORIGIN, cookie)
        self.assertError(r, 404, code="not_found")
        r = self.send("POST", "/api/version", self.GOOD_HOST, self.GOOD_IP, self.GOOD_ORIGIN, cookie)
        self.assertError(r, 405, code="method_not_allowed")
        r = self.panel.post("/api/access", {"access_key": ACCESS_KEY}, [self.GOOD_IP], origin="http://panel.example.com",
                            host=self.GOOD_HOST)
        self.assertEqual(r.status, 200, r)

    def test_health_checks_host_but_not_ip(self):
        self.assertEqual(self.send("GET", "/health", self.GOOD_HOST).status, 200)
        self.assertError(self.send("GET", "/health", "evil.example"), 400, "Host is not allowed")


if __name__ == "__main__":
    unittest.main()
