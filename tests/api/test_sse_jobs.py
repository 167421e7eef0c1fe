"""Job SSE streams (spec §5.1-§5.4): framing, headers, the per-job stream closing after the terminal
event, the active-jobs stream, and the per-IP subscriber limit."""

import json
import re
import unittest

from .upstream import TERMINAL, JobsCase, tag, wait_until

SMALL = "[mock:size=32x32]"
FRAME = re.compile(rb"event: ([a-z]+)\ndata: ([^\n]*)\n\n")


def parse_frames(testcase, raw):
    """Splits a complete SSE body into (event, json) pairs, requiring the exact §5.1 framing."""
    events = []
    pos = 0
    while pos < len(raw):
        if raw.startswith(b": keep-alive\n\n", pos):
            pos += len(b": keep-alive\n\n")
            continue
        m = FRAME.match(raw, pos)
        testcase.assertIsNotNone(m, f"bad SSE framing at byte {pos}: {raw[pos:pos + 200]!r}")
        data = m.group(2)
        testcase.assertNotIn(b'": ', data, "data must be compact JSON")
        testcase.assertNotIn(b', "', data, "data must be compact JSON")
        events.append((m.group(1).decode(), json.loads(data)))
        pos = m.end()
    return events


class Stream:
    """An open SSE response read frame by frame (http.client undoes chunking)."""

    def __init__(self, case, path, timeout=10):
        self.conn = case.panel.connect(timeout)
        self.conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        self.conn.putheader("Host", case.panel.host)
        self.conn.putheader("Cookie", case.cookie[1])
        self.conn.putheader("Accept", "text/event-stream")
        self.conn.endheaders()
        self.resp = self.conn.getresponse()
        self.case = case

    def next_event(self):
        """The next (event, data); keep-alive comments are skipped; None at end of stream."""
        while True:
            lines = []
            while True:
                line = self.resp.readline()
                if not line:
                    return None
                if line == b"\n":
                    break
                lines.append(line)
            if lines and all(x.startswith(b":") for x in lines):
                continue
            events = parse_frames(self.case, b"".join(lines) + b"\n")
            self.case.assertEqual(len(events), 1)
            return events[0]

    def close(self):
        # With "Connection: close" http.client hands the socket to the response:
        # closing the connection alone would leave it open.
        self.resp.close()
        self.conn.close()


class JobStreams(JobsCase):
    def assert_sse_headers(self, r):
        self.assertEqual(r.status, 200)
        self.assertTrue((r.getheader("Content-Type") or "").startswith("text/event-stream"), r.getheaders())
        self.assertEqual(r.getheader("Cache-Control"), "no-cache")
        self.assertEqual(r.getheader("X-Accel-Buffering"), "no")
        self.assertIsNone(r.getheader("Content-Encoding"))

    def test_unknown_job_is_404_json(self):
        r = self.api("GET", "/api/generate/00000000-0000-4000-8000-000000000000/events")
        self.assertError(r, 404, "Generation job not found", "not_found")

    def test_finished_job_yields_one_event(self):
        job = self.run_job(f"finished sse {tag()} {SMALL}")
        self.assertEqual(job["status"], "success", job)
        s = Stream(self, f"/api/generate/{job['job_id']}/events")
        try:
            self.assert_sse_headers(s.resp)
            raw = s.resp.read()  # the server must close the stream by itself
        finally:
            s.close()
        events = parse_frames(self, raw)
        self.assertEqual(len(events), 1, raw)
        name, data = events[0]
        self.assertEqual(name, "job")
        self.assertEqual(data["job_id"], job["job_id"])
        self.assertEqual(data["status"], "success")
        self.assertEqual(data["image_url"], job["image_url"])
        self.assertTrue(raw.startswith(b"event: job\ndata: {"), raw[:40])
        self.assertTrue(raw.endswith(b"}\n\n"))

    def test_running_job_stream_ends_after_terminal(self):
        job_id = self.start_job(f"live sse {tag()} [mock:delay=800] {SMALL}")
        s = Stream(self, f"/api/generate/{job_id}/events", timeout=20)
        try:
            self.assert_sse_headers(s.resp)
            raw = s.resp.read()
        finally:
            s.close()
        events = parse_frames(self, raw)
        self.assertGreaterEqual(len(events), 2, raw)
        self.assertEqual({e[0] for e in events}, {"job"})
        self.assertEqual({e[1]["job_id"] for e in events}, {job_id})
        self.assertIn(events[0][1]["status"], ("queued", "running"))
        statuses = [e[1]["status"] for e in events]
        self.assertEqual(statuses[-1], "success", statuses)
        self.assertEqual([s for s in statuses if s in TERMINAL], ["success"], "exactly one terminal event, last")

    def test_jobs_list_stream(self):
        self.wait_idle()
        s = Stream(self, "/api/generate/jobs/events", timeout=15)
        try:
            self.assert_sse_headers(s.resp)
            self.assertEqual(s.next_event(), ("jobs", []))
            job_id = self.start_job(f"list sse {tag()} [mock:delay=600] {SMALL}")
            seen = []
            while True:
                event = s.next_event()
                self.assertIsNotNone(event, "the jobs stream must stay open")
                name, data = event
                self.assertEqual(name, "jobs")
                self.assertIsInstance(data, list)
                seen.append(data)
                if data == [] and any(seen[:-1]):
                    break
            with_job = [d for d in seen if d]
            self.assertTrue(with_job)
            for d in with_job:
                self.assertEqual([j["job_id"] for j in d], [job_id])
                self.assertIn(d[0]["status"], ("queued", "running"))
        finally:
            s.close()
        self.assertEqual(self.job(job_id)["status"], "success")


class StreamLimit(JobsCase):
    env = {"MAX_SSE_SUBSCRIBERS_PER_IP": "1"}

    def test_second_stream_refused(self):
        first = Stream(self, "/api/generate/jobs/events")
        try:
            self.assertEqual(first.next_event(), ("jobs", []))
            r = self.api("GET", "/api/generate/jobs/events")
            self.assertError(r, 429, "Too many SSE connections", "rate_limited")
            job = self.run_job(f"limit {tag()} {SMALL}")
            r = self.api("GET", f"/api/generate/{job['job_id']}/events")
            self.assertError(r, 429, "Too many SSE connections")
        finally:
            first.close()

        # The slot comes back once the first stream is gone. A server may only notice the hang-up when
        # it next writes, so make the active list change (a job) before expecting the slot back.
        self.run_job(f"after close {tag()} {SMALL}")
        def reopened():
            s = Stream(self, "/api/generate/jobs/events")
            try:
                return s.resp.status == 200 and s.next_event() == ("jobs", [])
            finally:
                s.close()

        wait_until(reopened, 5, interval=0.2, what="the SSE slot to be released")


if __name__ == "__main__":
    unittest.main()
