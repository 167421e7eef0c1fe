"""A crash (SIGKILL) while jobs run, then a restart on the same DATA_DIR (spec §4.7, §8.6, §13.1):
unfinished jobs become `interrupted`, no gallery row lacks its file, no staged edit source is left."""

import sqlite3
import unittest

from .upstream import JobsCase, Panel, png_bytes, tag, wait_until

SMALL = "[mock:size=32x32]"
INTERRUPTED = "Job interrupted by server restart"


class CrashRestart(JobsCase):
    env = {"MAX_ACTIVE_GENERATE_JOBS": "2"}

    def test_kill_and_restart(self):
        done = self.run_job(f"before crash {tag()} {SMALL}")
        self.assertEqual(done["status"], "success", done)
        t1, t2 = tag(), tag()
        running = [self.start_job(f"crash {t} [mock:delay=8000] {SMALL}") for t in (t1, t2)]
        r = self.edit(f"crash edit {tag()} {SMALL}", [("image", "src.png", "image/png", png_bytes())])
        self.assertEqual(r.status, 202, r)
        queued_edit = r.json()["job_id"]
        for job_id in running:
            self.wait_job(job_id, {"running"})
        wait_until(lambda: self.mock.requests(t1) and self.mock.requests(t2), what="both upstream calls")
        self.assertEqual(self.job(queued_edit)["status"], "queued")
        self.assertTrue(self.staged_files(), "the queued edit's source must be staged on disk")

        old = self.panel
        old.proc.kill()
        old.proc.wait(10)
        old.stop()
        new = Panel(self.configure(self.tmp), tmp=self.tmp).start()
        type(self).panel = new  # tearDownClass stops the new one

        for job_id in (*running, queued_edit):
            job = self.job(job_id)
            self.assertEqual((job["status"], job["stage"]), ("interrupted", "interrupted"), job)
            self.assertEqual(job["message"], INTERRUPTED)
            self.assertEqual(job["error"], INTERRUPTED)
            self.assertIsNotNone(job["completed_at"])
        self.assertEqual(self.active_jobs(), [])
        self.assertEqual(self.job(done["job_id"])["status"], "success")
        self.assertEqual(self.staged_files(), [])

        db = sqlite3.connect(self.tmp / "data" / "app.sqlite3")
        try:
            names = [row[0] for row in db.execute("SELECT filename FROM gallery_entries")]
        finally:
            db.close()
        self.assertIn(done["images"][0]["filename"], names)
        missing = [n for n in names if not (self.images_dir / n).is_file()]
        self.assertEqual(missing, [], "gallery rows without a file")

        # the restarted panel works
        again = self.run_job(f"after crash {tag()} {SMALL}")
        self.assertEqual(again["status"], "success", again)


if __name__ == "__main__":
    unittest.main()
