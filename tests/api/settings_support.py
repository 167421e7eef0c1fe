"""Shared pieces of the settings API tests (spec §3.3, §7): the environment of the original's contract
harness (§16), a PanelCase that records every response it sees, and the checks that no resolved secret
ever reaches a response or the panel's log."""

import sqlite3
from contextlib import closing

from .panel import PanelCase

# The environment the original's contract tests run with (spec §16), minus the access gate.
ORIGINAL_ENV = {
    "ALLOW_UNAUTHENTICATED": "true",
    "DEFAULT_API_URL": "https://api.example.com/",
    "DEFAULT_API_KEY": "${TEST_DEFAULT_API_KEY}",
    "TEST_DEFAULT_API_KEY": "default-key",
    "TEST_OPENAI_API_KEY": "env-secret",
    "TEST_PROMPT_OPTIMIZER_API_KEY": "optimizer-key",
    "TEST_UPSTREAM_PROXY_URL": "socks5://user:secret@127.0.0.1:1080",
    "TEST_WEBHOOK_URL": "https://hooks.example.com/services/top-secret?token=hidden",
    "TEST_R2_ACCESS_KEY_ID": "r2-access-key",
    "TEST_R2_SECRET_ACCESS_KEY": "r2-secret-key",
    "WEBHOOK_SIGNING_SECRET": "webhook-secret",
}

# The resolved values of the references above: none may ever leave the panel.
RESOLVED_SECRETS = ("default-key", "env-secret", "optimizer-key", "user:secret", "top-secret", "hidden",
                    "r2-access-key", "r2-secret-key")

PLAINTEXT = "API key must use ${ENV_VAR_NAME} unless ALLOW_PLAINTEXT_SECRETS=true."
PROXY_PLAINTEXT = "SOCKS5 proxy URL must use ${ENV_VAR_NAME} unless ALLOW_PLAINTEXT_SECRETS=true."
WEBHOOK_PLAINTEXT = "Webhook URL must use ${ENV_VAR_NAME} unless ALLOW_PLAINTEXT_SECRETS=true."
OPTIMIZER_PLAINTEXT = "Prompt optimizer API key must use ${ENV_VAR_NAME} unless ALLOW_PLAINTEXT_SECRETS=true."
R2_ID_PLAINTEXT = "R2 access key ID must use ${ENV_VAR_NAME} unless ALLOW_PLAINTEXT_SECRETS=true."
R2_SECRET_PLAINTEXT = "R2 secret access key must use ${ENV_VAR_NAME} unless ALLOW_PLAINTEXT_SECRETS=true."

SETTINGS_KEYS = {"active_preset_id", "api_url", "api_key_masked", "has_api_key", "api_key_source", "api_key_env_var",
                 "api_path", "default_model", "default_response_format", "has_upstream_socks5_proxy",
                 "upstream_socks5_proxy_masked", "has_webhook_url", "webhook_url_masked", "presets",
                 "prompt_optimizer", "r2_backup"}
PRESET_KEYS = {"id", "name", "api_url", "api_path", "default_model", "default_response_format", "api_key_masked",
               "has_api_key", "api_key_source", "api_key_env_var"}
OPTIMIZER_KEYS = {"enabled", "api_url", "model", "timeout_seconds", "api_key_masked", "has_api_key", "api_key_source",
                  "api_key_env_var"}
R2_KEYS = {"enabled", "endpoint_url", "bucket_name", "region", "key_prefix", "sync_interval_hours",
           "access_key_id_masked", "has_access_key_id", "access_key_id_source", "access_key_id_env_var",
           "secret_access_key_masked", "has_secret_access_key", "secret_access_key_source",
           "secret_access_key_env_var"}


def db_query(data_dir, sql, args=()):
    """Rows of `sql` on the panel's database (read while it runs; WAL lets both work)."""
    with closing(sqlite3.connect(str(data_dir / "app.sqlite3"), timeout=10)) as con:
        return con.execute(sql, args).fetchall()


def db_setting(data_dir, key):
    rows = db_query(data_dir, "SELECT value FROM settings_kv WHERE key = ?", (key,))
    return rows[0][0] if rows else None


def db_preset(data_dir, preset_id):
    rows = db_query(data_dir, "SELECT name, api_url, api_key, api_path, default_model, default_response_format "
                              "FROM api_presets WHERE id = ?", (preset_id,))
    return rows[0] if rows else None


class SecretWatch:
    """Mixin: every response seen through `call` and the panel's whole log are checked, after the class ran,
    for the resolved secrets and for the class's own `extra_secrets` (literals it sends)."""

    extra_secrets = ()
    seen = None

    @classmethod
    def setUpClass(cls):
        cls.seen = []
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        log = cls.panel.stderr
        super().tearDownClass()
        for secret in (*RESOLVED_SECRETS, *cls.extra_secrets):
            for text in cls.seen:
                if secret in text:
                    raise AssertionError(f"secret {secret!r} appeared in a response: {text[:500]}")
            if secret in log:
                raise AssertionError(f"secret {secret!r} appeared in the panel's log:\n{log}")

    def record(self, r):
        self.seen.append(r.text)
        return r


class SettingsCase(SecretWatch, PanelCase):
    """A panel with ORIGINAL_ENV (plus the class's `env`), no access key."""

    env = {}

    @classmethod
    def configure(cls, tmp):
        return {**ORIGINAL_ENV, **cls.env}

    @property
    def data_dir(self):
        return self.tmp / "data"

    def call(self, method, path, body=None, panel=None):
        p = panel or self.panel
        headers = [] if method == "GET" else [("Origin", p.origin)]
        return self.record(p.request(method, path, headers, body))

    def settings(self, panel=None):
        r = self.call("GET", "/api/settings", panel=panel)
        self.assertEqual(r.status, 200, r)
        return r.json()

    def save(self, body, panel=None):
        """POST /api/settings; the current api_url is sent unless the body has one."""
        full = dict(body)
        if "api_url" not in full:
            full["api_url"] = self.settings(panel)["api_url"] or "https://api.example.com"
        r = self.call("POST", "/api/settings", full, panel=panel)
        self.assertEqual(r.status, 200, r)
        return r.json()

    def refused(self, body, fragment, status=422, path="/api/settings"):
        r = self.call("POST", path, body)
        detail = self.assertError(r, status)["detail"]
        if fragment is not None:
            self.assertIn(fragment, detail)
        return detail
