"""Generation jobs from outside (spec §3.6, §3.7, §4, §6.3-§6.5): creation, validation, the
upstream payloads, fan-out and outcome rules, cancel, list/history, and the pre-checks."""

import re
import unittest

from .panel import ISO_UTC
from .upstream import JobsCase, Panel, tag, wait_until

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
SMALL = "[mock:size=32x32]"
RESPONSES_MODEL = "test-responses-model"


class GenerateJobs(JobsCase):
    env = {"DEFAULT_RESPONSES_MODEL": RESPONSES_MODEL}

    def mock_bodies(self, marker, endpoint="images/generations"):
        return [r["body"] for r in self.mock.requests(marker, endpoint)]

    def downloads_after(self, marker):
        """The /files downloads logged after the (last) API call whose prompt holds `marker`."""
        log = self.mock.stats()["requests"]
        calls = [i for i, r in enumerate(log) if marker in (r.get("prompt") or "")]
        self.assertTrue(calls, "no upstream call logged")
        return [r for r in log[calls[-1] + 1:] if r["endpoint"] == "files"]

    # -- creation and validation -----------------------------------------------------------
    def test_accepted_body(self):
        r = self.generate(f"accepted {tag()} {SMALL}")
        self.assertEqual(r.status, 202, r)
        body = r.json()
        self.assertRegex(body.pop("job_id"), UUID4)
        self.assertEqual(body, {"status": "queued", "stage": "queued", "message": "Queued image generation",
                                "operation": "generation"})

    def test_validation_errors(self):
        cases = [
            ({"prompt": ""}, "prompt"),
            ({"prompt": "x", "size": "1025x1025"}, "size width and height must be multiples of 16"),
            ({"prompt": "x", "size": "0x0"}, "size"),
            ({"prompt": "x", "size": "big"}, "size must be 'auto' or formatted as WIDTHxHEIGHT"),
            ({"prompt": "x", "n": 0}, "n"),
            ({"prompt": "x", "n": 11}, "n"),
            ({"prompt": "x", "unexpected": True}, None),
            ({"prompt": "x", "output_format": "gif"}, "output_format"),
        ]
        for body, fragment in cases:
            with self.subTest(body=body):
                r = self.api("POST", "/api/generate", body)
                detail = self.assertError(r, 422, code="validation_error")["detail"]
                if fragment:
                    self.assertIn(fragment, detail)

    # -- the happy path and the exact upstream payload ------------------------------------
    def test_success_job_shape(self):
        t = tag()
        job = self.run_job(f"shape {t} {SMALL}")
        self.assertEqual(job["status"], "success", job)
        self.assertEqual(job["stage"], "completed")
        self.assertEqual(job["message"], "Image generation completed")
        self.assertEqual(job["operation"], "generation")
        self.assertIsNone(job["error"])
        self.assertEqual(job["n"], 1)
        self.assertEqual(job["size"], "auto")
        self.assertEqual(job["model"], "gpt-image-2")
        self.assertEqual(job["api_path"], "/v1/images/generations")
        self.assertEqual(len(job["images"]), 1, job)
        image = job["images"][0]
        self.assertTrue(image["image_url"].startswith("/api/image/"), image)
        self.assertEqual(image["filename"], image["image_id"] + ".png")
        self.assertEqual(image["image_url"], "/api/image/" + image["filename"])
        self.assertEqual((image["image_width"], image["image_height"]), (32, 32))
        self.assertEqual(job["image_id"], image["image_id"])
        self.assertEqual(job["id"], image["image_id"])
        self.assertEqual(job["image_url"], image["image_url"])
        self.assertIn("db_insert", job["stage_timings"])
        self.assertLessEqual(set(job["stage_timings"]),
                             {"upstream_wait", "download_decode", "validate", "thumbnail", "db_insert"})
        self.assertRegex(job["created_at"], ISO_UTC)
        self.assertTrue(job["completed_at"].endswith("+08:00"), job["completed_at"])
        self.assertTrue((self.images_dir / image["filename"]).is_file())

    def test_saved_image_is_served(self):
        job = self.run_job(f"served {tag()} {SMALL}")
        self.assertEqual(job["status"], "success", job)
        r = self.api("GET", job["image_url"])
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body[:8], b"\x89PNG\r\n\x1a\n")

    def test_generations_payload_png(self):
        t = tag()
        prompt = f"payload {t} {SMALL}"
        job = self.run_job(prompt, output_compression=50)
        self.assertEqual(job["status"], "success", job)
        self.assertIsNone(job["output_compression"])
        reqs = self.mock.requests(t, "images/generations")
        self.assertEqual(len(reqs), 1, reqs)
        self.assertEqual(reqs[0]["method"], "POST")
        self.assertEqual(reqs[0]["headers"].get("user-agent"), "opencode")
        self.assertEqual(reqs[0]["headers"].get("authorization"), "Bearer ***")
        self.assertTrue(reqs[0]["headers"].get("content-type", "").startswith("application/json"))
        self.assertEqual(reqs[0]["body"], {"model": "gpt-image-2", "prompt": prompt, "size": "auto", "n": 1,
                                           "quality": "auto", "output_format": "png"})

    def test_generations_payload_jpeg_url(self):
        t = tag()
        prompt = f"jpeg {t} {SMALL}"
        job = self.run_job(prompt, model="gpt-image-1", size="1024x1024", quality="low", output_format="jpeg",
                           response_format="url")
        self.assertEqual(job["status"], "success", job)
        self.assertEqual(job["output_compression"], 100)
        self.assertEqual(job["images"][0]["filename"], job["image_id"] + ".jpg")
        self.assertEqual(self.mock_bodies(t), [{
            "model": "gpt-image-1", "prompt": prompt, "size": "1024x1024", "n": 1, "quality": "low",
            "output_format": "jpeg", "response_format": "url", "output_compression": 100}])
        downloads = self.downloads_after(t)
        self.assertTrue(downloads, "the url result must be downloaded")
        self.assertEqual({(r["method"], r["path"].rsplit(".", 1)[1]) for r in downloads}, {("GET", "jpg")})

    def test_blank_model_uses_preset_default(self):
        t = tag()
        job = self.run_job(f"blank {t} {SMALL}", model="")
        self.assertEqual(job["status"], "success", job)
        self.assertEqual(job["model"], "gpt-image-2")
        self.assertEqual([b["model"] for b in self.mock_bodies(t)], ["gpt-image-2"])

    def test_responses_path_payload(self):
        t = tag()
        prompt = f"responses {t} {SMALL}"
        job = self.run_job(prompt, api_path="/v1/responses", model="", size="1024x1024", n=1)
        self.assertEqual(job["status"], "success", job)
        self.assertEqual(len(job["images"]), 1)
        reqs = self.mock.requests(t, "responses")
        self.assertEqual(len(reqs), 1, reqs)
        # spec §6.4: exactly prompt + model; a blank request model falls back to DEFAULT_RESPONSES_MODEL.
        self.assertEqual(reqs[0]["body"], {"prompt": prompt, "model": RESPONSES_MODEL})
        self.assertEqual(self.mock.requests(t, "images/generations"), [])

    def test_responses_path_request_model(self):
        t = tag()
        prompt = f"responses model {t} {SMALL}"
        job = self.run_job(prompt, api_path="/v1/responses", model="gpt-4.1-mini")
        self.assertEqual(job["status"], "success", job)
        self.assertEqual([r["body"] for r in self.mock.requests(t, "responses")],
                         [{"prompt": prompt, "model": "gpt-4.1-mini"}])

    def test_chat_sse_markdown_jpeg(self):
        t = tag()
        prompt = f"chat {t} [mock:sse][mock:format=jpeg] {SMALL}"
        job = self.run_job(prompt, api_path="/v1/chat/completions", model="chat-model-x")
        self.assertEqual(job["status"], "success", job)
        self.assertEqual(len(job["images"]), 1, job)
        self.assertTrue(job["images"][0]["filename"].endswith(".jpg"), job["images"])
        self.assertEqual(self.mock_bodies(t, "chat/completions"), [
            {"model": "chat-model-x", "messages": [{"role": "user", "content": prompt}], "stream": False}])
        downloads = self.downloads_after(t)
        self.assertEqual([(r["method"], r["path"].endswith(".jpg")) for r in downloads], [("GET", True)])
        r = self.api("GET", job["image_url"])
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body[:3], b"\xff\xd8\xff")

    def test_text_plain_json_tolerated(self):
        for api_path in ("/v1/images/generations", "/v1/chat/completions"):
            with self.subTest(api_path=api_path):
                job = self.run_job(f"plain {tag()} [mock:text-plain] {SMALL}", api_path=api_path)
                self.assertEqual(job["status"], "success", job)
                self.assertEqual(len(job["images"]), 1)

    # -- fan-out and outcome rules ---------------------------------------------------------
    def test_fan_out_three(self):
        t = tag()
        job = self.run_job(f"fanout {t} {SMALL}", n=3)
        self.assertEqual(job["status"], "success", job)
        self.assertEqual(job["message"], "Image generation completed")
        self.assertEqual(job["n"], 3)
        self.assertEqual(len(job["images"]), 3, job)
        ids = [i["image_id"] for i in job["images"]]
        self.assertEqual(len(set(ids)), 3)
        for image in job["images"]:
            self.assertTrue(image["image_url"].startswith("/api/image/"))
            self.assertEqual(image["filename"], image["image_id"] + ".png")
            self.assertTrue((self.images_dir / image["filename"]).is_file())
        self.assertEqual(job["image_id"], ids[0])
        bodies = self.mock_bodies(t)
        self.assertEqual(len(bodies), 3, bodies)
        self.assertEqual([b["n"] for b in bodies], [1, 1, 1])

    def test_partial_failure(self):
        self.wait_idle()
        self.mock.reset()  # fail-every counts globally: the 3rd call fails
        t = tag()
        job = self.run_job(f"partial {t} [mock:fail-every=3][mock:error-message=child boom] {SMALL}", n=3)
        self.assertEqual(job["status"], "success", job)
        self.assertEqual(job["stage"], "completed")
        self.assertEqual(job["message"], "Generated 2 of 3 requested images; 1 failed")
        self.assertIn("1 of 3 image generation requests failed: #", job["error"])
        self.assertIn("child boom", job["error"])
        self.assertEqual(len(job["images"]), 2)
        self.assertEqual(len(self.mock_bodies(t)), 3)

    def test_all_children_fail(self):
        t = tag()
        job = self.run_job(f"allfail {t} [mock:status=500][mock:error-message=all down] {SMALL}", n=3)
        self.assertEqual(job["status"], "upstream_error", job)
        self.assertEqual(job["stage"], "generation_failed")
        self.assertEqual(job["images"], [])
        self.assertIn("3 of 3 image generation requests failed: #", job["error"])
        self.assertIn("all down", job["error"])
        self.assertEqual(job["message"], job["error"])
        self.assertIsNone(job["image_url"])

    def test_single_failure_raw_message(self):
        job = self.run_job(f"single {tag()} [mock:status=500][mock:error-message=upstream quota exhausted]")
        self.assertEqual(job["status"], "upstream_error", job)
        self.assertEqual(job["stage"], "generation_failed")
        self.assertEqual(job["images"], [])
        # The job layer must not wrap a single failure in a batch summary (spec §4.5). The upstream
        # client may label the HTTP status (as it does for edits, §6.6); nothing else is accepted.
        self.assertIn(job["error"], ("upstream quota exhausted", "Upstream API error (500): upstream quota exhausted"))
        self.assertEqual(job["message"], job["error"])

    # -- cancel -----------------------------------------------------------------------------
    def test_cancel_running(self):
        t = tag()
        job_id = self.start_job(f"cancel {t} [mock:delay=4000] {SMALL}")
        self.wait_job(job_id, {"running"})
        wait_until(lambda: self.mock.requests(t), what="upstream call")
        r = self.api("DELETE", f"/api/generate/{job_id}")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json(), {"status": "success", "message": "Generation job cancelled"})
        job = self.job(job_id)
        self.assertEqual((job["status"], job["stage"]), ("cancelled", "cancelled"))
        self.assertEqual(job["message"], "Generation job cancelled")
        self.assertEqual(job["error"], "Generation job cancelled")
        self.assertRegex(job["completed_at"], ISO_UTC)
        self.assertNotIn(job_id, [j["job_id"] for j in self.active_jobs()])
        r = self.api("DELETE", f"/api/generate/{job_id}")
        self.assertError(r, 409, "Generation job already finished", "conflict")

    def test_cancel_finished_and_unknown(self):
        job = self.run_job(f"finished {tag()} {SMALL}")
        self.assertEqual(job["status"], "success", job)
        self.assertError(self.api("DELETE", f"/api/generate/{job['job_id']}"), 409, "Generation job already finished")
        self.assertEqual(self.job(job["job_id"])["status"], "success")
        missing = "00000000-0000-4000-8000-000000000000"
        self.assertError(self.api("DELETE", f"/api/generate/{missing}"), 404, "Generation job not found", "not_found")
        self.assertError(self.api("GET", f"/api/generate/{missing}"), 404, "Generation job not found", "not_found")

    # -- list, pagination, history ----------------------------------------------------------
    def history(self, query="include_finished=true&limit=500"):
        r = self.api("GET", "/api/generate/jobs?" + query)
        self.assertEqual(r.status, 200, r)
        self.assertIsInstance(r.json(), list)
        return r.json()

    def test_list_active_and_pagination(self):
        self.wait_idle()
        done = [self.run_job(f"page {tag()} {SMALL}")["job_id"] for _ in range(3)]
        slow = self.start_job(f"slow list {tag()} [mock:delay=3000] {SMALL}")
        self.wait_job(slow, {"running"})
        try:
            active = self.active_jobs()
            self.assertEqual([j["job_id"] for j in active], [slow])
            self.assertEqual([j["job_id"] for j in self.history("include_finished=false&limit=1&offset=5")], [slow])
            full = self.history()
            ids = [j["job_id"] for j in full]
            self.assertIn(slow, ids)
            for job_id in done:
                self.assertIn(job_id, ids)
            self.assertEqual(ids[0], slow)  # newest updated_at first
            stamps = [j["updated_at"] for j in full]
            self.assertEqual(stamps, sorted(stamps, reverse=True))
            page = self.history("include_finished=true&limit=2&offset=1")
            self.assertEqual([j["job_id"] for j in page], ids[1:3])
            self.assertEqual([j["job_id"] for j in self.history(f"include_finished=true&limit=500&offset={len(ids)}")],
                             [])
        finally:
            self.api("DELETE", f"/api/generate/{slow}")

    def test_failed_only(self):
        failed = self.run_job(f"failed only {tag()} [mock:status=400]")["job_id"]
        ok = self.run_job(f"ok only {tag()} {SMALL}")["job_id"]
        rows = self.history("include_finished=true&failed_only=true&limit=500")
        self.assertIn(failed, [j["job_id"] for j in rows])
        self.assertNotIn(ok, [j["job_id"] for j in rows])
        for row in rows:
            self.assertIn(row["status"], ("error", "upstream_error"), row)

    def test_list_bad_query(self):
        for query in ("limit=0", "limit=501", "offset=-1", "limit=abc", "include_finished=maybe",
                      "include_finished=true&limit=0"):
            with self.subTest(query=query):
                self.assertError(self.api("GET", "/api/generate/jobs?" + query), 422)

    def test_delete_history(self):
        self.wait_idle()
        kept = self.run_job(f"history {tag()} {SMALL}")
        self.assertEqual(kept["status"], "success", kept)
        image_file = self.images_dir / kept["images"][0]["filename"]
        slow = self.start_job(f"history slow {tag()} [mock:delay=3000] {SMALL}")
        self.wait_job(slow, {"running"})
        try:
            terminal = [j for j in self.history() if j["status"] not in ("queued", "running")]
            self.assertGreaterEqual(len(terminal), 1)
            r = self.api("DELETE", "/api/generate/jobs/history")
            self.assertEqual(r.status, 200, r)
            n = len(terminal)
            self.assertEqual(r.json(), {"status": "success",
                                        "message": f"Deleted {n} job history {'entry' if n == 1 else 'entries'}"})
            self.assertEqual([j["job_id"] for j in self.history()], [slow])
            self.assertError(self.api("GET", f"/api/generate/{kept['job_id']}"), 404, "Generation job not found")
            self.assertTrue(image_file.is_file(), "gallery image must survive history deletion")
            g = self.api("GET", f"/api/gallery/{kept['image_id']}")
            if not (g.status == 404 and g.detail in ("Not Found", "Not found")):  # the gallery API may land later
                self.assertEqual(g.status, 200, g)
                self.assertEqual(g.json()["id"], kept["image_id"])
        finally:
            self.api("DELETE", f"/api/generate/{slow}")

    # -- pre-checks with this panel ---------------------------------------------------------
    def test_webhook_without_signing_secret(self):
        r = self.generate("hook", webhook_url="https://127.0.0.1:9/hook")
        self.assertError(r, 422, "WEBHOOK_SIGNING_SECRET is required to sign webhook callbacks")

    def test_webhook_http_refused(self):
        r = self.generate("hook", webhook_url="http://127.0.0.1:9/hook")
        detail = self.assertError(r, 422)["detail"]
        self.assertIn("HTTPS", detail)


class PreChecks(JobsCase):
    """A preset without an API URL, and (second panel) a key env var that is unset."""

    use_mock = False

    @classmethod
    def upstream_url(cls):
        return ""

    def test_api_url_not_configured(self):
        r = self.generate("no url")
        self.assertError(r, 400, "API URL not configured. Please set it in Settings.", "bad_request")
        self.assertEqual(self.api("GET", "/api/generate/jobs?include_finished=true").json(), [])

    def test_key_env_var_unset(self):
        env = self.base_env(self.tmp)
        env.update({"DEFAULT_API_URL": "https://127.0.0.1:9", "DEFAULT_API_KEY": "${MISSING_IMAGE_KEY}"})
        panel = Panel(env).start()
        try:
            r = self.generate("no key", panel=panel)
            self.assertEqual(r.status, 400, r)
            self.assertIn("MISSING_IMAGE_KEY", r.detail)
            r = self.api("GET", "/api/generate/jobs?include_finished=true", panel=panel)
            self.assertEqual(r.json(), [])
        finally:
            self.assertEqual(panel.stop()[0], 0)


if __name__ == "__main__":
    unittest.main()
