"""GET /api/version and /api/version/latest (spec §3.1)."""

import threading
import time
import unittest
from datetime import datetime, timezone

from .panel import ACCESS_KEY, ISO_UTC, PanelCase, mint_token
from .release_mock import ReleaseMock

DISABLED = {"latest_version": None, "has_update": False, "checked_at": None}
RELEASE = "/api/repos/acme/widget/releases/latest"
BRANCH = "/raw/acme/widget/stable/VERSION"


class VersionCase(PanelCase):
    def get(self, path):
        cookie = ("Cookie", "gpt_image_access=" + mint_token(ACCESS_KEY, time.time() + 600))
        r = self.panel.get(path, [cookie])
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("Cache-Control"), "private, no-store")
        return r.json()


class VersionFromFile(VersionCase):
    @classmethod
    def configure(cls, tmp):
        cls.version_file = tmp / "VERSION"
        cls.version_file.write_text("v1.2.3\n")
        return {"ACCESS_KEY": ACCESS_KEY, "VERSION_FILE": str(cls.version_file)}

    def test_needs_the_cookie(self):
        for path in ("/api/version", "/api/version/latest"):
            with self.subTest(path=path):
                self.assertError(self.panel.get(path), 401, "Access key required")

    def test_version_is_reread_on_every_request(self):
        try:
            self.assertEqual(self.get("/api/version"),
                             {"version": "v1.2.3", "github_repo": "", "release_url": None})
            self.version_file.write_text("  v1.2.4  \n")
            self.assertEqual(self.get("/api/version")["version"], "v1.2.4")
            self.version_file.unlink()
            self.assertEqual(self.get("/api/version")["version"], "v0.0.0")
            self.version_file.write_text("\n")
            self.assertEqual(self.get("/api/version")["version"], "v0.0.0")
        finally:
            self.version_file.write_text("v1.2.3\n")

    def test_latest_is_disabled_without_a_repository(self):
        self.assertEqual(self.get("/api/version/latest"), DISABLED)


class VersionCheckDisabled(VersionCase):
    @classmethod
    def configure(cls, tmp):
        cls.mock = ReleaseMock()
        cls.addClassCleanup(cls.mock.close)
        cls.mock.routes[RELEASE] = (200, {"tag_name": "v9.9.9"})
        (tmp / "VERSION").write_text("v1.0.0\n")
        return {"ACCESS_KEY": ACCESS_KEY, "VERSION_FILE": str(tmp / "VERSION"), "APP_VERSION": " 2.0.0 ",
                "GITHUB_REPO": "acme/widget", "ENABLE_VERSION_CHECK": "false",
                "VERSION_CHECK_API_URL": f"https://127.0.0.1:{cls.mock.port}/api", "EXTRA_CA_FILE": cls.mock.ca_file}

    def test_app_version_wins_and_repo_gives_a_release_url(self):
        self.assertEqual(self.get("/api/version"), {"version": "2.0.0", "github_repo": "acme/widget",
                                                    "release_url": "https://github.com/acme/widget/releases/latest"})

    def test_latest_is_disabled_and_fetches_nothing(self):
        self.assertEqual(self.get("/api/version/latest"), DISABLED)
        self.assertEqual(self.mock.requests, [])


# Long enough for a TLS handshake with the mock on a loaded 2-core machine, short
# enough that the hanging cases stay quick.
CHECK_TIMEOUT = 3


class LatestRelease(VersionCase):
    @classmethod
    def configure(cls, tmp):
        cls.mock = ReleaseMock()
        cls.addClassCleanup(cls.mock.close)
        return {"ACCESS_KEY": ACCESS_KEY, "APP_VERSION": "1.0.0", "GITHUB_REPO": "acme/widget",
                "VERSION_CHECK_API_URL": f"https://127.0.0.1:{cls.mock.port}/api/",
                "VERSION_CHECK_RAW_URL": f"https://localhost:{cls.mock.port}/raw",
                "VERSION_CHECK_BRANCH": "stable", "VERSION_CHECK_TIMEOUT_SECONDS": str(CHECK_TIMEOUT),
                "EXTRA_CA_FILE": cls.mock.ca_file}

    def setUp(self):
        self.mock.reset()

    def tearDown(self):
        self.mock.reset()

    def assertFound(self, body, latest, has_update):
        self.assertEqual(set(body), {"latest_version", "has_update", "checked_at"})
        self.assertEqual(body["latest_version"], latest)
        self.assertIs(body["has_update"], has_update)
        self.assertRegex(body["checked_at"], ISO_UTC)
        age = datetime.now(timezone.utc) - datetime.fromisoformat(body["checked_at"])
        self.assertLess(abs(age.total_seconds()), 10)

    def test_release_api(self):
        self.mock.routes[RELEASE] = (200, {"tag_name": "v9.9.9", "name": "Release 9.9.9"})
        self.assertFound(self.get("/api/version/latest"), "9.9.9", True)
        self.assertEqual(self.mock.paths(), [RELEASE])
        headers = {k.lower(): v for k, v in self.mock.requests[0][1].items()}
        self.assertEqual(headers.get("accept"), "application/vnd.github+json")
        self.assertEqual(headers.get("user-agent"), "gpt-image-linux-version-check")

    def test_every_request_fetches_again(self):
        self.mock.routes[RELEASE] = (200, {"tag_name": "v1.0.1"})
        self.assertFound(self.get("/api/version/latest"), "1.0.1", True)
        self.mock.routes[RELEASE] = (200, {"tag_name": "v1.0.0"})
        self.assertFound(self.get("/api/version/latest"), "1.0.0", False)
        self.assertEqual(self.mock.paths(), [RELEASE, RELEASE])

    def test_numeric_comparison(self):
        cases = [("v0.9.0", "0.9.0", False), ("1.0.0", "1.0.0", False), ("V1.10.0", "1.10.0", True),
                 ("v1.0", "1.0", False), ("1.0.0.1", "1.0.0.1", True), ("v1.0.10", "1.0.10", True),
                 ("v0.99.99", "0.99.99", False), ("2", "2", True)]
        for tag, latest, has_update in cases:
            with self.subTest(tag=tag):
                self.mock.routes[RELEASE] = (200, {"tag_name": tag})
                self.assertFound(self.get("/api/version/latest"), latest, has_update)

    def test_falls_back_to_the_branch_version_file(self):
        for release in ((404, {"message": "Not Found"}), (200, {"name": "no tag"}), (200, "not json"),
                        (200, {"tag_name": ""}), (500, {"tag_name": "v8.0.0"})):
            with self.subTest(release=release):
                self.mock.reset()
                self.mock.routes[RELEASE] = release
                self.mock.routes[BRANCH] = (200, "v3.4.5\n")
                self.assertFound(self.get("/api/version/latest"), "3.4.5", True)
                self.assertEqual(self.mock.paths(), [RELEASE, BRANCH])

    def test_both_failing_is_all_null(self):
        for branch in ((404, "404: Not Found"), (200, "  \n"), (500, "oops")):
            with self.subTest(branch=branch):
                self.mock.reset()
                self.mock.routes[BRANCH] = branch
                self.assertEqual(self.get("/api/version/latest"), DISABLED)
                self.assertEqual(self.mock.paths(), [RELEASE, BRANCH])

    def test_a_hanging_release_api_falls_back_in_time(self):
        self.mock.routes[RELEASE] = "hang"
        self.mock.routes[BRANCH] = (200, "1.5.0")
        started = time.monotonic()
        self.assertFound(self.get("/api/version/latest"), "1.5.0", True)
        self.assertLess(time.monotonic() - started, CHECK_TIMEOUT + 3)

    def test_a_hanging_server_still_answers(self):
        self.mock.routes[RELEASE] = "hang"
        self.mock.routes[BRANCH] = "hang"
        started = time.monotonic()
        self.assertEqual(self.get("/api/version/latest"), DISABLED)
        self.assertLess(time.monotonic() - started, 2 * CHECK_TIMEOUT + 3)


class LatestNeverBlocks(VersionCase):
    @classmethod
    def configure(cls, tmp):
        cls.mock = ReleaseMock()
        cls.addClassCleanup(cls.mock.close)
        cls.mock.routes[RELEASE] = "hang"
        cls.mock.routes[BRANCH] = "hang"
        return {"ACCESS_KEY": ACCESS_KEY, "APP_VERSION": "1.0.0", "GITHUB_REPO": "acme/widget",
                "VERSION_CHECK_API_URL": f"https://127.0.0.1:{cls.mock.port}/api",
                "VERSION_CHECK_RAW_URL": f"https://127.0.0.1:{cls.mock.port}/raw",
                "VERSION_CHECK_BRANCH": "stable", "VERSION_CHECK_TIMEOUT_SECONDS": "2",
                "EXTRA_CA_FILE": cls.mock.ca_file}

    def test_other_requests_answer_while_checks_hang(self):
        results = []
        checks = [threading.Thread(target=lambda: results.append(self.get("/api/version/latest")))
                  for _ in range(4)]
        for t in checks:
            t.start()
        wait_until_requests = time.monotonic() + 5
        while len(self.mock.requests) < 4 and time.monotonic() < wait_until_requests:
            time.sleep(0.02)
        self.assertGreaterEqual(len(self.mock.requests), 4, "the checks did not start in parallel")
        started = time.monotonic()
        self.assertEqual(self.get("/api/version")["version"], "1.0.0")
        self.assertEqual(self.panel.get("/health").status, 200)
        self.assertLess(time.monotonic() - started, 1.0)
        for t in checks:
            t.join(15)
        self.assertEqual(results, [DISABLED] * 4)


class BlankAppVersion(VersionCase):
    @classmethod
    def configure(cls, tmp):
        (tmp / "VERSION").write_text("v4.5.6\n")
        return {"ACCESS_KEY": ACCESS_KEY, "VERSION_FILE": str(tmp / "VERSION"), "APP_VERSION": "   "}

    def test_blank_app_version_falls_back_to_the_file(self):
        self.assertEqual(self.get("/api/version")["version"], "v4.5.6")


class UntrustedCertificate(VersionCase):
    @classmethod
    def configure(cls, tmp):
        cls.mock = ReleaseMock()
        cls.addClassCleanup(cls.mock.close)
        cls.mock.routes[RELEASE] = (200, {"tag_name": "v9.9.9"})
        return {"ACCESS_KEY": ACCESS_KEY, "APP_VERSION": "1.0.0", "GITHUB_REPO": "acme/widget",
                "VERSION_CHECK_API_URL": f"https://127.0.0.1:{cls.mock.port}/api",
                "VERSION_CHECK_RAW_URL": f"https://127.0.0.1:{cls.mock.port}/raw"}

    def test_without_extra_ca_the_check_fails_closed(self):
        self.assertEqual(self.get("/api/version/latest"), DISABLED)
        self.assertEqual(self.mock.requests, [], "no request may be sent over an untrusted connection")


if __name__ == "__main__":
    unittest.main()
