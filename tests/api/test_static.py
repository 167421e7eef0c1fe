"""The web app: index with CSP nonce, assets, SPA fallback, traversal, favicon (spec §1.6, §2.7, §3.1)."""

import os
import re
import time
import unittest

from .panel import ACCESS_KEY, REPO, PanelCase, mint_token

INDEX = """<!doctype html>
<html><head><meta charset="utf-8"><title>Panel</title>
<script>window.first = 1;</script>
<script type="module" src="/_app/immutable/x.js"></script>
<script nonce="preset-nonce">window.kept = 2;</script>
<SCRIPT
  src="/_app/immutable/y.js"></SCRIPT>
<noscript>enable js</noscript>
</head><body>static-index-marker<scripts>not a tag</scripts></body></html>
"""
FALLBACK = """<!doctype html><html><head><script>window.spa = 1;</script>
<script type="module">start();</script></head><body>spa-fallback-marker</body></html>
"""
ASSET = b"export const x = 42;\n"
SECRET = b"secret-outside-the-build-dir"
DEFAULT_CSP = ("default-src 'self'; base-uri 'self'; object-src 'none'; frame-ancestors 'none'; form-action 'self'; "
               "script-src 'self'; script-src-elem 'self'; script-src-attr 'none'; style-src 'self'; "
               "style-src-attr 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'")
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)


def csp_directives(value):
    out = {}
    for part in value.split(";"):
        name, *sources = part.split()
        out[name] = sources
    return out


class SiteCase(PanelCase):
    def cookie(self):
        return [("Cookie", "gpt_image_access=" + mint_token(ACCESS_KEY, time.time() + 600))]

    def assertIndexWithNonce(self, r, original=None):
        """Checks the §2.7 nonce contract on an index response; returns the nonce."""
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("Content-Type"), "text/html; charset=utf-8")
        self.assertEqual(r.header("Cache-Control"), "no-cache")
        csp = csp_directives(r.header("Content-Security-Policy"))
        nonce = csp["script-src"][-1][len("'nonce-"):-1]
        self.assertRegex(nonce, r"^[A-Za-z0-9_-]{22,}$")
        self.assertEqual(csp["script-src"], ["'self'", f"'nonce-{nonce}'"])
        self.assertEqual(csp["script-src-elem"], ["'self'", f"'nonce-{nonce}'"])
        self.assertNotIn("'unsafe-inline'", csp["script-src-elem"])
        self.assertEqual(csp["script-src-attr"], ["'none'"])
        self.assertEqual(csp["style-src"], ["'self'"])
        self.assertEqual(csp["style-src-attr"], ["'unsafe-inline'"])
        self.assertEqual(csp["default-src"], ["'self'"])
        self.assertEqual(csp["object-src"], ["'none'"])
        self.assertEqual(csp["frame-ancestors"], ["'none'"])
        html = r.text
        tags = SCRIPT_TAG.findall(html)
        self.assertTrue(tags)
        for tag in tags:
            if "nonce=" in tag and f'nonce="{nonce}"' not in tag:
                self.assertEqual(tag.count("nonce="), 1, tag)  # one that already had a nonce keeps it alone
            else:  # nonce="N" is the first attribute; the tag name keeps its case
                self.assertRegex(tag, re.compile(rf'^<script nonce="{re.escape(nonce)}"[\s>]', re.IGNORECASE))
        if original is not None:
            self.assertEqual(html.replace(f' nonce="{nonce}"', ""), original)
        return nonce


class StaticSite(SiteCase):
    @classmethod
    def configure(cls, tmp):
        build = tmp / "build"
        (build / "_app" / "immutable").mkdir(parents=True)
        (build / "index.html").write_text(INDEX)
        (build / "200.html").write_text(FALLBACK)  # adapter-static's SPA fallback page
        (build / "_app" / "immutable" / "x.js").write_bytes(ASSET)
        (build / "_app" / "version.json").write_text('{"version":"1"}')
        (build / "robots.txt").write_text("User-agent: *\n")
        (build / "favicon.ico").write_bytes(b"\x00\x00\x01\x00icon")
        (tmp / "secret.txt").write_bytes(SECRET)
        os.symlink(tmp / "secret.txt", build / "leak.txt")
        return {"ACCESS_KEY": ACCESS_KEY, "WEB_BUILD_DIR": str(build)}

    def test_index_gets_a_fresh_nonce_on_every_script_tag(self):
        r = self.panel.get("/")
        nonce = self.assertIndexWithNonce(r, INDEX)
        self.assertEqual(r.text.count(f'nonce="{nonce}"'), 3)
        self.assertIn('<script nonce="preset-nonce">', r.text)
        self.assertIn("<scripts>not a tag</scripts>", r.text)
        self.assertNotEqual(self.assertIndexWithNonce(self.panel.get("/")), nonce)

    def test_head_index_has_headers_and_no_body(self):
        r = self.panel.request("HEAD", "/")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, b"")
        self.assertEqual(int(r.header("Content-Length")), len(self.panel.get("/").body))

    def test_global_headers_everywhere(self):
        for path, status in (("/", 200), ("/health", 200), ("/_app/immutable/x.js", 200), ("/api/version", 401),
                             ("/favicon.ico", 200), ("/api/access/status", 200)):
            with self.subTest(path=path):
                r = self.panel.get(path)
                self.assertEqual(r.status, status)
                self.assertEqual(r.header("X-Content-Type-Options"), "nosniff")
                self.assertEqual(r.header("Referrer-Policy"), "same-origin")
                if path != "/":
                    self.assertEqual(r.header("Content-Security-Policy"), DEFAULT_CSP)
                if path.startswith("/api/") or status >= 400:
                    self.assertEqual(r.header("Cache-Control"), "private, no-store")
                    self.assertEqual(r.header("Vary"), "Cookie")

    def test_immutable_assets_need_no_cookie(self):
        r = self.panel.get("/_app/immutable/x.js")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, ASSET)
        self.assertEqual(r.header("Content-Type"), "text/javascript; charset=utf-8")
        self.assertEqual(r.header("Cache-Control"), "public, max-age=31536000, immutable")
        self.assertIsNone(r.header("Vary"))
        head = self.panel.request("HEAD", "/_app/immutable/x.js")
        self.assertEqual((head.status, head.body, head.header("Content-Length")), (200, b"", str(len(ASSET))))
        self.assertError(self.panel.get("/api/version"), 401, "Access key required")
        r = self.panel.get("/_app/version.json")
        self.assertEqual(r.status, 200)
        self.assertNotIn("immutable", r.header("Cache-Control") or "")
        self.assertError(self.panel.get("/_app/immutable/missing.js"), 404, "Not found")

    def test_other_files_and_deep_links_need_the_cookie(self):
        for path in ("/robots.txt", "/some/deep/link", "/gallery?page=2"):
            with self.subTest(path=path):
                self.assertError(self.panel.get(path), 401, "Access key required")
        r = self.panel.get("/robots.txt", self.cookie())
        self.assertEqual((r.status, r.body), (200, b"User-agent: *\n"))
        self.assertTrue(r.header("Content-Type").startswith("text/plain"))

    def test_spa_fallback_serves_200_html_with_a_nonce(self):
        for path in ("/some/deep/link", "/gallery?page=2", "/index.html/x"):
            with self.subTest(path=path):
                r = self.panel.get(path, self.cookie())
                nonce = self.assertIndexWithNonce(r, FALLBACK)
                self.assertEqual(r.text.count(f'nonce="{nonce}"'), 2)
        self.assertIn("static-index-marker", self.panel.get("/").text)

    def test_unknown_api_paths_are_404_not_html(self):
        for path in ("/api/nope", "/api", "/api/version/extra", "/api/"):
            with self.subTest(path=path):
                self.assertError(self.panel.get(path, self.cookie()), 404, code="not_found")

    def test_favicon(self):
        r = self.panel.get("/favicon.ico")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, b"\x00\x00\x01\x00icon")

    def test_traversal_never_leaves_the_build_dir(self):
        attempts = ["/../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/_app/..%2F..%2Fetc/passwd",
                    "/_app/../../../etc/passwd", "/..%2f..%2f..%2fetc%2fpasswd", "/..%2fsecret.txt", "/../secret.txt",
                    "/_app/immutable/..%2f..%2f..%2fsecret.txt", "/_app/%2e%2e/%2e%2e/secret.txt", "/leak.txt",
                    "//etc/passwd", "/%2Fetc%2Fpasswd", "/_app/..%5c..%5csecret.txt", "/robots.txt%00.html",
                    "/_app/immutable/%2e%2e%2f%2e%2e%2f%2e%2e%2fsecret.txt"]
        for path in attempts:
            for headers in ([], self.cookie()):
                with self.subTest(path=path, cookie=bool(headers)):
                    r = self.panel.get(path, headers)
                    self.assertNotIn(b"root:", r.body)
                    self.assertNotIn(SECRET, r.body)
                    self.assertIn(r.status, (200, 401, 404), r)
                    if r.status == 200:
                        self.assertIn(b"spa-fallback-marker", r.body)

    def test_app_prefix_does_not_bypass_the_gate(self):
        for path in ("/_app/../api/version", "/_app/%2e%2e/api/version", "/_app/../robots.txt"):
            with self.subTest(path=path):
                r = self.panel.get(path)
                self.assertIn(r.status, (401, 404), r)
                self.assertNotIn(b"version", r.body.replace(b"correlation", b""))
                self.assertNotIn(b"User-agent", r.body)


class NoBuild(SiteCase):
    @classmethod
    def configure(cls, tmp):
        return {"ACCESS_KEY": ACCESS_KEY, "WEB_BUILD_DIR": str(tmp / "missing-build")}

    def test_index_is_500(self):
        body = self.assertError(self.panel.get("/"), 500, code="internal_error")
        self.assertTrue(body["detail"].startswith("Frontend build not found. Run `npm"), body["detail"])

    def test_favicon_is_404(self):
        self.assertError(self.panel.get("/favicon.ico"), 404, "Frontend favicon not found")

    def test_deep_links_and_assets_are_404(self):
        self.assertError(self.panel.get("/some/deep/link", self.cookie()), 404, "Not found")
        self.assertError(self.panel.get("/_app/immutable/x.js"), 404, "Not found")


class IndexOnlyBuild(SiteCase):
    @classmethod
    def configure(cls, tmp):
        (tmp / "build").mkdir()
        (tmp / "build" / "index.html").write_text(INDEX)
        return {"ACCESS_KEY": ACCESS_KEY, "WEB_BUILD_DIR": str(tmp / "build")}

    def test_spa_fallback_without_200_html_serves_the_index(self):
        self.assertIndexWithNonce(self.panel.get("/some/deep/link", self.cookie()), INDEX)
        self.assertError(self.panel.get("/some/deep/link"), 401, "Access key required")


class RealBuild(SiteCase):
    env = {"ACCESS_KEY": ACCESS_KEY}  # WEB_BUILD_DIR defaults to <repo>/web/build

    def test_default_build_dir_is_served_with_nonces(self):
        build = REPO / "web" / "build"
        if not (build / "index.html").is_file():
            self.skipTest("web/build not built")
        self.assertIndexWithNonce(self.panel.get("/"), (build / "index.html").read_text())
        assets = [p for p in (build / "_app" / "immutable").rglob("*") if p.is_file()]
        self.assertTrue(assets)
        rel = "/" + assets[0].relative_to(build).as_posix()
        r = self.panel.get(rel)
        self.assertEqual(r.status, 200, rel)
        self.assertEqual(r.body, assets[0].read_bytes())
        self.assertEqual(r.header("Cache-Control"), "public, max-age=31536000, immutable")
        fallback = build / "200.html"
        if fallback.is_file():
            self.assertIndexWithNonce(self.panel.get("/gallery/some-id", self.cookie()), fallback.read_text())


if __name__ == "__main__":
    unittest.main()
