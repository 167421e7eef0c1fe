"""The access gate: POST /api/access, the cookie, /api/access/status, lockout (spec §2.5, §2.6, §3.2)."""

import base64
import email.utils
import hashlib
import hmac
import json
import re
import time
import unittest
from datetime import datetime, timezone

from .panel import ACCESS_KEY, ISO_UTC, PanelCase, mint_token

PROXY = {"TRUST_PROXY_HEADERS": "true", "TRUSTED_PROXY_IPS": "127.0.0.1"}
LOCKED = re.compile(r"^Too many failed attempts\. Try again in (\d+) seconds\.$")


def xff(ip):
    return [("X-Forwarded-For", ip)]


def cookie_attributes(set_cookie):
    name_value, *attrs = [p.strip() for p in set_cookie.split(";")]
    name, value = name_value.split("=", 1)
    parsed = {}
    for a in attrs:
        k, _, v = a.partition("=")
        parsed[k.lower()] = v
    return name, value, parsed


class AccessGate(PanelCase):
    env = {"ACCESS_KEY": ACCESS_KEY, "ACCESS_COOKIE_SECURE": "false", "ACCESS_MAX_FAILURES": "3", **PROXY}

    def access(self, key, ip, **kw):
        return self.panel.post("/api/access", {"access_key": key}, xff(ip), **kw)

    def test_status_before_unlock(self):
        r = self.panel.get("/api/access/status")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json(), {"authenticated": False, "expires_at": None})
        self.assertEqual(r.header("Cache-Control"), "private, no-store")
        self.assertEqual(r.header("Vary"), "Cookie")

    def test_protected_paths_need_the_cookie_and_exempt_ones_do_not(self):
        for path in ("/api/version", "/api/version/latest", "/api/openapi.json", "/some/deep/link",
                     "/api/nope", "/index.html"):
            with self.subTest(path=path):
                self.assertError(self.panel.get(path), 401, "Access key required", "authentication_required")
        for path in ("/", "/health", "/api/access/status", "/favicon.ico"):
            with self.subTest(path=path):
                self.assertEqual(self.panel.get(path).status, 200)

    def test_request_validation(self):
        cases = [
            ({}, "access_key - Field required"),
            ({"access_key": ""}, "access_key - String should have at least 1 character"),
            ({"access_key": "x" * 4097}, "access_key - String should have at most 4096 characters"),
            ({"access_key": 123}, "access_key - Input should be a valid string"),
            ({"access_key": ACCESS_KEY, "unexpected": True}, "unexpected - Extra inputs are not permitted"),
        ]
        for body, detail in cases:
            with self.subTest(body=str(body)[:40]):
                self.assertError(self.access_raw(body, "198.51.100.50"), 422, detail, "validation_error")
        for raw in ("not json", "[]", '"access"', ""):
            with self.subTest(raw=raw):
                r = self.panel.post("/api/access", raw, xff("198.51.100.50") + [("Content-Type", "application/json")])
                self.assertError(r, 422, code="validation_error")
        # None of this counted as a failed attempt.
        self.assertEqual(self.access(ACCESS_KEY, "198.51.100.50").status, 200)

    def access_raw(self, body, ip):
        return self.panel.post("/api/access", body, xff(ip))

    def test_a_key_of_4096_characters_is_a_wrong_key_not_a_validation_error(self):
        self.assertError(self.access("k" * 4096, "198.51.100.51"), 401, "Invalid access key")

    def test_wrong_key(self):
        r = self.access("wrong", "198.51.100.1")
        self.assertError(r, 401, "Invalid access key", "authentication_required")
        self.assertIsNone(r.header("Set-Cookie"))

    def test_right_key_sets_the_signed_cookie(self):
        before = int(time.time())
        r = self.access(ACCESS_KEY, "198.51.100.2")
        self.assertEqual(r.status, 200, r)
        body = r.json()
        self.assertEqual(set(body), {"authenticated", "expires_at"})
        self.assertIs(body["authenticated"], True)
        self.assertRegex(body["expires_at"], ISO_UTC)
        expires = datetime.fromisoformat(body["expires_at"]).timestamp()
        self.assertAlmostEqual(expires, before + 10800, delta=5)
        self.assertEqual(len(r.headers.get_all("Set-Cookie")), 1)
        name, token, attrs = cookie_attributes(r.header("Set-Cookie"))
        self.assertEqual(name, "gpt_image_access")
        self.assertIn("httponly", attrs)
        self.assertEqual(attrs.get("samesite"), "Lax")
        self.assertEqual(attrs.get("max-age"), "10800")
        self.assertEqual(attrs.get("path"), "/")
        self.assertEqual(email.utils.parsedate_to_datetime(attrs["expires"]).timestamp(), int(expires))
        self.assertNotIn("secure", attrs)
        # Token format (§2.5): b64url(compact payload) "." b64url(HMAC-SHA256(ACCESS_KEY, payload part)).
        payload, mac = token.split(".", 1)
        self.assertNotIn("=", token)
        decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        self.assertEqual(decoded, json.dumps({"exp": int(expires), "scope": "access"}, separators=(",", ":")).encode())
        expected_mac = hmac.new(ACCESS_KEY.encode(), payload.encode(), hashlib.sha256).digest()
        self.assertEqual(base64.urlsafe_b64decode(mac + "=" * (-len(mac) % 4)), expected_mac)

    def test_the_cookie_unlocks_protected_routes_and_status(self):
        cookie = self.panel.unlock(headers=xff("198.51.100.3"))
        r = self.panel.get("/api/version", [("Cookie", cookie)])
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.json()["version"])
        r = self.panel.get("/api/version", [("Cookie", f"theme=dark; {cookie}; other=1")])
        self.assertEqual(r.status, 200, r)
        r = self.panel.get("/api/access/status", [("Cookie", cookie)])
        self.assertEqual(r.status, 200)
        status = r.json()
        self.assertIs(status["authenticated"], True)
        self.assertRegex(status["expires_at"], ISO_UTC)
        self.assertAlmostEqual(datetime.fromisoformat(status["expires_at"]).timestamp(), time.time() + 10800, delta=10)

    def test_forged_tampered_and_expired_cookies_are_refused(self):
        now = int(time.time())
        good = mint_token(ACCESS_KEY, now + 600)
        payload, mac = good.split(".")
        tampered_payload = mint_token(ACCESS_KEY, now + 99999).split(".")[0]
        forged = {
            "garbage": "abc",
            "empty": "",
            "no-mac": payload,
            "other-key": mint_token("not-the-key", now + 600),
            "tampered-payload": f"{tampered_payload}.{mac}",
            "tampered-mac": f"{payload}.{mac[:-2]}AA",
            "expired": mint_token(ACCESS_KEY, now - 5),
            "wrong-scope": mint_token(ACCESS_KEY, now + 600, scope="admin"),
            "padded": good + "==",
        }
        for label, token in forged.items():
            with self.subTest(label):
                cookie = [("Cookie", f"gpt_image_access={token}")]
                self.assertError(self.panel.get("/api/version", cookie), 401, "Access key required")
                self.assertEqual(self.panel.get("/api/access/status", cookie).json(),
                                 {"authenticated": False, "expires_at": None})
        # Any holder of ACCESS_KEY can mint a token the server accepts (stateless format).
        r = self.panel.get("/api/access/status", [("Cookie", f"gpt_image_access={good}")])
        self.assertEqual(r.json()["authenticated"], True)
        self.assertEqual(datetime.fromisoformat(r.json()["expires_at"]).timestamp(), now + 600)
        self.assertEqual(self.panel.get("/api/version", [("Cookie", f"gpt_image_access={good}")]).status, 200)

    def test_lockout_after_max_failures_even_for_the_right_key(self):
        ip = "203.0.113.10"
        for attempt in range(3):
            with self.subTest(attempt=attempt + 1):
                self.assertError(self.access("wrong", ip), 401, "Invalid access key")
        r = self.access("wrong", ip)
        body = self.assertError(r, 429, code="rate_limited")
        seconds = int(LOCKED.match(body["detail"]).group(1))
        self.assertTrue(295 <= seconds <= 300, body["detail"])
        r = self.access(ACCESS_KEY, ip)
        self.assertEqual(r.status, 429)
        self.assertIsNone(r.header("Set-Cookie"))
        # Another client is not affected.
        self.assertEqual(self.access(ACCESS_KEY, "203.0.113.11").status, 200)

    def test_a_correct_key_clears_the_counter(self):
        ip = "203.0.113.20"
        for _ in range(2):
            self.assertEqual(self.access("wrong", ip).status, 401)
        self.assertEqual(self.access(ACCESS_KEY, ip).status, 200)
        for _ in range(3):
            self.assertEqual(self.access("wrong", ip).status, 401)
        self.assertEqual(self.access("wrong", ip).status, 429)

    def test_lockout_follows_the_resolved_client_ip(self):
        # Rightmost untrusted X-Forwarded-For entry is the client; a spoofed leftmost entry is ignored.
        for _ in range(3):
            self.assertEqual(self.access("wrong", "203.0.113.30, 127.0.0.1").status, 401)
        self.assertEqual(self.access(ACCESS_KEY, "1.2.3.4, 203.0.113.30").status, 429)
        # X-Real-IP is used when X-Forwarded-For is absent.
        r = self.panel.post("/api/access", {"access_key": ACCESS_KEY}, [("X-Real-IP", " 203.0.113.30 ")])
        self.assertEqual(r.status, 429)


class CookieNameSecureAndBoundedTable(PanelCase):
    env = {"ACCESS_KEY": ACCESS_KEY, "ACCESS_KEY_COOKIE_NAME": "panel_session", "ACCESS_MAX_FAILURES": "1",
           "ACCESS_FAILURE_TABLE_SIZE": "3", **PROXY}

    def test_cookie_name_and_secure_by_default(self):
        r = self.panel.post("/api/access", {"access_key": ACCESS_KEY}, xff("192.0.2.100"))
        self.assertEqual(r.status, 200, r)
        name, token, attrs = cookie_attributes(r.header("Set-Cookie"))
        self.assertEqual(name, "panel_session")
        self.assertIn("secure", attrs)
        self.assertIn("httponly", attrs)
        self.assertEqual(self.panel.get("/api/version", [("Cookie", f"panel_session={token}")]).status, 200)
        self.assertEqual(self.panel.get("/api/version", [("Cookie", f"gpt_image_access={token}")]).status, 401)

    def test_failure_table_is_bounded_and_evicts_the_oldest(self):
        ips = [f"192.0.2.{n}" for n in range(1, 6)]
        for ip in ips:
            self.assertEqual(self.panel.post("/api/access", {"access_key": "bad"}, xff(ip)).status, 401)
        # Only the last three are still tracked: the first two were evicted and may try again.
        for ip in ips[:2]:
            with self.subTest(evicted=ip):
                self.assertEqual(self.panel.post("/api/access", {"access_key": ACCESS_KEY}, xff(ip)).status, 200)
        for ip in ips[2:]:
            with self.subTest(tracked=ip):
                self.assertEqual(self.panel.post("/api/access", {"access_key": ACCESS_KEY}, xff(ip)).status, 429)


class LockoutExpires(PanelCase):
    env = {"ACCESS_KEY": ACCESS_KEY, "ACCESS_COOKIE_SECURE": "false", "ACCESS_MAX_FAILURES": "1",
           "ACCESS_LOCKOUT_SECONDS": "2"}

    def test_lockout_ends_after_access_lockout_seconds(self):
        self.assertEqual(self.panel.post("/api/access", {"access_key": "bad"}).status, 401)
        r = self.panel.post("/api/access", {"access_key": ACCESS_KEY})
        self.assertEqual(r.status, 429)
        # N = max(1, floor(lockout - elapsed)): a moment after the failure, 1 of 2 seconds is left whole.
        self.assertEqual(r.detail, "Too many failed attempts. Try again in 1 seconds.")
        time.sleep(1.0)
        # A refused attempt is not evaluated, so it does not extend the lockout either.
        self.assertEqual(self.panel.post("/api/access", {"access_key": "bad"}).status, 429)
        time.sleep(1.2)
        self.assertEqual(self.panel.post("/api/access", {"access_key": ACCESS_KEY}).status, 200)


class Unauthenticated(PanelCase):
    env = {"ALLOW_UNAUTHENTICATED": "true"}

    def test_status_is_authenticated_without_expiry(self):
        self.assertEqual(self.panel.get("/api/access/status").json(), {"authenticated": True, "expires_at": None})

    def test_post_access_succeeds_without_a_cookie(self):
        r = self.panel.post("/api/access", {"access_key": "anything"})
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json(), {"authenticated": True, "expires_at": None})
        self.assertIsNone(r.header("Set-Cookie"))

    def test_validation_and_csrf_still_apply(self):
        self.assertError(self.panel.post("/api/access", {"access_key": ""}), 422)
        self.assertError(self.panel.post("/api/access", {"access_key": "x"}, origin=None), 403,
                         "CSRF origin check failed")

    def test_routes_are_open(self):
        self.assertEqual(self.panel.get("/api/version").status, 200)
        self.assertEqual(self.panel.get("/some/deep/link").status, 200)


if __name__ == "__main__":
    unittest.main()
