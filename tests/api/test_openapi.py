"""GET /api/openapi.json documents every route the server registers (spec §18)."""

import re
import time
import unittest

from .panel import ACCESS_KEY, REPO, PanelCase, mint_token

ROUTE_CALL = re.compile(r'routes\.add\(\s*"([A-Z]+)"\s*,\s*"([^"]+)"')
# Spec §2.5: the paths the access gate lets through without a cookie.
EXEMPT = {"/", "/api/access", "/api/access/status", "/favicon.ico", "/health"}


def routed():
    """(METHOD, path) for every routes.add(...) call under src/http: the source of truth."""
    found = set()
    for source in sorted((REPO / "src" / "http").rglob("*.cpp")):
        found.update(ROUTE_CALL.findall(source.read_text()))
    return found


class OpenApi(PanelCase):
    env = {"ACCESS_KEY": ACCESS_KEY, "ACCESS_KEY_COOKIE_NAME": "panel_session"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cookie = ("Cookie", "panel_session=" + mint_token(ACCESS_KEY, time.time() + 600))
        cls.response = cls.panel.get("/api/openapi.json", [cookie])
        cls.doc = cls.response.json()

    def test_needs_the_cookie(self):
        self.assertError(self.panel.get("/api/openapi.json"), 401, "Access key required")

    def test_is_openapi_3_1(self):
        self.assertEqual(self.response.status, 200)
        self.assertEqual(self.response.header("Content-Type"), "application/json")
        self.assertEqual(self.doc["openapi"], "3.1.0")
        self.assertIsInstance(self.doc["info"]["title"], str)
        self.assertIsInstance(self.doc["info"]["version"], str)
        self.assertIsInstance(self.doc["paths"], dict)

    def test_every_routed_path_is_documented(self):
        routes = routed()
        self.assertGreaterEqual(len(routes), 8, "the route scan found too little; has the registration changed?")
        self.assertIn(("GET", "/api/openapi.json"), routes)
        for method, path in sorted(routes):
            if "...}" in path:
                continue  # the SPA catch-all is not an API operation
            with self.subTest(route=f"{method} {path}"):
                self.assertIn(path, self.doc["paths"])
                self.assertIn(method.lower(), self.doc["paths"][path])

    def test_nothing_undocumented_or_invented(self):
        documented = {(m.upper(), p) for p, ops in self.doc["paths"].items() for m in ops}
        expected = {(m, p) for m, p in routed() if "...}" not in p}
        self.assertEqual(documented, expected)

    def test_operations_are_well_formed(self):
        seen_ids = set()
        for path, ops in self.doc["paths"].items():
            for method, op in ops.items():
                with self.subTest(op=f"{method} {path}"):
                    self.assertNotIn(op["operationId"], seen_ids)
                    seen_ids.add(op["operationId"])
                    self.assertTrue(op["responses"])
                    for status, resp in op["responses"].items():
                        self.assertRegex(status, r"^[1-5]\d\d$")
                        self.assertIsInstance(resp["description"], str)
                    names = [p["name"] for p in op.get("parameters", []) if p["in"] == "path"]
                    self.assertEqual(names, re.findall(r"\{([^}]+)\}", path))
                    # Exempt routes declare no security; the rest inherit the cookie requirement.
                    if path in EXEMPT:
                        self.assertEqual(op.get("security"), [])
                    else:
                        self.assertNotIn("security", op)

    def test_security_scheme_names_the_configured_cookie(self):
        scheme = self.doc["components"]["securitySchemes"]["accessCookie"]
        self.assertEqual((scheme["type"], scheme["in"]), ("apiKey", "cookie"))
        self.assertEqual(scheme["name"], "panel_session")
        self.assertEqual(self.doc["security"], [{"accessCookie": []}])


if __name__ == "__main__":
    unittest.main()
