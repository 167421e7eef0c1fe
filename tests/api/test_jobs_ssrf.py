"""Image URL downloads and response limits (spec §6.2, §6.7, §6.8) with a Python fake upstream on
127.0.0.1. Only 127.0.0.1 is exempted by PRIVATE_NETWORK_ALLOWLIST, so 127.0.0.2 is private."""

import base64
import json
import unittest

from .upstream import JobsCase, PyServer, json_reply, png_bytes, tag

MIB = 1024 * 1024
OK_PNG = png_bytes(24, 24)


class ImageUrlRules(JobsCase):
    use_mock = False
    env = {"MAX_FILE_SIZE_MB": "1", "MAX_UPSTREAM_JSON_MB": "1"}
    answers = {}  # prompt -> (status, headers, body) for the generations call

    @classmethod
    def upstream_url(cls):
        return cls.fake.url

    @classmethod
    def start_servers(cls):
        cls.private = PyServer(lambda rec: (200, {"Content-Type": "image/png"}, OK_PNG), host="127.0.0.2")
        cls.plain = PyServer(lambda rec: (200, {"Content-Type": "image/png"}, OK_PNG), tls=False)
        cls.fake = PyServer(cls.route)
        for s in (cls.private, cls.plain, cls.fake):
            cls.addClassCleanup(s.stop)

    @classmethod
    def route(cls, rec):
        path = rec.path
        if rec.method == "POST" and path.endswith("/v1/images/generations"):
            return cls.answers[rec.json()["prompt"]]
        if path == "/img/ok.png":
            return 200, {"Content-Type": "image/png"}, OK_PNG
        if path == "/img/redir-ok":
            return 302, {"Location": "/img/ok.png"}, b""
        if path == "/img/redir-private":
            return 302, {"Location": cls.private.url + "/x.png"}, b""
        if path == "/img/redir-http":
            return 302, {"Location": cls.plain.url + "/y.png"}, b""
        if path.startswith("/img/loop/"):
            k = int(path.rsplit("/", 1)[1])
            return 302, {"Location": f"/img/loop/{k + 1}"}, b""
        if path == "/img/big":
            return 200, {"Content-Type": "image/png"}, OK_PNG + b"\0" * (MIB + 4096)
        if path == "/img/big-chunked":
            return 200, {"Content-Type": "image/png", "__chunked__": True}, OK_PNG + b"\0" * (MIB + 4096)
        return 404, {"Content-Type": "text/plain"}, b"not found"

    def job_for(self, answer):
        prompt = f"ssrf {tag()}"
        self.answers[prompt] = answer
        return self.run_job(prompt)

    def url_job(self, url):
        return self.job_for(json_reply({"data": [{"url": url}]}))

    def assert_failed(self, job, fragment, statuses=("upstream_error",)):
        self.assertIn(job["status"], statuses, job)
        self.assertEqual(job["images"], [])
        self.assertIn(fragment, job["error"] or "", job)

    # -- positive controls ------------------------------------------------------------------
    def test_allowed_url_downloads(self):
        before = len(self.fake.requests("/img/ok.png"))
        job = self.url_job(self.fake.url + "/img/ok.png")
        self.assertEqual(job["status"], "success", job)
        self.assertEqual((job["image_width"], job["image_height"]), (24, 24))
        gets = self.fake.requests("/img/ok.png")[before:]
        self.assertEqual([g.method for g in gets], ["GET"])
        self.assertEqual(gets[0].headers.get("user-agent"), "opencode")
        self.assertIsNone(gets[0].headers.get("authorization"), "the image GET must not carry the API key")
        posts = [r for r in self.fake.requests("/v1/images/generations")]
        self.assertEqual(posts[-1].headers.get("authorization"), "Bearer test-key")

    def test_allowed_redirect_followed(self):
        job = self.url_job(self.fake.url + "/img/redir-ok")
        self.assertEqual(job["status"], "success", job)

    def test_b64_result(self):
        job = self.job_for(json_reply({"data": [{"b64_json": base64.b64encode(OK_PNG).decode()}]}))
        self.assertEqual(job["status"], "success", job)

    # -- refusals ---------------------------------------------------------------------------
    def test_private_image_host_refused(self):
        job = self.url_job(self.private.url + "/x.png")
        self.assert_failed(job, "private/internal IP")
        self.assertEqual(self.private.requests(), [])

    def test_redirect_to_private_refused(self):
        job = self.url_job(self.fake.url + "/img/redir-private")
        self.assert_failed(job, "private/internal IP")
        self.assertEqual(self.private.requests(), [])

    def test_redirect_to_http_refused(self):
        job = self.url_job(self.fake.url + "/img/redir-http")
        self.assert_failed(job, "Only HTTPS URLs are allowed for image URLs")
        self.assertEqual(self.plain.requests(), [])

    def test_http_image_url_refused(self):
        job = self.url_job(self.plain.url + "/z.png")
        self.assert_failed(job, "Only HTTPS URLs are allowed for image URLs")
        self.assertEqual(self.plain.requests(), [])

    def test_too_many_redirects(self):
        before = len(self.fake.requests("/img/loop/"))
        job = self.url_job(self.fake.url + "/img/loop/0")
        self.assert_failed(job, "Image URL redirected too many times")
        self.assertLessEqual(len(self.fake.requests("/img/loop/")) - before, 4)

    def test_image_too_large(self):
        for path in ("/img/big", "/img/big-chunked"):
            with self.subTest(path=path):
                job = self.url_job(self.fake.url + path)
                self.assert_failed(job, "Image too large", ("upstream_error", "error"))

    def test_upstream_json_too_large(self):
        padding = "x" * (MIB + 1024)
        for chunked in (False, True):
            with self.subTest(chunked=chunked):
                status, headers, body = json_reply({"data": [{"url": self.fake.url + "/img/ok.png"}],
                                                    "padding": padding})
                if chunked:
                    headers["__chunked__"] = True
                job = self.job_for((status, headers, body))
                self.assert_failed(job, "Upstream JSON response too large")

    def test_no_image_data(self):
        job = self.job_for(json_reply({"data": [{"revised_prompt": "nothing"}]}))
        self.assert_failed(job, "No image data", ("upstream_error", "error"))

    def test_text_plain_json(self):
        job = self.job_for(json_reply({"data": [{"url": self.fake.url + "/img/ok.png"}]},
                                      ctype="text/plain; charset=utf-8"))
        self.assertEqual(job["status"], "success", job)

    def test_upstream_error_body(self):
        job = self.job_for(json_reply({"error": {"message": "fake quota exhausted"}}, status=429))
        self.assert_failed(job, "fake quota exhausted")
        self.assertNotIn("test-key", json.dumps(job))


if __name__ == "__main__":
    unittest.main()
