"""POST /api/settings/r2/health (spec §3.3, §11.2) against real S3 servers on loopback.

The stand-in checks every request's SigV4 signature with botocore, so a check that
passes here was signed correctly; s3rver is a real S3 implementation.
"""

import json
import re
import sqlite3
import time

from .panel import ACCESS_KEY, PanelCase, mint_token
from .s3_servers import S3rver, StandIn, r2_env

PROBE_KEY = re.compile(r"^gallery/\.r2-sync-probe-[0-9a-f]{32}\.txt$")
CHECKS = ["configuration", "head_bucket", "list_prefix", "write_probe", "delete_probe"]


class R2HealthBase(PanelCase):
    server_class = StandIn
    server = None

    @classmethod
    def setUpClass(cls):
        cls.server = cls.server_class(buckets=("backup", "other"))
        cls.addClassCleanup(cls.server.stop)
        super().setUpClass()

    @classmethod
    def configure(cls, tmp):
        env = {"ACCESS_KEY": ACCESS_KEY, "WRONG_SECRET": "not-the-secret", "WRONG_KEY": "NOSUCHKEY"}
        env.update(r2_env(cls.server))
        env.update(cls.env)
        return env

    def setUp(self):
        if isinstance(self.server, StandIn):
            self.server.reset()

    def health(self, draft=None):
        cookie = ("Cookie", "gpt_image_access=" + mint_token(ACCESS_KEY, time.time() + 3600))
        r = self.panel.post("/api/settings/r2/health", draft if draft is not None else {}, [cookie])
        return r

    def ok_health(self, draft=None):
        r = self.health(draft)
        self.assertEqual(r.status, 200, r)
        body = r.json()
        self.assertEqual(set(body), {"status", "checks"})
        for c in body["checks"]:
            self.assertEqual(set(c), {"name", "status", "message"})
        return body

    def by_name(self, body):
        return {c["name"]: c for c in body["checks"]}


class R2HealthStandInTests(R2HealthBase):
    def test_all_checks_pass_and_the_probe_is_removed(self):
        body = self.ok_health()
        self.assertEqual(body["status"], "ok", body)
        self.assertEqual([c["name"] for c in body["checks"]], CHECKS)
        self.assertEqual([c["message"] for c in body["checks"]],
                         ["R2 configuration is complete", "Bucket exists and credentials can access it",
                          "Prefix-scoped object listing succeeded", "Probe object write succeeded",
                          "Probe object cleanup succeeded"])
        self.assertEqual(self.server.objects(), {})
        log = [e for e in self.server.log() if e["status"] is not None]
        self.assertEqual([e["method"] for e in log], ["HEAD", "GET", "PUT", "DELETE"])
        self.assertTrue(all(e["status"] in (200, 204) for e in log), log)
        self.assertEqual(log[0]["path"], "/backup")
        self.assertEqual(log[1]["query"], "list-type=2&max-keys=1&prefix=gallery%2F")
        probe = log[2]["path"][len("/backup/"):]
        self.assertRegex(probe, PROBE_KEY)
        self.assertEqual(log[3]["path"], log[2]["path"])
        # Everything curl sent with x-amz-* was signed, payload hash included.
        for e in log:
            self.assertIn("x-amz-content-sha256", e["signed"].split(";"))
        self.assertIn("content-type", log[2]["signed"].split(";"))

    def test_probe_body_is_ok_as_text_plain(self):
        self.server.faults(delete_fail=True)
        body = self.ok_health()
        objects = self.server.objects()
        self.assertEqual(len(objects), 1, objects)
        key, obj = next(iter(objects.items()))
        self.assertRegex(key, PROBE_KEY)
        self.assertEqual(obj["size"], 2)
        self.assertEqual(obj["content_type"], "text/plain")
        self.assertEqual(body["status"], "warning")

    def test_failed_removal_is_a_warning(self):
        self.server.faults(delete_fail=True)
        body = self.ok_health()
        self.assertEqual(body["status"], "warning", body)
        checks = self.by_name(body)
        self.assertEqual(checks["write_probe"]["status"], "ok")
        self.assertEqual(checks["delete_probe"]["status"], "warning")
        self.assertEqual(checks["delete_probe"]["message"],
                         "Probe object was written but cleanup failed: AccessDenied (HTTP 403): Access Denied "
                         "Check that the credentials may use this bucket and key prefix.")

    def test_wrong_secret_fails_head_bucket_with_a_clear_message(self):
        body = self.ok_health({"secret_access_key": "${WRONG_SECRET}"})
        self.assertEqual(body["status"], "error")
        self.assertEqual([c["name"] for c in body["checks"]], ["configuration", "head_bucket"])
        msg = self.by_name(body)["head_bucket"]["message"]
        # HEAD answers carry no body: the status says what to check.
        self.assertEqual(msg, "HeadBucket failed: Access denied (HTTP 403): check the access key ID, the secret "
                              "access key and their permissions for this bucket")
        self.assertNotIn("not-the-secret", json.dumps(body))
        self.assertEqual([e["status"] for e in self.server.log()], [403])

    def test_unknown_bucket_and_listing_errors(self):
        body = self.ok_health({"bucket_name": "missing"})
        self.assertEqual(self.by_name(body)["head_bucket"]["message"],
                         "HeadBucket failed: Not found (HTTP 404): check the bucket name")
        self.server.faults(list_fail=True)
        body = self.ok_health()
        self.assertEqual([c["name"] for c in body["checks"]], ["configuration", "head_bucket", "list_prefix"])
        self.assertEqual(self.by_name(body)["list_prefix"]["message"],
                         "ListObjectsV2 failed: InternalError (HTTP 500): We encountered an internal error. "
                         "Please try again. The server failed. Try again later.")

    def test_write_failure_stops_before_cleanup(self):
        self.server.faults(put_fail_after=0, put_fail_status=403, put_fail_code="AccessDenied",
                           put_fail_message="Access Denied")
        body = self.ok_health()
        self.assertEqual(body["status"], "error")
        self.assertEqual([c["name"] for c in body["checks"]][-1], "write_probe")
        self.assertTrue(self.by_name(body)["write_probe"]["message"].startswith(
            "Probe object write failed: AccessDenied (HTTP 403)"), body)
        self.assertNotIn("DELETE", [e["method"] for e in self.server.log()])

    def test_draft_is_merged_over_the_saved_settings(self):
        # Another bucket and prefix in the draft; the masked credentials keep the saved refs.
        body = self.ok_health({"bucket_name": "other", "key_prefix": "drafts", "access_key_id": "********",
                               "secret_access_key": "********"})
        self.assertEqual(body["status"], "ok", body)
        paths = [e["path"] for e in self.server.log()]
        self.assertEqual(paths[0], "/other")
        self.assertTrue(paths[2].startswith("/other/drafts/.r2-sync-probe-"), paths)
        self.assertEqual(self.server.objects("other"), {})

    def test_configuration_errors_stop_at_the_first_check(self):
        body = self.ok_health({"enabled": False})
        self.assertEqual(body, {"status": "error", "checks": [
            {"name": "configuration", "status": "error", "message": "R2 backup is disabled."}]})
        body = self.ok_health({"secret_access_key": "${R2_UNSET_SECRET}"})
        self.assertEqual(body["checks"][0]["message"],
                         "R2 secret access key environment variable R2_UNSET_SECRET is not set or empty.")
        body = self.ok_health({"bucket_name": ""})
        self.assertEqual(body["checks"][0]["message"], "R2 bucket name is not configured.")
        self.assertEqual(self.server.log(), [])

    def test_strict_body(self):
        r = self.health({"bucket": "x"})
        self.assertEqual(r.status, 422, r)
        r = self.health({"endpoint_url": "https://elsewhere.example.com"})
        self.assertEqual(r.status, 422, r)
        self.assertIn("R2 endpoint hostname 'elsewhere.example.com'", r.json()["detail"])

    def test_saved_settings_are_not_changed_by_a_draft(self):
        self.ok_health({"bucket_name": "other"})
        with sqlite3.connect(self.tmp / "data" / "app.sqlite3") as db:
            row = db.execute("SELECT value FROM settings_kv WHERE key = 'r2_backup_settings'").fetchone()
        if row is not None:
            self.assertEqual(json.loads(row[0])["bucket_name"], "backup")


class R2HealthS3rverTests(R2HealthBase):
    server_class = S3rver

    def test_all_checks_pass_against_s3rver(self):
        body = self.ok_health()
        self.assertEqual(body["status"], "ok", body)
        self.assertEqual([c["name"] for c in body["checks"]], CHECKS)
        self.assertEqual(self.server.objects(), {})

    def test_unknown_access_key(self):
        body = self.ok_health({"access_key_id": "${WRONG_KEY}"})
        self.assertEqual(body["status"], "error")
        self.assertEqual(self.by_name(body)["head_bucket"]["message"],
                         "HeadBucket failed: Access denied (HTTP 403): check the access key ID, the secret access "
                         "key and their permissions for this bucket")


class R2HealthPrivateAddressTests(R2HealthBase):
    """Without PRIVATE_NETWORK_ALLOWLIST the loopback endpoint is refused before any request."""

    env = {"PRIVATE_NETWORK_ALLOWLIST": "localhost"}

    def test_private_address_is_refused(self):
        body = self.ok_health()
        self.assertEqual(body["status"], "error")
        msg = self.by_name(body)["head_bucket"]["message"]
        self.assertTrue(msg.startswith("HeadBucket failed: R2 endpoint hostname 'localhost' resolves to private/internal IP(s)"),
                        msg)
        self.assertEqual(self.server.log(), [])


class R2HealthCertificateTests(R2HealthBase):
    """Without EXTRA_CA_FILE the test certificate is not trusted."""

    @classmethod
    def configure(cls, tmp):
        env = super().configure(tmp)
        del env["EXTRA_CA_FILE"]
        return env

    def test_untrusted_certificate_fails(self):
        body = self.ok_health()
        msg = self.by_name(body)["head_bucket"]["message"]
        self.assertTrue(msg.startswith("HeadBucket failed: R2 endpoint connection error:"), msg)
        self.assertEqual(self.server.log(), [])

