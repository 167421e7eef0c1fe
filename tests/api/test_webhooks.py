"""Webhook delivery (spec §10): one signed POST per finished job to an HTTPS receiver on 127.0.0.1,
the §10.2 headers and body, and retries with backoff."""

import hashlib
import hmac
import time
import unittest

from .upstream import JobsCase, PyServer, tag, wait_until

SECRET = "webhook-test-secret"
SMALL = "[mock:size=32x32]"
BODY_KEYS = {"job_id", "status", "stage", "message", "operation", "id", "image_id", "image_url", "prompt", "size",
             "created_at", "started_at", "completed_at", "updated_at", "image_width", "image_height", "model",
             "quality", "output_format", "output_compression", "response_format", "n", "api_path",
             "api_preset_name", "duration", "error"}


class Webhooks(JobsCase):
    env = {"WEBHOOK_SIGNING_SECRET": SECRET, "WEBHOOK_MAX_ATTEMPTS": "3", "WEBHOOK_TIMEOUT_SECONDS": "5"}
    plans = {}  # path -> list of statuses to answer in turn (then 200)

    @classmethod
    def start_servers(cls):
        def answer(rec):
            plan = cls.plans.get(rec.path) or []
            status = plan.pop(0) if plan else 200
            return status, {"Content-Type": "text/plain"}, b"ok" if status == 200 else b"nope"

        cls.receiver = PyServer(answer)
        cls.addClassCleanup(cls.receiver.stop)

    def hook(self, plan=()):
        path = "/hook/" + tag()
        self.plans[path] = list(plan)
        return path, self.receiver.url + path

    def deliveries(self, path, count, timeout=15):
        wait_until(lambda: len(self.receiver.requests(path)) >= count, timeout, what=f"{count} webhook POSTs")
        return self.receiver.requests(path)

    def assert_signed(self, rec, job_id):
        h = rec.headers
        self.assertEqual(rec.method, "POST")
        self.assertEqual(h.get("content-type"), "application/json")
        self.assertEqual(h.get("user-agent"), "gpt-image-panel-webhook")
        self.assertEqual(h.get("x-webhook-event"), "image.job.finished")
        self.assertEqual(h.get("x-webhook-job-id"), job_id)
        ts = h.get("x-webhook-timestamp")
        self.assertRegex(ts, r"^\d+$")
        self.assertLess(abs(int(ts) - time.time()), 120)
        expected = hmac.new(SECRET.encode(), ts.encode() + b"." + rec.body, hashlib.sha256).hexdigest()
        self.assertEqual(h.get("x-webhook-signature"), "sha256=" + expected)
        self.assertNotIn(b'": ', rec.body, "compact JSON")
        self.assertNotIn(b', "', rec.body, "compact JSON")
        return rec.json()

    def test_success_delivery(self):
        path, url = self.hook()
        job = self.run_job(f"webhook ok {tag()} {SMALL}", webhook_url=url)
        self.assertEqual(job["status"], "success", job)
        recs = self.deliveries(path, 1)
        time.sleep(0.3)  # a duplicate delivery would arrive right after the first one
        recs = self.receiver.requests(path)
        self.assertEqual(len(recs), 1, [r.body for r in recs])
        body = self.assert_signed(recs[0], job["job_id"])
        self.assertEqual(body.pop("event"), "image.job.finished")
        self.assertRegex(body.pop("delivered_at"), r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")
        self.assertLessEqual(set(body), BODY_KEYS)
        self.assertNotIn(None, body.values(), "null keys are omitted")
        self.assertNotIn("output_compression", body)  # null for png
        self.assertNotIn("error", body)
        for key in ("job_id", "status", "stage", "operation", "image_id", "image_url", "created_at", "completed_at",
                    "model", "n", "api_path"):
            self.assertEqual(body[key], job[key], key)
        self.assertEqual(body["status"], "success")

    def test_failed_job_delivery(self):
        path, url = self.hook()
        job = self.run_job(f"webhook fail {tag()} [mock:status=500][mock:error-message=hook boom]",
                           webhook_url=url)
        self.assertEqual(job["status"], "upstream_error", job)
        body = self.assert_signed(self.deliveries(path, 1)[0], job["job_id"])
        self.assertEqual(body["status"], "upstream_error")
        self.assertIn("hook boom", body["error"])
        self.assertNotIn("image_id", body)

    def test_retries_with_backoff(self):
        path, url = self.hook([500, 500])
        job = self.run_job(f"webhook retry {tag()} {SMALL}", webhook_url=url)
        self.assertEqual(job["status"], "success", job)
        recs = self.deliveries(path, 3, timeout=20)
        time.sleep(1.5)  # a 4th attempt would follow within the 4 s backoff cap; none may come
        recs = self.receiver.requests(path)
        self.assertEqual(len(recs), 3)
        for rec in recs:
            self.assert_signed(rec, job["job_id"])
        gaps = [b.time - a.time for a, b in zip(recs, recs[1:])]
        self.assertGreaterEqual(gaps[0], 0.9, gaps)  # sleep 1 s
        self.assertGreaterEqual(gaps[1], 1.9, gaps)  # sleep 2 s

    def test_http_webhook_refused(self):
        r = self.generate(f"webhook http {tag()}", webhook_url=self.receiver.url.replace("https", "http") + "/x")
        detail = self.assertError(r, 422)["detail"]
        self.assertIn("Only HTTPS URLs are allowed for webhook callbacks", detail)

    def test_private_webhook_refused(self):
        r = self.generate(f"webhook private {tag()}", webhook_url="https://127.0.0.2:9/hook")
        detail = self.assertError(r, 422)["detail"]
        self.assertIn("private/internal IP", detail)


if __name__ == "__main__":
    unittest.main()
