"""Startup rules, flags, --help/--version, data directory modes, SIGTERM (spec §2.5, §15, §18)."""

import os
import re
import signal
import socket
import stat
import tempfile
import unittest
from pathlib import Path

from .panel import ACCESS_KEY, Panel, free_port, run_binary

# Every variable of spec §15 (Docker-only ones excepted) plus our own (§18 and the brief).
DOCUMENTED_VARIABLES = """
DEFAULT_API_URL DEFAULT_API_KEY DEFAULT_API_PATH DEFAULT_RESPONSES_MODEL DEFAULT_UPSTREAM_SOCKS5_PROXY
ALLOW_PLAINTEXT_SECRETS PROMPT_OPTIMIZER_ENABLED PROMPT_OPTIMIZER_API_URL PROMPT_OPTIMIZER_API_KEY
PROMPT_OPTIMIZER_MODEL PROMPT_OPTIMIZER_TIMEOUT_SECONDS PROMPT_OPTIMIZER_MAX_OUTPUT_CHARS
PROMPT_OPTIMIZER_MAX_RESPONSE_MB PROMPT_OPTIMIZER_HOST_ALLOWLIST R2_BACKUP_ENABLED R2_ENDPOINT_URL
R2_BUCKET_NAME R2_REGION R2_KEY_PREFIX R2_ACCESS_KEY_ID R2_SECRET_ACCESS_KEY APP_VERSION GITHUB_REPO
ENABLE_VERSION_CHECK VERSION_CHECK_TIMEOUT_SECONDS VERSION_CHECK_BRANCH ENABLE_METRICS SLOW_GALLERY_QUERY_MS
ACCESS_KEY ALLOW_UNAUTHENTICATED ACCESS_KEY_COOKIE_NAME ACCESS_COOKIE_SECURE ACCESS_MAX_FAILURES
ACCESS_LOCKOUT_SECONDS IP_ALLOWLIST TRUST_PROXY_HEADERS TRUSTED_PROXY_IPS PUBLIC_ORIGIN ALLOWED_HOSTS
CSRF_ORIGIN_CHECK_ENABLED UPSTREAM_HOST_ALLOWLIST WEBHOOK_HOST_ALLOWLIST WEBHOOK_SIGNING_SECRET
WEBHOOK_TIMEOUT_SECONDS WEBHOOK_MAX_ATTEMPTS MAX_FILE_SIZE_MB MAX_JSON_BODY_MB MAX_UPSTREAM_JSON_MB
MAX_IMAGE_PIXELS IMPORT_ARCHIVE_MAX_MB IMPORT_MAX_FILES IMPORT_MAX_UNCOMPRESSED_MB IMPORT_MAX_METADATA_BYTES
IMPORT_MAX_COMPRESSION_RATIO MAX_ACTIVE_GENERATE_JOBS MAX_QUEUED_GENERATE_JOBS MAX_PENDING_EDIT_SOURCE_MB
MAX_SSE_SUBSCRIBERS_GLOBAL MAX_SSE_SUBSCRIBERS_PER_IP SSE_CONNECTION_TTL_SECONDS IMAGES_DIR THUMBNAILS_DIR
THUMBNAIL_MAX_SIDE DATA_DIR DATABASE_FILE
WEB_BUILD_DIR PRIVATE_NETWORK_ALLOWLIST EXTRA_CA_FILE R2_ENDPOINT_HOST_ALLOWLIST VERSION_FILE
VERSION_CHECK_API_URL VERSION_CHECK_RAW_URL ACCESS_FAILURE_TABLE_SIZE EDIT_UPLOAD_MAX_MB
""".split()


class StartupRefusals(unittest.TestCase):
    def refuses(self, env, variable):
        env = {"ACCESS_KEY": ACCESS_KEY, **env}
        p = run_binary(["--port", str(free_port())], env)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn(variable, p.stderr)
        self.assertNotIn("listening on", p.stderr)
        return p

    def test_no_access_key_refuses_to_start(self):
        for value in (None, "", "   "):
            with self.subTest(access_key=value):
                env = {} if value is None else {"ACCESS_KEY": value}
                p = run_binary(["--port", str(free_port())], env)
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertIn("ACCESS_KEY", p.stderr)
                self.assertIn("ALLOW_UNAUTHENTICATED=true", p.stderr)
                self.assertNotIn("listening on", p.stderr)

    def test_booleans(self):
        # Spec §15: true is 1/true/yes/on (trimmed, any case); anything else is false.
        for value in ("false", "0", "no", "off", "maybe", ""):
            with self.subTest(false=value):
                p = run_binary(["--port", str(free_port())], {"ALLOW_UNAUTHENTICATED": value})
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertIn("ALLOW_UNAUTHENTICATED=true", p.stderr)
                self.assertNotIn("WARNING", p.stderr)
        for value in ("1", "TRUE", " yes ", "On"):
            with self.subTest(true=value):
                # An unusable --host stops it right after the access-key rule was passed.
                p = run_binary(["--host", "not-an-ip", "--port", str(free_port())], {"ALLOW_UNAUTHENTICATED": value})
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertIn("without access-key authentication", p.stderr)
                self.assertIn("not-an-ip", p.stderr)

    def test_invalid_values_are_startup_errors_naming_the_variable(self):
        cases = [
            ({"MAX_FILE_SIZE_MB": "abc"}, "MAX_FILE_SIZE_MB"),
            ({"MAX_JSON_BODY_MB": "1.5"}, "MAX_JSON_BODY_MB"),
            ({"ACCESS_MAX_FAILURES": "five"}, "ACCESS_MAX_FAILURES"),
            ({"IP_ALLOWLIST": "nonsense"}, "IP_ALLOWLIST"),
            ({"IP_ALLOWLIST": "10.0.0.0/33"}, "IP_ALLOWLIST"),
            ({"TRUSTED_PROXY_IPS": "not-an-ip"}, "TRUSTED_PROXY_IPS"),
            ({"TRUST_PROXY_HEADERS": "true"}, "TRUSTED_PROXY_IPS"),
            ({"PUBLIC_ORIGIN": "ftp://x"}, "PUBLIC_ORIGIN"),
            ({"PUBLIC_ORIGIN": "https://panel.example.com/app"}, "PUBLIC_ORIGIN"),
            ({"ALLOWED_HOSTS": "https://user@panel.example.com"}, "ALLOWED_HOSTS"),
            ({"GITHUB_REPO": "bad repo"}, "GITHUB_REPO"),
            ({"GITHUB_REPO": "no-slash"}, "GITHUB_REPO"),
            ({"EXTRA_CA_FILE": "/nonexistent/ca.pem"}, "EXTRA_CA_FILE"),
            ({"PRIVATE_NETWORK_ALLOWLIST": "bad host!"}, "PRIVATE_NETWORK_ALLOWLIST"),
            ({"VERSION_CHECK_API_URL": "http://api.example.com"}, "VERSION_CHECK_API_URL"),
            ({"ACCESS_KEY_COOKIE_NAME": "bad name;"}, "ACCESS_KEY_COOKIE_NAME"),
            ({"PORT": "70000"}, "PORT"),
        ]
        for env, variable in cases:
            with self.subTest(**env):
                # --port is not passed for PORT itself: the flag would win over the variable.
                if "PORT" in env:
                    p = run_binary([], {"ACCESS_KEY": ACCESS_KEY, **env})
                    self.assertEqual(p.returncode, 2, p.stderr)
                    self.assertIn(variable, p.stderr)
                else:
                    self.refuses(env, variable)

    def test_extra_ca_file_without_a_certificate_is_refused(self):
        with tempfile.NamedTemporaryFile("w", suffix=".pem") as f:
            f.write("not a certificate\n")
            f.flush()
            self.refuses({"EXTRA_CA_FILE": f.name}, "EXTRA_CA_FILE")

    def test_unknown_flag_is_refused(self):
        p = run_binary(["--frobnicate"], {"ACCESS_KEY": ACCESS_KEY})
        self.assertEqual(p.returncode, 2)
        self.assertIn("--frobnicate", p.stderr)

    def test_port_in_use_is_a_startup_error(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            s.listen()
            port = s.getsockname()[1]
            p = run_binary(["--host", "127.0.0.1", "--port", str(port)], {"ACCESS_KEY": ACCESS_KEY})
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn(str(port), p.stderr)


class HelpAndVersion(unittest.TestCase):
    def test_help_lists_every_flag_and_variable(self):
        p = run_binary(["--help"])
        self.assertEqual(p.returncode, 0, p.stderr)
        for flag in ("--host", "--port", "--data-dir", "--env-file", "--help", "--version"):
            self.assertIn(flag, p.stdout)
        missing = [v for v in DOCUMENTED_VARIABLES if not re.search(rf"\b{v}\b", p.stdout)]
        self.assertEqual(missing, [], "variables missing from --help")

    def test_version_prints_the_version_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            vf = Path(tmp, "VERSION")
            vf.write_text("v7.7.7\n")
            p = run_binary(["--version"], {"VERSION_FILE": str(vf)})
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(p.stdout, "v7.7.7\n")
            p = run_binary(["--version"], {"VERSION_FILE": str(vf), "APP_VERSION": " 3.1.4 "})
            self.assertEqual(p.stdout, "3.1.4\n")

    def test_version_defaults_to_the_repository_version_file(self):
        from .panel import REPO
        p = run_binary(["--version"])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.strip(), (REPO / "VERSION").read_text().strip())


class RunningPanel(unittest.TestCase):
    def test_unauthenticated_mode_logs_a_warning(self):
        panel = Panel({"ALLOW_UNAUTHENTICATED": "true"}).start()
        try:
            warning = [line for line in panel.stderr.splitlines() if "WARNING" in line]
            self.assertTrue(any("ALLOW_UNAUTHENTICATED=true" in line and "without access-key authentication" in line
                                for line in warning), panel.stderr)
            self.assertEqual(panel.get("/api/version").status, 200)
        finally:
            rc, err = panel.stop()
        self.assertEqual(rc, 0, err)
        self.assertIn("stopped cleanly", err)

    def test_data_dir_modes_flags_over_env_and_sigterm(self):
        with tempfile.TemporaryDirectory() as tmp:
            from_env, from_flag = Path(tmp, "env-data"), Path(tmp, "nested", "flag-data")
            images = Path(tmp, "imgs")
            panel = Panel({"ACCESS_KEY": ACCESS_KEY, "DATA_DIR": from_env, "IMAGES_DIR": images},
                          args=["--data-dir", str(from_flag)], tmp=tmp)
            panel.start()
            try:
                self.assertFalse(from_env.exists(), "--data-dir must win over DATA_DIR")
                self.assertEqual(stat.S_IMODE(from_flag.stat().st_mode), 0o700)
                self.assertEqual(stat.S_IMODE((from_flag / "app.sqlite3").stat().st_mode), 0o600)
                self.assertTrue(images.is_dir())
                # An idle keep-alive connection must not hold up shutdown.
                conn = panel.connect()
                self.assertEqual(panel.get("/health", conn=conn).status, 200)
                panel.proc.send_signal(signal.SIGTERM)
                rc = panel.proc.wait(8)
                conn.close()
            finally:
                rc, err = panel.stop()
            self.assertEqual(rc, 0, err)
            self.assertIn("received SIGTERM", err)
            self.assertIn("stopped cleanly", err)

    def test_env_file_supplies_variables(self):
        with tempfile.TemporaryDirectory() as tmp:
            env_file = Path(tmp, "panel.env")
            env_file.write_text("# comment\nexport ACCESS_KEY='from-file'\nACCESS_COOKIE_SECURE=false  # inline\n")
            panel = Panel({}, args=["--env-file", str(env_file)], tmp=tmp).start()
            try:
                self.assertEqual(panel.post("/api/access", {"access_key": "from-file"}).status, 200)
                self.assertEqual(panel.post("/api/access", {"access_key": ACCESS_KEY}).status, 401)
            finally:
                rc, err = panel.stop()
            self.assertEqual(rc, 0, err)


if __name__ == "__main__":
    unittest.main()
