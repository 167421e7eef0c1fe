"""Startup reconciliation (spec §4.7): jobs left queued or running by a previous
process (ours, or the original panel's database) become `interrupted`."""

import sqlite3
import tempfile
import unittest

from tests.api.panel import ACCESS_KEY, Panel


class StartupReconciliation(unittest.TestCase):
    def test_unfinished_jobs_become_interrupted(self):
        with tempfile.TemporaryDirectory(prefix="panel-reconcile-") as tmp:
            env = {"ACCESS_KEY": ACCESS_KEY}
            first = Panel(env=env, tmp=tmp).start()  # creates the schema
            self.assertEqual(first.stop()[0], 0)
            db = sqlite3.connect(f"{tmp}/data/app.sqlite3")
            now = "2026-01-01T00:00:00+00:00"
            for job_id, status in (("a", "queued"), ("b", "running"), ("c", "success")):
                db.execute("INSERT INTO generate_jobs (job_id, status, stage, created_at, updated_at) "
                           "VALUES (?, ?, ?, ?, ?)", (job_id, status, status, now, now))
            db.commit()
            db.close()
            second = Panel(env=env, tmp=tmp).start()
            code, err = second.stop()
            self.assertEqual(code, 0)
            self.assertIn("marked 2 unfinished job(s) as interrupted", err)
            db = sqlite3.connect(f"{tmp}/data/app.sqlite3")
            rows = dict((r[0], r[1:]) for r in db.execute(
                "SELECT job_id, status, stage, message, error, completed_at FROM generate_jobs"))
            db.close()
            for job_id in ("a", "b"):
                status, stage, message, error, completed_at = rows[job_id]
                self.assertEqual((status, stage), ("interrupted", "interrupted"))
                self.assertEqual(message, "Job interrupted by server restart")
                self.assertEqual(error, "Job interrupted by server restart")
                self.assertTrue(completed_at.endswith("+00:00"))
            self.assertEqual(rows["c"][0], "success")


if __name__ == "__main__":
    unittest.main()
