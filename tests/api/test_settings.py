"""Settings and presets from outside (spec §3.3, §7.1, §7.4, §11.1, §16): the SettingsResponse, saving,
strict bodies and their 422s, presets create/activate/delete, optimizer and R2 fields, persistence across a
restart, and new jobs picking up a saved preset at once."""

import hashlib
import re
import tempfile
import unittest

from .panel import Panel
from .settings_support import (OPTIMIZER_KEYS, ORIGINAL_ENV, PRESET_KEYS, R2_KEYS, RESOLVED_SECRETS, SETTINGS_KEYS,
                               SecretWatch, SettingsCase, db_preset, db_setting)
from .upstream import MOCK_API_KEY, JobsCase, tag

HEX32 = re.compile(r"^[0-9a-f]{32}$")
URL = "https://api.example.com"


class FreshSettings(SettingsCase):
    """A panel that no test writes to: the initial state of §3.3."""

    def test_initial_state(self):
        s = self.settings()
        self.assertEqual(set(s), SETTINGS_KEYS)
        self.assertEqual(s["active_preset_id"], "default")
        self.assertEqual(len(s["presets"]), 1)
        p = s["presets"][0]
        self.assertEqual(set(p), PRESET_KEYS)
        self.assertEqual(p, {"id": "default", "name": "Default", "api_url": URL, "api_path": "/v1/images/generations",
                             "default_model": "gpt-image-2", "default_response_format": "url",
                             "api_key_masked": "${TEST_DEFAULT_API_KEY}", "has_api_key": True,
                             "api_key_source": "env", "api_key_env_var": "TEST_DEFAULT_API_KEY"})
        for key in ("api_url", "api_path", "default_model", "default_response_format", "api_key_masked",
                    "has_api_key", "api_key_source", "api_key_env_var"):
            self.assertEqual(s[key], p[key], key)
        self.assertEqual((s["has_upstream_socks5_proxy"], s["upstream_socks5_proxy_masked"]), (False, ""))
        self.assertEqual((s["has_webhook_url"], s["webhook_url_masked"]), (False, ""))
        self.assertEqual(s["prompt_optimizer"], {
            "enabled": False, "api_url": "", "model": "gpt-4o-mini", "timeout_seconds": 60, "api_key_masked": "***",
            "has_api_key": False, "api_key_source": "empty", "api_key_env_var": None})
        self.assertEqual(set(s["r2_backup"]), R2_KEYS)
        self.assertEqual(s["r2_backup"], {
            "enabled": False, "endpoint_url": "", "bucket_name": "", "region": "auto", "key_prefix": "gallery/",
            "sync_interval_hours": 0, "access_key_id_masked": "***", "has_access_key_id": False,
            "access_key_id_source": "empty", "access_key_id_env_var": None, "secret_access_key_masked": "***",
            "has_secret_access_key": False, "secret_access_key_source": "empty",
            "secret_access_key_env_var": None})
        self.assertEqual(set(s["prompt_optimizer"]), OPTIMIZER_KEYS)

    def test_stored_seed(self):
        self.assertEqual(db_preset(self.data_dir, "default"),
                         ("Default", URL, "${TEST_DEFAULT_API_KEY}", "/v1/images/generations", "", "url"))
        self.assertEqual(db_setting(self.data_dir, "active_preset_id"), "default")

    def test_get_settings_is_json_and_not_cached(self):
        r = self.call("GET", "/api/settings")
        self.assertEqual(r.header("Content-Type"), "application/json")
        self.assertEqual(r.header("Cache-Control"), "private, no-store")


class SaveSettings(SettingsCase):
    def test_path_model_format_update_and_keep(self):
        s = self.save({"api_url": URL, "api_path": "/v1/responses", "default_model": "gpt-image-1",
                       "default_response_format": "b64_json"})
        self.assertEqual((s["api_path"], s["default_model"], s["default_response_format"]),
                         ("/v1/responses", "gpt-image-1", "b64_json"))
        s = self.save({"api_url": URL, "api_path": "/v1/chat/completions"})
        self.assertEqual((s["api_path"], s["default_model"], s["default_response_format"]),
                         ("/v1/chat/completions", "gpt-image-1", "b64_json"))
        self.assertEqual(s["presets"][0]["default_model"], "gpt-image-1")
        # An absent api_path is the model's default; a blank model is the path's default.
        s = self.save({"api_url": URL, "default_model": "  ", "default_response_format": ""})
        self.assertEqual((s["api_path"], s["default_model"], s["default_response_format"]),
                         ("/v1/images/generations", "gpt-image-2", ""))
        self.assertEqual(db_preset(self.data_dir, s["active_preset_id"])[4:], ("", ""))

    def test_url_is_normalised_and_name_trimmed(self):
        s = self.save({"api_url": "  https://API.Example.com:8443/v1/  ", "preset_name": "  Renamed  "})
        self.assertEqual(s["api_url"], "https://api.example.com:8443/v1")
        self.assertEqual(s["presets"][0]["name"], "Renamed")
        s = self.save({"api_url": URL, "preset_name": "   "})
        self.assertEqual(s["presets"][0]["name"], "Renamed")
        s = self.save({"api_url": URL})
        self.assertEqual(s["presets"][0]["name"], "Renamed")

    def test_edit_another_preset_activates_it(self):
        first = self.settings()["active_preset_id"]
        created = self.call("POST", "/api/settings/presets", {"name": "Second"}).json()
        second = created["active_preset_id"]
        second_url = created["api_url"]
        self.assertNotEqual(first, second)
        s = self.save({"active_preset_id": first, "api_url": "https://first.example.com"})
        self.assertEqual(s["active_preset_id"], first)
        self.assertEqual(s["api_url"], "https://first.example.com")
        by_id = {p["id"]: p for p in s["presets"]}
        self.assertEqual(by_id[first]["api_url"], "https://first.example.com")
        self.assertEqual(by_id[second]["api_url"], second_url)
        self.assertEqual(by_id[second]["name"], "Second")
        self.assertEqual(self.call("DELETE", f"/api/settings/presets/{second}").status, 200)

    def test_unknown_preset_is_404(self):
        r = self.call("POST", "/api/settings", {"active_preset_id": "nope", "api_url": URL})
        self.assertError(r, 404, "Preset not found", "not_found")

    def test_validation_422s(self):
        long = "x" * 10
        cases = [
            ({"api_url": URL, "unexpected": True}, "unexpected - Extra inputs are not permitted"),
            ({}, "api_url - Field required"),
            ({"api_url": None}, "api_url - Input should be a valid string"),
            ({"api_url": ""}, "api_url - String should have at least 1 character"),
            ({"api_url": "https://" + "a" * 2048}, "api_url - String should have at most 2048 characters"),
            ({"api_url": "http://api.example.com"}, "API URL must use https://"),
            ({"api_url": "https://user:pw@api.example.com"}, "API URL must not include username or password"),
            ({"api_url": "https://api.example.com?x=1"}, "API URL must not include query strings or fragments"),
            ({"api_url": "https://api.example.com#f"}, "API URL must not include query strings or fragments"),
            ({"api_url": "https://api.example.com:99999"}, "API URL must include a valid port"),
            ({"api_url": "   "}, "API URL must not be empty"),
            ({"api_url": URL, "api_path": "/v1/images/edits"},
             "api_path - Input should be '/v1/images/generations', '/v1/responses' or '/v1/chat/completions'"),
            ({"api_url": URL, "default_response_format": "png"},
             "default_response_format - Input should be '', 'url' or 'b64_json'"),
            ({"api_url": URL, "preset_name": "n" * 161}, "preset_name - String should have at most 160 characters"),
            ({"api_url": URL, "active_preset_id": "i" * 129}, "active_preset_id - String should have at most 128"),
            ({"api_url": URL, "default_model": "m" * 201}, "default_model - String should have at most 200"),
            ({"api_url": URL, "api_key": "k" * 8193}, "api_key - String should have at most 8192 characters"),
            ({"api_url": URL, "upstream_socks5_proxy": "s" * 2049}, "upstream_socks5_proxy - String should have"),
            ({"api_url": URL, "webhook_url": "w" * 2049}, "webhook_url - String should have at most 2048"),
            ({"api_url": URL, "api_key": 5}, "api_key - Input should be a valid string"),
            ({"api_url": URL, "prompt_optimizer": long}, "prompt_optimizer - Input should be a valid dictionary"),
            ({"api_url": URL, "prompt_optimizer": {"extra": 1}},
             "prompt_optimizer.extra - Extra inputs are not permitted"),
            ({"api_url": URL, "prompt_optimizer": {"timeout_seconds": 0}},
             "prompt_optimizer.timeout_seconds - Input should be greater than or equal to 1"),
            ({"api_url": URL, "prompt_optimizer": {"timeout_seconds": "5"}},
             "prompt_optimizer.timeout_seconds - Input should be a valid integer"),
            ({"api_url": URL, "prompt_optimizer": {"enabled": "yes"}},
             "prompt_optimizer.enabled - Input should be a valid boolean"),
            ({"api_url": URL, "prompt_optimizer": {"api_url": "http://opt.example.com"}},
             "prompt_optimizer.api_url - API URL must use https://"),
            ({"api_url": URL, "prompt_optimizer": {"model": "m" * 201}}, "prompt_optimizer.model - String should"),
            ({"api_url": URL, "r2_backup": {"extra": 1}}, "r2_backup.extra - Extra inputs are not permitted"),
            ({"api_url": URL, "r2_backup": {"sync_interval_hours": -1}},
             "r2_backup.sync_interval_hours - Input should be greater than or equal to 0"),
            ({"api_url": URL, "r2_backup": {"sync_interval_hours": "6"}},
             "r2_backup.sync_interval_hours - Input should be a valid integer"),
            ({"api_url": URL, "r2_backup": {"sync_interval_hours": 1.5}},
             "r2_backup.sync_interval_hours - Input should be a valid integer"),
            ({"api_url": URL, "r2_backup": {"sync_interval_hours": True}},
             "r2_backup.sync_interval_hours - Input should be a valid integer"),
            ({"api_url": URL, "r2_backup": {"endpoint_url": "http://acc.r2.cloudflarestorage.com"}},
             "r2_backup.endpoint_url - R2 endpoint URL must use https://"),
            ({"api_url": URL, "r2_backup": {"endpoint_url": "https://s3.example.com"}},
             "R2 endpoint hostname 's3.example.com' must be a Cloudflare R2 hostname"),
            ({"api_url": URL, "r2_backup": {"endpoint_url": "https://1.2.3.4"}},
             "R2 endpoint URL must use a hostname, not an IP address"),
            ({"api_url": URL, "r2_backup": {"bucket_name": "b" * 256}}, "r2_backup.bucket_name - String should"),
            ({"api_url": URL, "r2_backup": {"region": "r" * 101}}, "r2_backup.region - String should"),
            ({"api_url": URL, "r2_backup": {"key_prefix": "p" * 1025}}, "r2_backup.key_prefix - String should"),
        ]
        before = self.settings()
        for body, fragment in cases:
            with self.subTest(body=str(body)[:120]):
                self.refused(body, fragment)
        self.assertEqual(self.settings(), before)

    def test_not_json_is_422(self):
        r = self.record(self.panel.request("POST", "/api/settings", [("Origin", self.panel.origin),
                                                                      ("Content-Type", "application/json")], "{nope"))
        self.assertError(r, 422)

    def test_optimizer_fields(self):
        s = self.save({"prompt_optimizer": {"enabled": True, "api_url": " https://OPT.example.com/v1/chat/completions/ ",
                                            "model": " gpt-4o ", "timeout_seconds": 12}})
        o = s["prompt_optimizer"]
        self.assertEqual((o["enabled"], o["api_url"], o["model"], o["timeout_seconds"]),
                         (True, "https://opt.example.com/v1/chat/completions", "gpt-4o", 12))
        # Merged: absent fields keep, null object leaves everything untouched.
        o = self.save({"prompt_optimizer": {"timeout_seconds": 30}})["prompt_optimizer"]
        self.assertEqual((o["enabled"], o["model"], o["timeout_seconds"]), (True, "gpt-4o", 30))
        self.assertEqual(self.save({"prompt_optimizer": None})["prompt_optimizer"], o)
        o = self.save({"prompt_optimizer": {"api_url": "  ", "model": "", "enabled": False}})["prompt_optimizer"]
        self.assertEqual((o["enabled"], o["api_url"], o["model"]), (False, "", "gpt-4o-mini"))

    def test_r2_fields(self):
        r2 = self.save({"r2_backup": {"enabled": True, "endpoint_url": "https://ACC.r2.cloudflarestorage.com/",
                                      "bucket_name": " images ", "region": " weur ", "key_prefix": "gallery-test",
                                      "sync_interval_hours": 6}})["r2_backup"]
        self.assertEqual((r2["enabled"], r2["endpoint_url"], r2["bucket_name"], r2["region"], r2["key_prefix"],
                          r2["sync_interval_hours"]),
                         (True, "https://acc.r2.cloudflarestorage.com", "images", "weur", "gallery-test/", 6))
        r2 = self.save({"r2_backup": {"key_prefix": "//a//b/", "region": ""}})["r2_backup"]
        self.assertEqual((r2["key_prefix"], r2["region"], r2["bucket_name"]), ("a/b/", "auto", "images"))
        r2 = self.save({"r2_backup": {"key_prefix": "", "endpoint_url": "", "enabled": False,
                                      "sync_interval_hours": 0}})["r2_backup"]
        self.assertEqual((r2["key_prefix"], r2["endpoint_url"], r2["enabled"], r2["sync_interval_hours"]),
                         ("", "", False, 0))
        self.assertEqual(self.settings()["r2_backup"], r2)


class Presets(SettingsCase):
    def test_create_activate_delete(self):
        self.save({"api_url": URL, "default_model": "gpt-image-1", "default_response_format": "b64_json",
                   "api_path": "/v1/responses"})
        original = self.settings()["active_preset_id"]
        r = self.call("POST", "/api/settings/presets", {"name": " Alt "})
        self.assertEqual(r.status, 200, r)
        s = r.json()
        self.assertEqual(set(s), SETTINGS_KEYS)
        self.assertEqual(len(s["presets"]), 2)
        alt = s["presets"][1]
        self.assertRegex(alt["id"], HEX32)
        self.assertEqual(s["active_preset_id"], alt["id"])
        self.assertEqual(alt["name"], "Alt")
        # Carried over from the source (the active preset).
        self.assertEqual((alt["api_url"], alt["api_path"], alt["default_model"], alt["default_response_format"],
                          alt["api_key_masked"]),
                         (URL, "/v1/responses", "gpt-image-1", "b64_json", "${TEST_DEFAULT_API_KEY}"))
        self.assertEqual(s["default_model"], "gpt-image-1")

        # Unnamed: "Preset <count+1>"; explicit fields win over the source.
        s = self.call("POST", "/api/settings/presets",
                      {"api_url": "https://other.example.com/", "api_path": "/v1/chat/completions",
                       "default_model": "m2", "default_response_format": "url", "api_key": "${TEST_OPENAI_API_KEY}",
                       "source_preset_id": original}).json()
        third = s["presets"][2]
        self.assertEqual(third["name"], "Preset 3")
        self.assertEqual((third["api_url"], third["api_path"], third["default_model"], third["api_key_env_var"]),
                         ("https://other.example.com", "/v1/chat/completions", "m2", "TEST_OPENAI_API_KEY"))
        # source_preset_id names the source; an unknown one falls back to the active preset.
        s = self.call("POST", "/api/settings/presets", {"source_preset_id": "nope"}).json()
        self.assertEqual(s["presets"][3]["api_url"], "https://other.example.com")
        s = self.call("POST", "/api/settings/presets", {"source_preset_id": original}).json()
        self.assertEqual(s["presets"][4]["api_url"], URL)
        self.assertEqual(s["presets"][4]["name"], "Preset 5")
        self.assertEqual([p["id"] for p in self.settings()["presets"]], [p["id"] for p in s["presets"]])

        # Activate.
        r = self.call("POST", f"/api/settings/presets/{alt['id']}/activate")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["active_preset_id"], alt["id"])
        self.assertEqual(db_setting(self.data_dir, "active_preset_id"), alt["id"])
        self.assertError(self.call("POST", "/api/settings/presets/nope/activate"), 404, "Preset not found")

        # Delete the active preset at index 1: the one now at index 1 (the third) becomes active.
        r = self.call("DELETE", f"/api/settings/presets/{alt['id']}")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["active_preset_id"], third["id"])
        self.assertIsNone(db_preset(self.data_dir, alt["id"]))
        self.assertError(self.call("DELETE", "/api/settings/presets/nope"), 404, "Preset not found")
        # Delete the last one while it is active: the new last becomes active.
        last = s["presets"][4]["id"]
        self.call("POST", f"/api/settings/presets/{last}/activate")
        self.assertEqual(self.call("DELETE", f"/api/settings/presets/{last}").json()["active_preset_id"],
                         s["presets"][3]["id"])
        for p in self.settings()["presets"][1:]:
            self.assertEqual(self.call("DELETE", f"/api/settings/presets/{p['id']}").status, 200)
        s = self.settings()
        self.assertEqual([p["id"] for p in s["presets"]], [original])
        self.assertEqual(s["active_preset_id"], original)
        self.assertError(self.call("DELETE", f"/api/settings/presets/{original}"), 400,
                         "At least one preset is required", "bad_request")

    def test_create_validation(self):
        cases = [({"bogus": 1}, "bogus - Extra inputs are not permitted"),
                 ({"name": "n" * 161}, "name - String should have at most 160 characters"),
                 ({"api_url": "http://x.example.com"}, "api_url - API URL must use https://"),
                 ({"api_path": "/v1/images/edits"}, "api_path - Input should be"),
                 ({"default_response_format": "x"}, "default_response_format - Input should be"),
                 ({"default_model": "m" * 201}, "default_model - String should have at most 200"),
                 ({"source_preset_id": "s" * 129}, "source_preset_id - String should have at most 128"),
                 ({"api_key": "literal-key"}, "API key must use ${ENV_VAR_NAME} unless ALLOW_PLAINTEXT_SECRETS=true."),
                 ({"api_key": "${BROKEN"}, "API key env ref must be formatted as ${ENV_VAR_NAME}.")]
        count = len(self.settings()["presets"])
        for body, fragment in cases:
            with self.subTest(body=body):
                self.refused(body, fragment, path="/api/settings/presets")
        self.assertEqual(len(self.settings()["presets"]), count)

    def test_create_without_body_and_clearing_the_key(self):
        r = self.record(self.panel.request("POST", "/api/settings/presets", [("Origin", self.panel.origin)]))
        self.assertEqual(r.status, 200, r)
        made = r.json()["presets"][-1]
        s = self.call("POST", "/api/settings/presets", {"api_key": "", "name": "Keyless"}).json()
        keyless = s["presets"][-1]
        self.assertEqual((keyless["has_api_key"], keyless["api_key_source"], keyless["api_key_masked"]),
                         (False, "empty", "***"))
        for p in (made, keyless):
            self.call("DELETE", f"/api/settings/presets/{p['id']}")

    def test_methods(self):
        for method, path, allow in (("PUT", "/api/settings/presets", "POST"), ("PUT", "/api/settings", "GET, POST"),
                                    ("PATCH", "/api/settings/presets/default", "DELETE")):
            with self.subTest(method=method, path=path):
                r = self.call(method, path)
                self.assertError(r, 405, "Method Not Allowed")
                self.assertEqual(r.header("Allow"), allow)


class Persistence(unittest.TestCase):
    """Everything saved survives a restart (§7.5); DEFAULT_* only seed a fresh database."""

    def test_restart_keeps_settings(self):
        seen = []
        with tempfile.TemporaryDirectory(prefix="panel-settings-") as tmp:
            env = dict(ORIGINAL_ENV)
            panel = Panel(env, tmp=tmp).start()
            try:
                h = [("Origin", panel.origin)]
                made = panel.request("POST", "/api/settings/presets", h, {"name": "Kept"}).json()
                body = {"api_url": "https://kept.example.com", "api_path": "/v1/responses",
                        "upstream_socks5_proxy": "${TEST_UPSTREAM_PROXY_URL}", "webhook_url": "${TEST_WEBHOOK_URL}",
                        "prompt_optimizer": {"enabled": True, "timeout_seconds": 9},
                        "r2_backup": {"bucket_name": "kept", "key_prefix": "k"}}
                r = panel.request("POST", "/api/settings", h, body)
                self.assertEqual(r.status, 200, r)
                saved = r.json()
                seen.append(r.text)
            finally:
                code, log = panel.stop()
                self.assertEqual(code, 0)
            # Another DEFAULT_API_URL at the next start changes nothing.
            env["DEFAULT_API_URL"] = "https://changed.example.com"
            panel = Panel(env, tmp=tmp).start()
            try:
                r = panel.request("GET", "/api/settings")
                again = r.json()
                seen.append(r.text)
            finally:
                code, log2 = panel.stop()
                self.assertEqual(code, 0)
        self.assertEqual(again, saved)
        self.assertEqual(again["active_preset_id"], made["active_preset_id"])
        self.assertEqual(again["presets"][0]["api_url"], URL)
        self.assertEqual((again["prompt_optimizer"]["timeout_seconds"], again["r2_backup"]["key_prefix"]), (9, "k/"))
        for secret in RESOLVED_SECRETS:
            for text in (*seen, log, log2):
                self.assertNotIn(secret, text)


class SettingsReachJobs(SecretWatch, JobsCase):
    """A saved preset, key, path and webhook apply to the next job at once (§7.5)."""

    env = {"OTHER_KEY": "other-secret", "TEST_BAD_WEBHOOK": "http://hooks.example.com/x",
           "WEBHOOK_SIGNING_SECRET": "webhook-secret"}
    extra_secrets = ("other-secret",)

    def call(self, method, path, body=None):
        return self.record(self.api(method, path, body))

    def upstream_call(self, marker):
        reqs = self.mock.requests(marker)
        self.assertEqual(len(reqs), 1, reqs)
        return reqs[0]

    def test_saved_preset_is_used_by_the_next_job(self):
        t = tag()
        job = self.run_job(f"before {t} [mock:size=32x32]")
        self.assertEqual(job["status"], "success", job)
        first = self.upstream_call(t)
        self.assertEqual(first["auth_sha256"], hashlib.sha256(MOCK_API_KEY.encode()).hexdigest())
        self.assertEqual(first["endpoint"], "images/generations")

        r = self.call("POST", "/api/settings", {"api_url": self.mock.url + "/v1", "api_key": "${OTHER_KEY}",
                                                "api_path": "/v1/chat/completions", "preset_name": "Chat"})
        self.assertEqual(r.status, 200, r)
        t = tag()
        job = self.run_job(f"after {t} [mock:size=32x32]")
        self.assertEqual(job["status"], "success", job)
        self.assertEqual(job["api_path"], "/v1/chat/completions")
        self.assertEqual(job["api_preset_name"], "Chat")
        second = self.upstream_call(t)
        self.assertEqual(second["endpoint"], "chat/completions")
        self.assertEqual(second["path"], "/v1/chat/completions")
        self.assertEqual(second["auth_sha256"], hashlib.sha256(b"other-secret").hexdigest())

        # A new preset (activated on creation), then activating the first one again.
        made = self.call("POST", "/api/settings/presets", {"name": "Responses", "api_path": "/v1/responses"}).json()
        t = tag()
        job = self.run_job(f"responses {t} [mock:size=32x32]")
        self.assertEqual((job["status"], job["api_path"], job["api_preset_name"]),
                         ("success", "/v1/responses", "Responses"), job)
        self.assertEqual(self.upstream_call(t)["endpoint"], "responses")
        default = made["presets"][0]["id"]
        self.assertEqual(self.call("POST", f"/api/settings/presets/{default}/activate").status, 200)
        t = tag()
        self.assertEqual(self.run_job(f"back {t} [mock:size=32x32]")["api_preset_name"], "Chat")
        self.assertEqual(self.upstream_call(t)["endpoint"], "chat/completions")
        self.call("DELETE", f"/api/settings/presets/{made['active_preset_id']}")

    def test_global_webhook_is_resolved_when_a_job_is_submitted(self):
        url = self.call("GET", "/api/settings").json()["api_url"]
        r = self.call("POST", "/api/settings", {"api_url": url, "webhook_url": "${TEST_BAD_WEBHOOK}"})
        self.assertEqual(r.status, 200, r)
        try:
            r = self.generate("webhook check")
            self.assertError(r, 422, "Only HTTPS URLs are allowed for webhook callbacks")
        finally:
            r = self.call("POST", "/api/settings", {"api_url": url, "webhook_url": ""})
            self.assertEqual(r.json()["has_webhook_url"], False)
        self.assertEqual(self.generate(f"no webhook {tag()} [mock:size=32x32]").status, 202)
        self.wait_idle()


if __name__ == "__main__":
    unittest.main()
