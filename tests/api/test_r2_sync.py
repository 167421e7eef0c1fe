"""R2 gallery sync jobs (spec §3.11, §5.6, §11.3) against real S3 servers on loopback.

The gallery is made by the real panel from the mock upstream; the bucket is either s3rver
(a real S3 implementation) or the botocore stand-in (checks every signature, injects faults).
"""

import hashlib
import json
import os
import signal
import sqlite3
import time

from .panel import Panel
from .s3_servers import S3rver, StandIn, r2_env
from .upstream import JobsCase, tag, wait_until

SYNC_TIMEOUT = 60.0
STATUS_KEYS = {"job_id", "status", "stage", "message", "progress", "created_at", "updated_at", "error",
               "total_count", "compared_count", "uploaded_count", "skipped_existing_count", "missing_local_count",
               "failed_count", "bytes_total", "bytes_uploaded"}


class SyncCase(JobsCase):
    """A panel with a gallery of `images` generated images and one S3 server for the class."""

    server_class = StandIn
    server = None
    images = 5

    @classmethod
    def start_servers(cls):
        cls.server = cls.server_class()
        cls.addClassCleanup(cls.server.stop)

    @classmethod
    def configure(cls, tmp):
        env = cls.base_env(tmp)
        env.update(r2_env(cls.server, env_settings=False))
        env.update({"WRONG_SECRET": "not-the-secret", "WRONG_KEY": "NOSUCHKEY"})
        env.update(cls.env)
        return env

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_gallery(cls.images)

    @classmethod
    def make_gallery(cls, count):
        case = cls("setUp")
        left = count
        while left > 0:
            n = min(4, left)
            job = case.run_job("sync " + tag(), n=n)
            assert job["status"] == "success", job
            left -= n

    def setUp(self):
        if isinstance(self.server, StandIn):
            self.server.reset()
        self.prefix = tag() + "/"
        self.set_r2(key_prefix=self.prefix)

    # -- helpers -----------------------------------------------------------------------------
    def db(self):
        return sqlite3.connect(self.tmp / "data" / "app.sqlite3", timeout=30)

    def set_r2(self, **fields):
        s = {"enabled": True, "endpoint_url": self.server.endpoint, "bucket_name": "backup",
             "region": self.server.region, "key_prefix": "gallery/", "sync_interval_hours": 0,
             "access_key_id": "${S3_TEST_ACCESS_KEY}", "secret_access_key": "${S3_TEST_SECRET_KEY}"}
        s.update(fields)
        with self.db() as db:
            db.execute("INSERT INTO settings_kv (key, value) VALUES ('r2_backup_settings', ?) "
                       "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (json.dumps(s),))

    def gallery(self):
        """{filename: (id, bytes, sha256)} of the gallery rows and their files."""
        with self.db() as db:
            rows = db.execute("SELECT id, filename FROM gallery_entries ORDER BY rowid").fetchall()
        out = {}
        for gid, name in rows:
            data = (self.images_dir / name).read_bytes()
            out[name] = (gid, len(data), hashlib.sha256(data).hexdigest())
        return out

    def start_sync(self, body=None, panel=None):
        r = self.api("POST", "/api/gallery/sync-jobs", body if body is not None else {}, panel=panel)
        self.assertEqual(r.status, 202, r)
        s = r.json()
        self.assertEqual(set(s), STATUS_KEYS)
        return s

    def sync_status(self, job_id, panel=None):
        r = self.api("GET", f"/api/gallery/sync-jobs/{job_id}", panel=panel)
        self.assertEqual(r.status, 200, r)
        return r.json()

    def wait_sync(self, job_id, panel=None, timeout=SYNC_TIMEOUT):
        last = {}

        def done():
            last["s"] = self.sync_status(job_id, panel)
            return last["s"]["status"] in ("success", "error")

        try:
            wait_until(done, timeout, interval=0.1, what=f"sync {job_id}")
        except AssertionError as e:
            raise AssertionError(f"{e}; last: {last.get('s')}") from None
        self.assertEqual(set(last["s"]), STATUS_KEYS)
        return last["s"]

    def run_sync(self):
        return self.wait_sync(self.start_sync()["job_id"])

    def assert_counts(self, s, **expected):
        got = {k: s[k] for k in expected}
        self.assertEqual(got, expected, s)

    def puts(self):
        """Keys the panel PUT to the stand-in, in order."""
        return [e["path"][len("/backup/"):] for e in self.server.log() if e["method"] == "PUT"]


class SyncStandInTests(SyncCase):
    images = 6

    def test_empty_bucket_uploads_every_file_with_metadata(self):
        files = self.gallery()
        created = self.start_sync()
        self.assert_counts(created, status="queued", stage="queued", message="Queued R2 gallery sync", progress=0,
                           total_count=len(files), compared_count=0, error=None)
        self.assertRegex(created["job_id"], r"^[0-9a-f]{32}$")
        s = self.wait_sync(created["job_id"])
        self.assert_counts(s, status="success", stage="completed", message="R2 gallery sync complete", progress=100,
                           error=None, total_count=len(files), compared_count=len(files), uploaded_count=len(files),
                           skipped_existing_count=0, missing_local_count=0, failed_count=0,
                           bytes_total=sum(f[1] for f in files.values()),
                           bytes_uploaded=sum(f[1] for f in files.values()))
        objects = self.server.objects()
        self.assertEqual(set(objects), {self.prefix + name for name in files})
        for name, (gid, size, sha) in files.items():
            o = objects[self.prefix + name]
            self.assertEqual(o["size"], size)
            self.assertEqual(o["sha256"], sha)
            self.assertEqual(o["content_type"], "image/png")
            self.assertEqual(o["metadata"], {"gallery-id": gid, "sha256": sha, "bytes": str(size)})
        methods = {e["method"] for e in self.server.log()}
        self.assertEqual(methods, {"GET", "HEAD", "PUT"})
        self.assertTrue(all(e["status"] in (200, 404) for e in self.server.log()), self.server.log())

    def test_partial_bucket_uploads_only_what_is_missing_and_touches_nothing_else(self):
        files = self.gallery()
        names = sorted(files)
        # Two gallery keys already exist with other bytes: they must stay exactly as they are.
        seeded = {self.prefix + names[0]: b"older backup A", self.prefix + names[1]: b"older backup B",
                  self.prefix + "unrelated.txt": b"not ours", "outside/" + names[2]: b"other prefix"}
        self.server.seed(seeded)
        before = self.server.objects()
        s = self.run_sync()
        self.assert_counts(s, status="success", uploaded_count=len(files) - 2, skipped_existing_count=2,
                           failed_count=0, compared_count=len(files),
                           bytes_uploaded=sum(files[n][1] for n in names[2:]))
        after = self.server.objects()
        for key in seeded:
            self.assertEqual(after[key]["etag"], before[key]["etag"], key)
            self.assertEqual(after[key]["size"], before[key]["size"], key)
            self.assertEqual(after[key]["put_count"], 0, key)
        self.assertEqual(sorted(self.puts()), sorted(self.prefix + n for n in names[2:]))
        self.assertNotIn("DELETE", {e["method"] for e in self.server.log()})

    def test_second_run_uploads_nothing(self):
        first = self.run_sync()
        self.assertEqual(first["status"], "success", first)
        puts = len(self.puts())
        second = self.run_sync()
        self.assert_counts(second, status="success", uploaded_count=0, skipped_existing_count=first["total_count"],
                           bytes_uploaded=0, progress=100)
        self.assertEqual(len(self.puts()), puts)

    def test_server_error_in_the_middle(self):
        files = self.gallery()
        self.server.faults(put_fail_after=2)
        s = self.run_sync()
        failed = len(files) - 2
        self.assert_counts(s, status="error", stage="error", message="R2 gallery sync failed", uploaded_count=2,
                           failed_count=failed, compared_count=len(files), progress=100)
        prefix = f"R2 sync failed for {failed} image(s): "
        self.assertTrue(s["error"].startswith(prefix), s["error"])
        samples = s["error"][len(prefix):].split("; ")
        self.assertEqual(samples[-1], f"{failed - 3} more")
        for sample in samples[:3]:
            name, _, why = sample.partition(": ")
            self.assertIn(name, files)
            self.assertEqual(why, "InternalError (HTTP 500): We encountered an internal error. Please try again. "
                                  "The server failed. Try again later.")
        # The next run, with the server healthy again, uploads exactly the failed ones.
        self.server.faults()
        again = self.run_sync()
        self.assert_counts(again, status="success", uploaded_count=failed, skipped_existing_count=2)

    def test_wrong_secret_gives_a_clear_error(self):
        self.set_r2(key_prefix=self.prefix, secret_access_key="${WRONG_SECRET}")
        s = self.run_sync()
        self.assert_counts(s, status="error", stage="error", message="R2 gallery sync failed", uploaded_count=0)
        self.assertEqual(s["error"], "ListObjectsV2 failed: SignatureDoesNotMatch (HTTP 403): The request signature "
                                     "we calculated does not match the signature you provided. Check your key and "
                                     "signing method. Check the secret access key and the region.")
        self.assertNotIn("not-the-secret", self.panel.stderr)
        self.assertEqual(self.server.objects(), {})

    def test_wrong_access_key_and_wrong_region(self):
        self.set_r2(key_prefix=self.prefix, access_key_id="${WRONG_KEY}")
        s = self.run_sync()
        self.assertEqual(s["error"], "ListObjectsV2 failed: InvalidAccessKeyId (HTTP 403): The AWS Access Key Id you "
                                     "provided does not exist in our records. Check the access key ID.")
        self.set_r2(key_prefix=self.prefix, region="eu-west-1")
        s = self.run_sync()
        self.assertTrue(s["error"].startswith("ListObjectsV2 failed: AuthorizationHeaderMalformed (HTTP 400)"), s)
        self.assertTrue(s["error"].endswith("Check the region."), s)

    def test_configuration_errors_are_400(self):
        cases = [({"enabled": False}, "R2 backup is disabled."),
                 ({"endpoint_url": ""}, "R2 endpoint URL is not configured."),
                 ({"bucket_name": ""}, "R2 bucket name is not configured."),
                 ({"access_key_id": ""}, "R2 access key ID is not configured."),
                 ({"access_key_id": "${R2_NOT_SET}"},
                  "R2 access key ID environment variable R2_NOT_SET is not set or empty."),
                 ({"secret_access_key": "${R2_NOT_SET}"},
                  "R2 secret access key environment variable R2_NOT_SET is not set or empty.")]
        for fields, detail in cases:
            self.set_r2(key_prefix=self.prefix, **fields)
            r = self.api("POST", "/api/gallery/sync-jobs", {})
            self.assertError(r, 400, detail)
        self.assertEqual(self.server.log(), [])

    def test_strict_optional_body(self):
        r = self.api("POST", "/api/gallery/sync-jobs", {"nope": 1})
        self.assertEqual(r.status, 422, r)
        r = self.api("POST", "/api/gallery/sync-jobs", {"full_reconcile": "yes"})
        self.assertEqual(r.status, 422, r)
        s = self.wait_sync(self.start_sync({"full_reconcile": True})["job_id"])
        self.assertEqual(s["status"], "success")
        r = self.api("POST", "/api/gallery/sync-jobs", b"")
        self.assertEqual(r.status, 202, r)
        self.wait_sync(r.json()["job_id"])

    def test_one_active_sync_at_a_time(self):
        self.server.faults(put_delay_ms=300)
        first = self.start_sync()
        r = self.api("POST", "/api/gallery/sync-jobs", {})
        self.assertError(r, 429, "A gallery R2 sync job is already queued or running.")
        self.assertEqual(self.wait_sync(first["job_id"])["status"], "success")
        self.wait_sync(self.start_sync()["job_id"])

    def test_progress_over_sse_ends_with_the_terminal_event(self):
        self.server.faults(put_delay_ms=150)
        job_id = self.start_sync()["job_id"]
        r = self.api("GET", f"/api/gallery/sync-jobs/{job_id}/events")
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.header("Content-Type").startswith("text/event-stream"))
        events = [json.loads(block.split("\ndata: ", 1)[1]) for block in r.text.split("\n\n")
                  if block.startswith("event: sync\n")]
        self.assertGreaterEqual(len(events), 2, r.text)
        self.assertTrue(all(e["job_id"] == job_id for e in events))
        self.assertEqual(events[-1]["status"], "success")
        stages = [e["stage"] for e in events]
        self.assertIn("uploading", stages)
        progress = [e["progress"] for e in events]
        self.assertEqual(progress, sorted(progress))
        # A stream opened after the end yields the final state once and closes.
        r = self.api("GET", f"/api/gallery/sync-jobs/{job_id}/events")
        self.assertEqual(r.text.count("event: sync\n"), 1, r.text)
        self.assertIn('"status":"success"', r.text)

    def test_unknown_job(self):
        r = self.api("GET", "/api/gallery/sync-jobs/" + "0" * 32)
        self.assertError(r, 404, "Gallery sync job not found")
        r = self.api("GET", "/api/gallery/sync-jobs/" + "0" * 32 + "/events")
        self.assertError(r, 404, "Gallery sync job not found")

    def test_missing_local_file_is_counted_not_uploaded(self):
        files = self.gallery()
        name = sorted(files)[0]
        path = self.images_dir / name
        data = path.read_bytes()
        path.unlink()
        try:
            s = self.run_sync()
        finally:
            path.write_bytes(data)
        self.assert_counts(s, status="success", missing_local_count=1, uploaded_count=len(files) - 1,
                           bytes_total=sum(f[1] for n, f in files.items() if n != name))
        self.assertNotIn(self.prefix + name, self.server.objects())


class SyncEmptyGalleryTests(SyncCase):
    images = 0

    def test_empty_gallery_is_404_before_anything_else(self):
        self.set_r2(enabled=False)
        r = self.api("POST", "/api/gallery/sync-jobs", {})
        self.assertError(r, 404, "No images in gallery")


class SyncS3rverTests(SyncCase):
    server_class = S3rver
    images = 5

    def test_empty_then_partial_bucket(self):
        files = self.gallery()
        names = sorted(files)
        self.server.put(self.prefix + names[0], b"kept as it is", content_type="text/plain")
        before = self.server.objects(prefix=self.prefix)
        s = self.run_sync()
        self.assert_counts(s, status="success", uploaded_count=len(files) - 1, skipped_existing_count=1)
        after = self.server.objects(prefix=self.prefix)
        self.assertEqual(after[self.prefix + names[0]], before[self.prefix + names[0]])
        for name in names[1:]:
            self.assertEqual(after[self.prefix + name]["size"], files[name][1])
            self.assertEqual(after[self.prefix + name]["etag"],
                             hashlib.md5((self.images_dir / name).read_bytes()).hexdigest())
            status, headers = self.server.head(self.prefix + name)
            self.assertEqual(status, 200)
            self.assertEqual(headers["x-amz-meta-sha256"], files[name][2])
            self.assertEqual(headers["x-amz-meta-gallery-id"], files[name][0])
            self.assertEqual(headers["x-amz-meta-bytes"], str(files[name][1]))
            self.assertEqual(headers["content-type"], "image/png")

    def test_two_thousand_objects_are_paged(self):
        files = self.gallery()
        names = sorted(files)
        # 2,000 other objects under the prefix; two gallery files sort after all of them, so
        # only the second page of the listing says they exist.
        self.server.put_many({f"{self.prefix}0000-filler-{i:04d}.bin": b"x" for i in range(2000)})
        late = {f"{self.prefix}{names[0]}", f"{self.prefix}{names[1]}"}
        for key in late:
            self.server.put(key, b"already backed up")
        self.assertGreater(len(self.server.objects(prefix=self.prefix)), 2000)
        s = self.run_sync()
        self.assert_counts(s, status="success", skipped_existing_count=2, uploaded_count=len(files) - 2)
        after = self.server.objects(prefix=self.prefix)
        for key in late:
            self.assertEqual(after[key]["size"], len(b"already backed up"))


class SyncCrashTests(SyncCase):
    """kill -9 in the middle of a sync, restart, sync again: only the rest is uploaded."""

    images = 12

    def test_kill_during_sync_then_second_run(self):
        files = self.gallery()
        self.server.faults(put_delay_ms=400)
        job_id = self.start_sync()["job_id"]
        wait_until(lambda: len(self.server.objects()) >= 3, SYNC_TIMEOUT, what="a few uploads")
        os.kill(self.panel.proc.pid, signal.SIGKILL)
        self.panel.proc.wait(10)
        time.sleep(1.0)  # PUTs the stand-in was still delaying complete (or fail) now
        uploaded_before = set(self.server.objects())
        self.assertLess(len(uploaded_before), len(files))
        with self.db() as db:
            row = db.execute("SELECT status, kind FROM gallery_jobs WHERE job_id = ?", (job_id,)).fetchone()
        self.assertEqual(row, ("running", "sync"))
        # The same data and images directories, a new process.
        self.server.faults()
        self.panel.stop()
        cls = type(self)
        cls.panel = Panel(self.configure(self.tmp), self.args, tmp=self.tmp).start()
        old = self.sync_status(job_id)
        self.assert_counts(old, status="error", stage="error", message="R2 gallery sync failed")
        self.assertIn("interrupted", old["error"])
        log_before = len(self.server.log())
        s = self.run_sync()
        self.assert_counts(s, status="success", total_count=len(files),
                           skipped_existing_count=len(uploaded_before),
                           uploaded_count=len(files) - len(uploaded_before))
        new_puts = [e["path"][len("/backup/"):] for e in self.server.log()[log_before:] if e["method"] == "PUT"]
        self.assertEqual(sorted(new_puts), sorted(set(self.prefix + n for n in files) - uploaded_before))
        self.assertEqual(set(self.server.objects()), {self.prefix + n for n in files})
        # The interrupted record is now stored as such.
        with self.db() as db:
            row = db.execute("SELECT status FROM gallery_jobs WHERE job_id = ?", (job_id,)).fetchone()
        self.assertEqual(row, ("error",))


class SyncEnvOnlyTests(SyncCase):
    """R2 configured by the environment alone (§11.1), credentials as ${R2_ACCESS_KEY_ID} refs."""

    images = 2

    @classmethod
    def configure(cls, tmp):
        env = cls.base_env(tmp)
        env.update(r2_env(cls.server, prefix="env-only"))
        return env

    def setUp(self):
        self.server.reset()

    def test_sync_with_env_only_settings(self):
        files = self.gallery()
        s = self.run_sync()
        self.assert_counts(s, status="success", total_count=2, uploaded_count=2)
        self.assertEqual(set(self.server.objects()), {"env-only/" + n for n in files})
