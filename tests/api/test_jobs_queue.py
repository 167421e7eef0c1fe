"""Queue capacity, the run-slot/upstream semaphore and cancelling a queued job (spec §4.4, §4.6)
with MAX_ACTIVE_GENERATE_JOBS=1 and MAX_QUEUED_GENERATE_JOBS=3."""

import unittest

from .upstream import JobsCase, png_bytes, tag, wait_until

SMALL = "[mock:size=32x32]"
DELAY_MS = 400


class QueueCapacity(JobsCase):
    env = {"MAX_ACTIVE_GENERATE_JOBS": "1", "MAX_QUEUED_GENERATE_JOBS": "3"}

    def history_prompts(self):
        r = self.api("GET", "/api/generate/jobs?include_finished=true&limit=500")
        self.assertEqual(r.status, 200, r)
        return " ".join(j.get("prompt") or "" for j in r.json())

    def test_queue_full_and_serial_children(self):
        self.wait_idle()
        ta, tb, tc = tag(), tag(), tag()
        a = self.start_job(f"big {ta} [mock:delay={DELAY_MS}] {SMALL}", n=3)
        self.wait_job(a, {"running"})
        b = self.start_job(f"small {tb} [mock:delay=50] {SMALL}")
        refused = self.generate(f"refused {tc} {SMALL}")
        self.assertError(refused, 429, "Generation job queue is full", "rate_limited")
        # generation and edit share the same capacity
        edit = self.edit(f"refused edit {tc}", files=[("image", "src.png", "image/png", png_bytes())])
        self.assertError(edit, 429, "Generation job queue is full")
        self.assertEqual(sorted(j["job_id"] for j in self.active_jobs()), sorted([a, b]))
        self.assertNotIn(tc, self.history_prompts())
        wait_until(lambda: not self.staged_files(), 5, what="no staged edit sources")

        job_a = self.wait_job(a)
        job_b = self.wait_job(b)
        self.assertEqual((job_a["status"], len(job_a["images"])), ("success", 3), job_a)
        self.assertEqual(job_b["status"], "success", job_b)
        self.assertEqual(self.mock.requests(tc), [])

        calls_a = self.mock.requests(ta, "images/generations")
        self.assertEqual([c["body"]["n"] for c in calls_a], [1, 1, 1])
        starts = sorted(c["time_ms"] for c in calls_a)
        # One upstream slot: each child starts only after the previous answer (DELAY_MS later).
        for earlier, later in zip(starts, starts[1:]):
            self.assertGreaterEqual(later - earlier, DELAY_MS - 50, starts)
        calls_b = self.mock.requests(tb, "images/generations")
        self.assertEqual(len(calls_b), 1)
        self.assertGreaterEqual(calls_b[0]["time_ms"] - starts[-1], DELAY_MS - 50)

        # capacity is released once the jobs are done
        again = self.start_job(f"again {tag()} {SMALL}", n=4)
        self.assertEqual(self.wait_job(again)["status"], "success")

    def test_cancel_queued(self):
        self.wait_idle()
        ta, tb = tag(), tag()
        a = self.start_job(f"running {ta} [mock:delay=3000] {SMALL}")
        self.wait_job(a, {"running"})
        b = self.start_job(f"queued {tb} {SMALL}")
        self.assertEqual(self.job(b)["status"], "queued")
        r = self.api("DELETE", f"/api/generate/{b}")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json(), {"status": "success", "message": "Generation job cancelled"})
        job_b = self.job(b)
        self.assertEqual((job_b["status"], job_b["stage"]), ("cancelled", "cancelled"))
        self.assertIsNone(job_b["started_at"])
        r = self.api("DELETE", f"/api/generate/{a}")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.job(a)["status"], "cancelled")
        self.assertEqual(self.active_jobs(), [])
        # The slot is free again; a later job runs, and the cancelled queued job never does.
        later = self.start_job(f"later {tag()} {SMALL}")
        self.assertEqual(self.wait_job(later)["status"], "success")
        self.assertEqual(self.mock.requests(tb), [])
        self.assertEqual(self.job(a)["status"], "cancelled")
        self.assertEqual(self.job(b)["status"], "cancelled")


if __name__ == "__main__":
    unittest.main()
