"""The scheduled R2 backup (spec §11.3 [LATER], built here): with backup enabled and
sync_interval_hours > 0, the panel starts a sync job by itself when none was created
within the interval; it checks a few seconds after startup and then every minute."""

import time

from .panel import Panel
from .test_r2_sync import SyncCase
from .upstream import wait_until

FIRST_CHECK = 5  # seconds after startup (actors/sync_scheduler.hpp)


class ScheduledSyncTests(SyncCase):
    images = 3
    env = {"R2_SYNC_CONCURRENCY": "2"}

    def sync_rows(self):
        with self.db() as db:
            return [r[0] for r in db.execute("SELECT job_id FROM gallery_jobs WHERE kind = 'sync' ORDER BY created_at")]

    def restart(self):
        self.panel.stop()
        cls = type(self)
        cls.panel = Panel(self.configure(self.tmp), self.args, tmp=self.tmp).start()

    def test_starts_when_due_then_waits_for_the_interval(self):
        files = self.gallery()
        # sync_interval_hours 0 (setUp): nothing is scheduled.
        self.restart()
        time.sleep(FIRST_CHECK + 2)
        self.assertEqual(self.sync_rows(), [])

        self.set_r2(key_prefix=self.prefix, sync_interval_hours=6)
        self.restart()
        (job_id,) = wait_until(lambda: self.sync_rows(), FIRST_CHECK + 20, what="a scheduled sync job")
        s = self.wait_sync(job_id)
        self.assert_counts(s, status="success", total_count=len(files), uploaded_count=len(files))
        self.assertEqual(set(self.server.objects()), {self.prefix + n for n in files})
        wait_until(lambda: f"scheduled R2 backup started: sync job {job_id} (every 6 hour(s))" in self.panel.stderr,
                   10, what="the log line")

        # Created minutes ago, the interval is 6 hours: the next start is not due.
        self.restart()
        time.sleep(FIRST_CHECK + 2)
        self.assertEqual(self.sync_rows(), [job_id])

        # Six hours later (the job's record aged by hand), it is.
        with self.db() as db:
            db.execute("UPDATE gallery_jobs SET created_at = '2020-01-01T00:00:00+00:00' WHERE job_id = ?", (job_id,))
        self.restart()
        rows = wait_until(lambda: self.sync_rows() if len(self.sync_rows()) == 2 else None, FIRST_CHECK + 20,
                          what="a second scheduled sync job")
        s = self.wait_sync(rows[-1])
        self.assert_counts(s, status="success", uploaded_count=0, skipped_existing_count=len(files))

    def test_unusable_settings_are_logged_and_nothing_starts(self):
        self.set_r2(key_prefix=self.prefix, sync_interval_hours=1, bucket_name="")
        with self.db() as db:  # no earlier job: a start is due
            db.execute("DELETE FROM gallery_jobs WHERE kind = 'sync'")
        self.restart()
        wait_until(lambda: "scheduled R2 backup cannot start: " in self.panel.stderr, FIRST_CHECK + 20,
                   what="the warning")
        self.assertIn("R2 bucket name is not configured.", self.panel.stderr)
        self.assertEqual(self.sync_rows(), [])
        line = [x for x in self.panel.stderr.splitlines() if "scheduled R2 backup cannot start" in x][0]
        self.assertIn("WARNING", line)
        self.assertNotIn("S3_TEST_SECRET_KEY", line)
