"""The preset health check from outside (spec §3.3, §6.9): the checks and their order, the OPTIONS/HEAD probe
against the HTTPS mock upstream (resolved env key as Bearer, never through SOCKS5, never a generation request),
the overall status that ignores the probe, SSRF refusals, a missing key variable, and the 404/422 answers."""

import hashlib
import unittest

from .settings_support import SecretWatch
from .upstream import JobsCase, Panel

PATH_OK = {"name": "api_path", "status": "ok", "message": "API path /v1/images/generations is supported"}
SSRF_OK = {"name": "ssrf", "status": "ok", "message": "API URL passed scheme, host allowlist, DNS, and private-IP checks"}
KEY_OK = {"name": "api_key", "status": "ok", "message": "API key is read from environment variable TEST_OPENAI_API_KEY"}
SKIPPED = {"name": "upstream_probe", "status": "warning",
           "message": "Skipped upstream probe because local URL/path validation failed"}


def sha(text):
    return hashlib.sha256(text.encode()).hexdigest()


class PresetHealth(SecretWatch, JobsCase):
    env = {"DEFAULT_API_KEY": "${TEST_OPENAI_API_KEY}", "TEST_OPENAI_API_KEY": "env-secret",
           "DEAD_PROXY": "socks5://user:secret@127.0.0.1:9"}

    def setUp(self):
        self.mock.reset()

    def call(self, method, path, body=None, panel=None):
        return self.record(self.api(method, path, body, panel=panel))

    def health(self, preset_id="default", body=None, panel=None):
        r = self.call("POST", f"/api/settings/presets/{preset_id}/health", body, panel=panel)
        self.assertEqual(r.status, 200, r)
        body = r.json()
        self.assertEqual(set(body), {"status", "checks"})
        return body

    def configure_mock(self, **switches):
        self.mock.call("POST", "/mock/config", switches)

    def probes(self):
        return [r for r in self.mock.stats()["requests"] if r["endpoint"] != "files"]

    def new_preset(self, **fields):
        s = self.call("POST", "/api/settings/presets", fields).json()
        self.addCleanup(lambda: self.call("DELETE", f"/api/settings/presets/{s['active_preset_id']}"))
        return s["active_preset_id"]

    # -- a healthy preset --------------------------------------------------------------------
    def test_env_key_reaches_the_probe(self):
        s = self.call("GET", "/api/settings").json()
        self.assertEqual((s["api_key_masked"], s["api_key_source"], s["api_key_env_var"]),
                         ("${TEST_OPENAI_API_KEY}", "env", "TEST_OPENAI_API_KEY"))
        body = self.health()
        self.assertEqual(body, {"status": "ok", "checks": [
            PATH_OK, SSRF_OK, KEY_OK,
            {"name": "upstream_probe", "status": "ok", "message": "OPTIONS probe succeeded with HTTP 204"}]})
        probes = self.probes()
        self.assertEqual(len(probes), 1, probes)
        self.assertEqual((probes[0]["method"], probes[0]["path"]), ("OPTIONS", "/v1/images/generations"))
        self.assertEqual(probes[0]["auth_sha256"], sha("env-secret"))
        self.assertEqual(probes[0]["headers"]["user-agent"], "opencode")

    def test_probe_is_never_sent_through_socks5(self):
        url = self.call("GET", "/api/settings").json()["api_url"]
        r = self.call("POST", "/api/settings", {"api_url": url, "upstream_socks5_proxy": "${DEAD_PROXY}"})
        self.assertEqual(r.status, 200, r)
        try:
            body = self.health()
            self.assertEqual(body["checks"][-1]["status"], "ok", body)
            self.assertEqual(len(self.probes()), 1)
        finally:
            self.call("POST", "/api/settings", {"api_url": url, "upstream_socks5_proxy": ""})

    def test_without_credentials(self):
        body = self.health(body={"use_credentials": False})
        self.assertEqual(body["status"], "ok")
        self.assertIsNone(self.probes()[0]["auth_sha256"])

    # -- the probe's classification (§6.9) ---------------------------------------------------
    def test_options_404_falls_back_to_head(self):
        self.configure_mock(options_status=404)
        body = self.health()
        probe = body["checks"][-1]
        self.assertEqual(probe["status"], "warning", body)
        self.assertIn("may only support POST", probe["message"])
        self.assertEqual(body["status"], "ok")
        self.assertEqual([p["method"] for p in self.probes()], ["OPTIONS", "HEAD"])
        self.assertEqual(self.probes()[1]["auth_sha256"], sha("env-secret"))

    def test_head_answer_wins_after_unsupported_options(self):
        self.configure_mock(options_status=405, head_status=401)
        probe = self.health()["checks"][-1]
        self.assertEqual(probe, {"name": "upstream_probe", "status": "ok",
                                 "message": "HEAD probe reached the endpoint and got HTTP 401"})

    def test_server_error_is_a_warning(self):
        self.configure_mock(options_status=500)
        body = self.health()
        self.assertEqual(body["checks"][-1], {"name": "upstream_probe", "status": "warning",
                                              "message": "OPTIONS probe reached upstream but got HTTP 500"})
        self.assertEqual(len(self.probes()), 1)

    def test_probe_error_does_not_change_the_overall_status(self):
        self.configure_mock(options_status=301)
        body = self.health()
        self.assertEqual(body["checks"][-1], {
            "name": "upstream_probe", "status": "error",
            "message": "OPTIONS probe returned redirect HTTP 301; redirects are not followed"})
        self.assertEqual(body["status"], "ok")

    def test_unreachable_upstream(self):
        preset = self.new_preset(api_url="https://127.0.0.1:9")
        body = self.health(preset)
        probe = body["checks"][-1]
        self.assertEqual(probe["status"], "error", body)
        self.assertTrue(probe["message"].startswith("Upstream probe failed: OPTIONS: "), probe)
        self.assertIn("; HEAD: ", probe["message"])
        self.assertEqual(body["status"], "ok")

    # -- local failures -------------------------------------------------------------------
    def test_missing_key_variable(self):
        preset = self.new_preset(api_key="${MISSING_IMAGE_KEY}")
        body = self.health(preset)
        self.assertEqual(body["status"], "error")
        key = [c for c in body["checks"] if c["name"] == "api_key"]
        self.assertEqual(key, [{"name": "api_key", "status": "error",
                                "message": "API key environment variable MISSING_IMAGE_KEY is not set or empty"}])
        # Probed anyway, without a key.
        self.assertIsNone(self.probes()[0]["auth_sha256"])
        r = self.generate("missing key")
        self.assertEqual(r.status, 400, r)
        self.assertIn("MISSING_IMAGE_KEY", r.detail)

    def test_empty_key(self):
        preset = self.new_preset(api_key="")
        body = self.health(preset)
        self.assertEqual(body["status"], "error")
        self.assertIn({"name": "api_key", "status": "error", "message": "API key is not configured"}, body["checks"])

    def test_ssrf_refusals_skip_the_probe(self):
        port = self.mock.port
        cases = [(f"https://localhost:{port}", "Hostname 'localhost' is not allowed"),
                 (f"https://127.0.0.2:{port}", "Hostname '127.0.0.2' resolves to private/internal IP(s): '127.0.0.2'")]
        for url, message in cases:
            with self.subTest(url=url):
                body = self.health(self.new_preset(api_url=url))
                self.assertEqual(body, {"status": "error", "checks": [
                    PATH_OK, {"name": "ssrf", "status": "error", "message": message}, KEY_OK, SKIPPED]})
        self.assertEqual(self.probes(), [])

    def test_other_paths_are_probed_where_jobs_go(self):
        preset = self.new_preset(api_url=self.mock.url + "/v1", api_path="/v1/chat/completions")
        body = self.health(preset)
        self.assertEqual(body["checks"][0], {"name": "api_path", "status": "ok",
                                             "message": "API path /v1/chat/completions is supported"})
        self.assertEqual(self.probes()[0]["path"], "/v1/chat/completions")

    def test_no_url_configured(self):
        env = self.base_env(self.tmp)
        env.update(self.env)
        env["DEFAULT_API_URL"] = ""
        panel = Panel(env).start()
        try:
            body = self.health(panel=panel)
            self.assertEqual(body, {"status": "error", "checks": [
                PATH_OK, {"name": "api_url", "status": "error", "message": "API URL is not configured"}, KEY_OK,
                SKIPPED]})
        finally:
            self.assertEqual(panel.stop()[0], 0)

    # -- refusals ------------------------------------------------------------------------
    def test_unknown_preset_and_bad_bodies(self):
        self.assertError(self.call("POST", "/api/settings/presets/nope/health"), 404, "Preset not found", "not_found")
        self.assertError(self.call("POST", "/api/settings/presets/default/health", {"x": 1}), 422,
                         "x - Extra inputs are not permitted")
        self.assertError(self.call("POST", "/api/settings/presets/default/health", {"use_credentials": "no"}), 422,
                         "use_credentials - Input should be a valid boolean")
        self.assertError(self.call("PUT", "/api/settings/presets/default/health"), 405, "Method Not Allowed")
        self.assertEqual(self.probes(), [])

    def test_health_never_generates(self):
        self.health()
        self.configure_mock(options_status=405, head_status=405)
        self.health()
        self.assertNotIn("POST", [p["method"] for p in self.probes()])


if __name__ == "__main__":
    unittest.main()
