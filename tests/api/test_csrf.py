"""CSRF origin check on unsafe methods (spec §2.4)."""

import time
import unittest

from .panel import ACCESS_KEY, PanelCase, mint_token

FAILED = "CSRF origin check failed"
KEY = {"access_key": ACCESS_KEY}


class CsrfCheck(PanelCase):
    env = {"ACCESS_KEY": ACCESS_KEY, "ACCESS_COOKIE_SECURE": "false", "TRUST_PROXY_HEADERS": "true",
           "TRUSTED_PROXY_IPS": "127.0.0.1"}

    def unlock_with(self, headers, host=None):
        kw = {"host": host} if host else {}
        return self.panel.request("POST", "/api/access", headers, KEY, **kw)

    def test_no_source_headers_is_rejected_even_with_the_right_key(self):
        self.assertError(self.unlock_with([]), 403, FAILED, "csrf_rejected")

    def test_origin_matching_the_host_passes(self):
        r = self.unlock_with([("Origin", self.panel.origin)])
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.header("Set-Cookie"))
        # Default ports are normalised away; scheme and host compare case-insensitively.
        self.assertEqual(self.unlock_with([("Origin", "HTTP://Panel.Example.COM:80")], host="panel.example.com").status,
                         200)
        # IPv6 literals are bracketed and compared in canonical form.
        r = self.unlock_with([("Origin", "http://[0:0:0:0:0:0:0:1]:9090")], host="[::1]:9090")
        self.assertEqual(r.status, 200, r)

    def test_foreign_origins_are_rejected(self):
        for origin in ("https://evil.example", f"https://{self.panel.host}", "http://localhost:" + str(self.panel.port),
                       f"http://127.0.0.1:{self.panel.port + 1}", "null", "", f"{self.panel.origin}/path"):
            with self.subTest(origin=origin):
                self.assertError(self.unlock_with([("Origin", origin)]), 403, FAILED)

    def test_referer(self):
        self.assertError(self.unlock_with([("Referer", "https://evil.example/page")]), 403, FAILED)
        self.assertError(self.unlock_with([("Referer", f"http://evil.example/{self.panel.host}")]), 403, FAILED)
        r = self.unlock_with([("Referer", f"{self.panel.origin}/gallery?page=2#x")])
        self.assertEqual(r.status, 200, r)
        # Origin, when present, decides: a same-origin Referer does not rescue a foreign Origin.
        r = self.unlock_with([("Origin", "https://evil.example"), ("Referer", f"{self.panel.origin}/")])
        self.assertError(r, 403, FAILED)

    def test_sec_fetch_site(self):
        # The Vite dev proxy case: Host 127.0.0.1:9090, Origin http://localhost:5173.
        r = self.unlock_with([("Sec-Fetch-Site", "same-origin"), ("Origin", "http://localhost:5173")],
                             host="127.0.0.1:9090")
        self.assertEqual(r.status, 200, r)
        self.assertError(self.unlock_with([("Sec-Fetch-Site", "cross-site"), ("Origin", self.panel.origin)]), 403,
                         FAILED)
        self.assertError(self.unlock_with([("Sec-Fetch-Site", "same-site")]), 403, FAILED)
        r = self.unlock_with([("Sec-Fetch-Site", "same-site"), ("Origin", self.panel.origin)])
        self.assertEqual(r.status, 200, r)

    def test_safe_methods_are_never_blocked(self):
        for method, path in (("GET", "/api/access/status"), ("GET", "/health"), ("HEAD", "/health"),
                             ("OPTIONS", "/health")):
            with self.subTest(method=method, path=path):
                r = self.panel.request(method, path, [("Origin", "https://evil.example"),
                                                      ("Sec-Fetch-Site", "cross-site")])
                self.assertNotEqual(r.status, 403, r)
        r = self.panel.get("/api/access/status", [("Origin", "https://evil.example")])
        self.assertEqual(r.status, 200)

    def test_every_unsafe_method_is_checked_before_routing(self):
        for method, path in (("POST", "/api/nonexistent"), ("PATCH", "/api/gallery/missing/favorite"),
                             ("DELETE", "/api/gallery/missing"), ("PUT", "/api/version"), ("DELETE", "/health"),
                             ("POST", "/"), ("POST", "/some/deep/link")):
            with self.subTest(method=method, path=path):
                r = self.panel.request(method, path, [("Origin", "https://evil.example")], b"{}")
                self.assertError(r, 403, FAILED)

    def test_after_csrf_the_route_decides(self):
        cookie = ("Cookie", "gpt_image_access=" + mint_token(ACCESS_KEY, time.time() + 60))
        origin = ("Origin", self.panel.origin)
        self.assertError(self.panel.request("POST", "/api/nonexistent", [origin, cookie], b"{}"), 404)
        r = self.panel.request("DELETE", "/health", [origin, cookie])
        self.assertError(r, 405)
        self.assertEqual(r.header("Allow"), "GET")

    def test_trusted_forwarded_proto_and_host_define_the_expected_origin(self):
        fwd = [("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "panel.example.com")]
        r = self.unlock_with(fwd + [("Origin", "https://panel.example.com")], host="internal:9090")
        self.assertEqual(r.status, 200, r)
        r = self.unlock_with([("X-Forwarded-Proto", "https, http"), ("X-Forwarded-Host", "panel.example.com, x"),
                              ("Origin", "https://panel.example.com")], host="internal:9090")
        self.assertEqual(r.status, 200, r)
        # The Host-derived origin no longer matches once the proxy names another host.
        self.assertError(self.unlock_with(fwd + [("Origin", "http://internal:9090")], host="internal:9090"), 403,
                         FAILED)
        # Only http/https count as a forwarded scheme.
        r = self.unlock_with([("X-Forwarded-Proto", "ftp"), ("Origin", self.panel.origin)])
        self.assertEqual(r.status, 200, r)


class CsrfUntrustedProxy(PanelCase):
    env = {"ACCESS_KEY": ACCESS_KEY, "ACCESS_COOKIE_SECURE": "false"}

    def test_forwarded_headers_from_an_untrusted_peer_do_not_change_the_origin(self):
        headers = [("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "panel.example.com"),
                   ("Origin", "https://panel.example.com")]
        self.assertError(self.panel.request("POST", "/api/access", headers, KEY), 403, FAILED)
        self.assertEqual(self.panel.post("/api/access", KEY).status, 200)


class CsrfDisabled(PanelCase):
    env = {"ACCESS_KEY": ACCESS_KEY, "ACCESS_COOKIE_SECURE": "false", "CSRF_ORIGIN_CHECK_ENABLED": "false"}

    def test_no_origin_check(self):
        self.assertEqual(self.panel.post("/api/access", KEY, origin=None).status, 200)
        self.assertEqual(self.panel.post("/api/access", KEY, origin="https://evil.example").status, 200)
        r = self.panel.request("POST", "/api/access", [("Sec-Fetch-Site", "cross-site")], KEY)
        self.assertEqual(r.status, 200)
        # The access gate still runs.
        self.assertError(self.panel.post("/api/nonexistent", {}, origin="https://evil.example"), 401)


if __name__ == "__main__":
    unittest.main()
