"""Secrets in the settings from outside (spec §7.2, §7.3, §3.3): env references stored verbatim and masked,
keep / clear / masked round trip, every refusal sentence, ALLOW_PLAINTEXT_SECRETS on and off, the socks5://
and https:// rules, env defaults stored as references, and no resolved secret in any response or log line."""

import json
import unittest

from .settings_support import (OPTIMIZER_PLAINTEXT, PLAINTEXT, PROXY_PLAINTEXT, R2_ID_PLAINTEXT, R2_SECRET_PLAINTEXT,
                               WEBHOOK_PLAINTEXT, SettingsCase, db_preset, db_setting)

URL = "https://api.example.com"


class EnvReferences(SettingsCase):
    """ALLOW_PLAINTEXT_SECRETS off (the default)."""

    def stored_key(self):
        return db_preset(self.data_dir, self.settings()["active_preset_id"])[2]

    def test_api_key_reference_keep_clear(self):
        s = self.save({"api_key": "${TEST_OPENAI_API_KEY}"})
        self.assertEqual((s["api_key_masked"], s["has_api_key"], s["api_key_source"], s["api_key_env_var"]),
                         ("${TEST_OPENAI_API_KEY}", True, "env", "TEST_OPENAI_API_KEY"))
        self.assertEqual(self.stored_key(), "${TEST_OPENAI_API_KEY}")
        # null, absent, the same reference and its masked form all keep it.
        for body in ({"api_key": None}, {}, {"api_key": " ${TEST_OPENAI_API_KEY} "},
                     {"api_key": s["api_key_masked"]}):
            with self.subTest(body=body):
                self.assertEqual(self.save(body)["api_key_env_var"], "TEST_OPENAI_API_KEY")
                self.assertEqual(self.stored_key(), "${TEST_OPENAI_API_KEY}")
        s = self.save({"api_key": ""})
        self.assertEqual((s["api_key_masked"], s["has_api_key"], s["api_key_source"], s["api_key_env_var"]),
                         ("***", False, "empty", None))
        self.assertEqual(self.stored_key(), "")
        # The masked form of an empty key keeps it empty rather than storing "***".
        self.assertEqual(self.save({"api_key": "***"})["has_api_key"], False)
        self.save({"api_key": "${TEST_DEFAULT_API_KEY}"})

    def test_refusal_sentences(self):
        cases = [
            ({"api_key": "sk-literal-value"}, PLAINTEXT),
            ({"api_key": "${TEST OPENAI}"}, "API key env ref must be formatted as ${ENV_VAR_NAME}."),
            ({"api_key": "${1ABC}"}, "API key env ref must be formatted as ${ENV_VAR_NAME}."),
            ({"api_key": "prefix-${A}"}, "API key env ref must be formatted as ${ENV_VAR_NAME}."),
            ({"api_key": "abc}"}, "API key env ref must be formatted as ${ENV_VAR_NAME}."),
            ({"upstream_socks5_proxy": "socks5://user:pw@127.0.0.1:1080"}, PROXY_PLAINTEXT),
            ({"upstream_socks5_proxy": "${PROXY"}, "SOCKS5 proxy URL env ref must be formatted as ${ENV_VAR_NAME}."),
            ({"webhook_url": "https://hooks.example.com/x"}, WEBHOOK_PLAINTEXT),
            ({"webhook_url": "https://x/${A}"}, "Webhook URL env ref must be formatted as ${ENV_VAR_NAME}."),
            ({"prompt_optimizer": {"api_key": "sk-opt"}}, OPTIMIZER_PLAINTEXT),
            ({"prompt_optimizer": {"api_key": "${}"}},
             "Prompt optimizer API key env ref must be formatted as ${ENV_VAR_NAME}."),
            ({"r2_backup": {"access_key_id": "AKIAEXAMPLE"}}, R2_ID_PLAINTEXT),
            ({"r2_backup": {"secret_access_key": "r2-literal"}}, R2_SECRET_PLAINTEXT),
            ({"r2_backup": {"secret_access_key": "${X-Y}"}},
             "R2 secret access key env ref must be formatted as ${ENV_VAR_NAME}."),
        ]
        before = self.settings()
        for body, sentence in cases:
            with self.subTest(body=body):
                detail = self.refused({"api_url": URL, **body}, sentence)
                self.assertNotIn("literal", detail)
        self.assertEqual(self.settings(), before)

    def test_socks5_reference(self):
        s = self.save({"upstream_socks5_proxy": "${TEST_UPSTREAM_PROXY_URL}"})
        self.assertEqual((s["has_upstream_socks5_proxy"], s["upstream_socks5_proxy_masked"]),
                         (True, "${TEST_UPSTREAM_PROXY_URL}"))
        self.assertEqual(db_setting(self.data_dir, "upstream_socks5_proxy"), "${TEST_UPSTREAM_PROXY_URL}")
        s = self.save({"upstream_socks5_proxy": s["upstream_socks5_proxy_masked"]})
        self.assertEqual(db_setting(self.data_dir, "upstream_socks5_proxy"), "${TEST_UPSTREAM_PROXY_URL}")
        self.assertTrue(self.save({"upstream_socks5_proxy": None})["has_upstream_socks5_proxy"])
        s = self.save({"upstream_socks5_proxy": ""})
        self.assertEqual((s["has_upstream_socks5_proxy"], s["upstream_socks5_proxy_masked"]), (False, ""))
        self.assertEqual(db_setting(self.data_dir, "upstream_socks5_proxy"), "")

    def test_webhook_reference_survives_presets(self):
        s = self.save({"webhook_url": "${TEST_WEBHOOK_URL}"})
        self.assertEqual((s["has_webhook_url"], s["webhook_url_masked"]), (True, "${TEST_WEBHOOK_URL}"))
        self.assertEqual(db_setting(self.data_dir, "webhook_url"), "${TEST_WEBHOOK_URL}")
        made = self.call("POST", "/api/settings/presets", {"name": "Hooked"}).json()
        self.assertEqual(made["webhook_url_masked"], "${TEST_WEBHOOK_URL}")
        default = made["presets"][0]["id"]
        s = self.call("POST", f"/api/settings/presets/{default}/activate").json()
        self.assertEqual(s["webhook_url_masked"], "${TEST_WEBHOOK_URL}")
        self.call("DELETE", f"/api/settings/presets/{made['active_preset_id']}")
        s = self.save({"webhook_url": s["webhook_url_masked"]})
        self.assertEqual(db_setting(self.data_dir, "webhook_url"), "${TEST_WEBHOOK_URL}")
        s = self.save({"webhook_url": ""})
        self.assertEqual((s["has_webhook_url"], s["webhook_url_masked"]), (False, ""))

    def test_optimizer_key(self):
        o = self.save({"prompt_optimizer": {"api_key": "${TEST_PROMPT_OPTIMIZER_API_KEY}"}})["prompt_optimizer"]
        self.assertEqual((o["api_key_masked"], o["has_api_key"], o["api_key_source"], o["api_key_env_var"]),
                         ("${TEST_PROMPT_OPTIMIZER_API_KEY}", True, "env", "TEST_PROMPT_OPTIMIZER_API_KEY"))
        self.assertIn('"api_key":"${TEST_PROMPT_OPTIMIZER_API_KEY}"',
                      db_setting(self.data_dir, "prompt_optimizer_settings"))
        for patch in ({"enabled": True}, {"api_key": None}, {"api_key": "${TEST_PROMPT_OPTIMIZER_API_KEY}"}):
            self.assertEqual(self.save({"prompt_optimizer": patch})["prompt_optimizer"]["api_key_source"], "env")
        o = self.save({"prompt_optimizer": {"api_key": ""}})["prompt_optimizer"]
        self.assertEqual((o["has_api_key"], o["api_key_source"], o["api_key_env_var"]), (False, "empty", None))

    def test_r2_credentials(self):
        r2 = self.save({"r2_backup": {"access_key_id": "${TEST_R2_ACCESS_KEY_ID}",
                                      "secret_access_key": "${TEST_R2_SECRET_ACCESS_KEY}"}})["r2_backup"]
        self.assertEqual((r2["access_key_id_masked"], r2["has_access_key_id"], r2["access_key_id_source"],
                          r2["access_key_id_env_var"]),
                         ("${TEST_R2_ACCESS_KEY_ID}", True, "env", "TEST_R2_ACCESS_KEY_ID"))
        self.assertEqual((r2["secret_access_key_masked"], r2["secret_access_key_env_var"]),
                         ("${TEST_R2_SECRET_ACCESS_KEY}", "TEST_R2_SECRET_ACCESS_KEY"))
        r2 = self.save({"r2_backup": {"access_key_id": "********", "secret_access_key": "********",
                                      "bucket_name": "b"}})["r2_backup"]
        self.assertEqual((r2["access_key_id_env_var"], r2["secret_access_key_env_var"]),
                         ("TEST_R2_ACCESS_KEY_ID", "TEST_R2_SECRET_ACCESS_KEY"))
        stored = json.loads(db_setting(self.data_dir, "r2_backup_settings"))
        self.assertEqual((stored["access_key_id"], stored["secret_access_key"]),
                         ("${TEST_R2_ACCESS_KEY_ID}", "${TEST_R2_SECRET_ACCESS_KEY}"))
        r2 = self.save({"r2_backup": {"access_key_id": "", "secret_access_key": ""}})["r2_backup"]
        self.assertEqual((r2["has_access_key_id"], r2["access_key_id_source"], r2["has_secret_access_key"],
                          r2["secret_access_key_masked"]), (False, "empty", False, "***"))


class PlaintextSecrets(SettingsCase):
    """ALLOW_PLAINTEXT_SECRETS=true: literals pass their field's normaliser and are stored verbatim."""

    env = {"ALLOW_PLAINTEXT_SECRETS": "true"}
    extra_secrets = ("plain-secret-value", "opt-literal-secret", "r2-literal-id", "r2-literal-secret")

    def test_literal_api_key(self):
        s = self.save({"api_key": "plain-secret-value"})
        self.assertEqual((s["api_key_masked"], s["has_api_key"], s["api_key_source"], s["api_key_env_var"]),
                         ("plai***alue", True, "stored", None))
        preset = s["active_preset_id"]
        self.assertEqual(db_preset(self.data_dir, preset)[2], "plain-secret-value")
        self.save({"api_key": s["api_key_masked"]})
        self.assertEqual(db_preset(self.data_dir, preset)[2], "plain-secret-value")
        self.assertEqual(self.save({"api_key": "short"})["api_key_masked"], "***")
        self.save({"api_key": "${TEST_DEFAULT_API_KEY}"})
        # Malformed references are refused even here.
        self.refused({"api_url": URL, "api_key": "${NOPE"}, "API key env ref must be formatted as ${ENV_VAR_NAME}.")

    def test_literal_socks5(self):
        s = self.save({"upstream_socks5_proxy": "socks5://user:secret@127.0.0.1:1080"})
        self.assertEqual((s["has_upstream_socks5_proxy"], s["upstream_socks5_proxy_masked"]),
                         (True, "socks5://user:***@127.0.0.1:1080"))
        self.assertEqual(db_setting(self.data_dir, "upstream_socks5_proxy"), "socks5://user:secret@127.0.0.1:1080")
        self.save({"upstream_socks5_proxy": "socks5://user:***@127.0.0.1:1080"})
        self.assertEqual(db_setting(self.data_dir, "upstream_socks5_proxy"), "socks5://user:secret@127.0.0.1:1080")
        for value, fragment in (("http://127.0.0.1:1080", "SOCKS5 proxy URL must use socks5://"),
                                ("socks5h://127.0.0.1:1080", "socks5://"),
                                ("socks5://127.0.0.1", "SOCKS5 proxy URL must include a port"),
                                ("socks5://127.0.0.1:1080/path", "SOCKS5 proxy URL must not include a path"),
                                ("socks5://127.0.0.1:1080?x=1", "must not include query strings or fragments")):
            with self.subTest(value=value):
                self.refused({"api_url": URL, "upstream_socks5_proxy": value}, fragment)
        self.assertEqual(self.save({"upstream_socks5_proxy": "socks5://proxy.example.com:1080"})
                         ["upstream_socks5_proxy_masked"], "socks5://proxy.example.com:1080")
        self.save({"upstream_socks5_proxy": ""})

    def test_literal_webhook(self):
        url = "https://hooks.example.com/services/top-secret?token=hidden"
        s = self.save({"webhook_url": url})
        self.assertEqual((s["has_webhook_url"], s["webhook_url_masked"]), (True, "https://hooks.example.com/***?***"))
        self.assertEqual(db_setting(self.data_dir, "webhook_url"), url)
        self.save({"webhook_url": s["webhook_url_masked"]})
        self.assertEqual(db_setting(self.data_dir, "webhook_url"), url)
        for value in ("http://hooks.example.com/x", "ftp://hooks.example.com"):
            with self.subTest(value=value):
                self.refused({"api_url": URL, "webhook_url": value}, "Webhook URL must use https://")
        self.assertEqual(db_setting(self.data_dir, "webhook_url"), url)
        self.save({"webhook_url": ""})

    def test_literal_optimizer_and_r2(self):
        s = self.save({"prompt_optimizer": {"api_key": "opt-literal-secret"},
                       "r2_backup": {"access_key_id": "r2-literal-id", "secret_access_key": "r2-literal-secret"}})
        o, r2 = s["prompt_optimizer"], s["r2_backup"]
        self.assertEqual((o["api_key_masked"], o["api_key_source"]), ("opt-***cret", "stored"))
        self.assertEqual((r2["access_key_id_masked"], r2["access_key_id_source"]), ("r2-l***l-id", "stored"))
        self.assertEqual(r2["secret_access_key_masked"], "r2-l***cret")
        self.save({"r2_backup": {"access_key_id": "********", "secret_access_key": r2["secret_access_key_masked"]},
                   "prompt_optimizer": {"api_key": o["api_key_masked"]}})
        stored = json.loads(db_setting(self.data_dir, "r2_backup_settings"))
        self.assertEqual((stored["access_key_id"], stored["secret_access_key"]),
                         ("r2-literal-id", "r2-literal-secret"))
        self.assertEqual(json.loads(db_setting(self.data_dir, "prompt_optimizer_settings"))["api_key"],
                         "opt-literal-secret")


class EnvDefaults(SettingsCase):
    """Secrets given to DEFAULT_* / PROMPT_OPTIMIZER_* / R2_* are stored as references to their variable,
    and R2 values from the environment are persisted on first load (§7.2, §11.1)."""

    env = {"DEFAULT_API_KEY": "sk-default-literal", "DEFAULT_UPSTREAM_SOCKS5_PROXY": "socks5://u:proxy-pw@127.0.0.1:1080",
           "PROMPT_OPTIMIZER_ENABLED": "true", "PROMPT_OPTIMIZER_API_URL": "https://opt.example.com/v1/chat/completions",
           "PROMPT_OPTIMIZER_API_KEY": "opt-env-literal", "PROMPT_OPTIMIZER_MODEL": "opt-model",
           "PROMPT_OPTIMIZER_TIMEOUT_SECONDS": "15",
           "R2_BACKUP_ENABLED": "true", "R2_ENDPOINT_URL": "https://acc.r2.cloudflarestorage.com",
           "R2_BUCKET_NAME": "env-bucket", "R2_KEY_PREFIX": "env-prefix", "R2_ACCESS_KEY_ID": "r2-access-key",
           "R2_SECRET_ACCESS_KEY": "r2-secret-key", "R2_SYNC_INTERVAL_HOURS": "12"}
    extra_secrets = ("sk-default-literal", "proxy-pw", "opt-env-literal")

    def test_references_not_literals(self):
        s = self.settings()
        self.assertEqual((s["api_key_masked"], s["api_key_source"], s["api_key_env_var"]),
                         ("${DEFAULT_API_KEY}", "env", "DEFAULT_API_KEY"))
        self.assertEqual(s["upstream_socks5_proxy_masked"], "${DEFAULT_UPSTREAM_SOCKS5_PROXY}")
        self.assertEqual(db_preset(self.data_dir, "default")[2], "${DEFAULT_API_KEY}")
        self.assertEqual(db_setting(self.data_dir, "upstream_socks5_proxy"), "${DEFAULT_UPSTREAM_SOCKS5_PROXY}")
        o = s["prompt_optimizer"]
        self.assertEqual((o["enabled"], o["api_url"], o["model"], o["timeout_seconds"], o["api_key_masked"]),
                         (True, "https://opt.example.com/v1/chat/completions", "opt-model", 15,
                          "${PROMPT_OPTIMIZER_API_KEY}"))

    def test_r2_env_values_persisted(self):
        r2 = self.settings()["r2_backup"]
        self.assertEqual((r2["enabled"], r2["endpoint_url"], r2["bucket_name"], r2["key_prefix"],
                          r2["sync_interval_hours"]),
                         (True, "https://acc.r2.cloudflarestorage.com", "env-bucket", "env-prefix/", 12))
        self.assertEqual((r2["access_key_id_masked"], r2["secret_access_key_masked"]),
                         ("${R2_ACCESS_KEY_ID}", "${R2_SECRET_ACCESS_KEY}"))
        stored = json.loads(db_setting(self.data_dir, "r2_backup_settings"))
        self.assertEqual((stored["bucket_name"], stored["access_key_id"], stored["secret_access_key"]),
                         ("env-bucket", "${R2_ACCESS_KEY_ID}", "${R2_SECRET_ACCESS_KEY}"))
        # Saved web settings win over the env; blank fields and `enabled` keep the env floor.
        r2 = self.save({"r2_backup": {"bucket_name": "web-bucket", "enabled": False}})["r2_backup"]
        self.assertEqual((r2["bucket_name"], r2["enabled"]), ("web-bucket", True))
        r2 = self.save({"r2_backup": {"bucket_name": ""}})["r2_backup"]
        self.assertEqual(r2["bucket_name"], "env-bucket")
        # The interval is the user's once saved: 0 switches the schedule off.
        r2 = self.save({"r2_backup": {"sync_interval_hours": 0}})["r2_backup"]
        self.assertEqual(r2["sync_interval_hours"], 0)
        self.assertEqual(self.settings()["r2_backup"]["sync_interval_hours"], 0)


if __name__ == "__main__":
    unittest.main()
