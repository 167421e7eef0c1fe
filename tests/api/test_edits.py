"""Edit jobs from outside (spec §3.6 edits, §4.4 edit-source reservation, §6.6): multipart parsing,
per-file validation, what the upstream receives, staging cleanup, from-gallery ordering."""

import re
import unittest
from urllib.parse import urlencode

from .upstream import SVG, JobsCase, png_bytes, tag, wait_until

SMALL = "[mock:size=32x32]"
KIB = 1024


class EditJobs(JobsCase):
    env = {"MAX_PENDING_EDIT_SOURCE_MB": "1"}

    def edit_calls(self, t):
        return self.mock.requests(t, "images/edits")

    def history_prompts(self):
        r = self.api("GET", "/api/generate/jobs?include_finished=true&limit=500")
        return " ".join(j.get("prompt") or "" for j in r.json())

    def start_edit(self, prompt, files, fields=(), path="/api/edits"):
        r = self.edit(prompt, files, fields, path)
        self.assertEqual(r.status, 202, r)
        return r.json()

    def refused(self, files, status, detail, prompt=None, fields=()):
        t = tag()
        r = self.edit(prompt if prompt is not None else f"refused {t}", files, fields)
        body = self.assertError(r, status)
        if status == 422:
            self.assertIn(detail, body["detail"])
        else:
            self.assertEqual(body["detail"], detail)
        self.assertEqual(self.staged_files(), [])
        self.assertNotIn(t, self.history_prompts())
        return body

    # -- success paths ----------------------------------------------------------------------
    def test_single_image(self):
        t = tag()
        prompt = f"edit one {t} {SMALL}"
        body = self.start_edit(prompt, [("image", "one.png", "image/png", png_bytes())])
        job_id = body.pop("job_id")
        self.assertEqual(body, {"status": "queued", "stage": "queued", "message": "Queued image edit",
                                "operation": "edit"})
        job = self.wait_job(job_id)
        self.assertEqual(job["status"], "success", job)
        self.assertEqual(job["message"], "Image edit completed")
        self.assertEqual(job["operation"], "edit")
        self.assertEqual(job["api_path"], "/v1/images/edits")
        self.assertEqual(job["size"], "auto")
        self.assertEqual(len(job["images"]), 1)
        self.assertTrue(job["image_url"].startswith("/api/image/"))
        calls = self.edit_calls(t)
        self.assertEqual(len(calls), 1, calls)
        files = calls[0]["body"]["files"]
        self.assertEqual([(f["field"], f["filename"], f["content_type"]) for f in files],
                         [("image", "one.png", "image/png")])
        self.assertEqual(files[0]["bytes"], len(png_bytes()))
        fields = calls[0]["body"]["fields"]
        self.assertEqual(fields.get("prompt"), prompt)
        self.assertEqual(fields.get("model"), "gpt-image-2")
        self.assertEqual(fields.get("n"), "1")
        self.assertEqual(fields.get("size"), "auto")
        self.assertEqual(fields.get("quality"), "auto")
        self.assertEqual(fields.get("output_format"), "png")
        self.assertNotIn("response_format", fields)
        self.assertNotIn("output_compression", fields)
        self.assertEqual(calls[0]["headers"].get("user-agent"), "opencode")
        self.wait_no_staged()

    def test_two_images_keep_order_and_names(self):
        t = tag()
        job = self.start_edit(f"edit two {t} {SMALL}", [("image", "first.png", "image/png", png_bytes(seed=1)),
                                                         ("image[]", "second.png", "image/png", png_bytes(seed=2))])
        job = self.wait_job(job["job_id"])
        self.assertEqual(job["status"], "success", job)
        calls = self.edit_calls(t)
        self.assertEqual(len(calls), 1, calls)
        self.assertEqual([(f["field"], f["filename"]) for f in calls[0]["body"]["files"]],
                         [("image[]", "first.png"), ("image[]", "second.png")])
        self.wait_no_staged()

    # -- refusals ---------------------------------------------------------------------------
    def test_svg_refused(self):
        self.refused([("image", "x.svg", "image/svg+xml", SVG)], 400, "Upload must be an image file.")

    def test_png_name_with_svg_bytes(self):
        self.refused([("image", "x.png", "image/png", SVG)], 400,
                     "Image data must be a supported raster image format")

    def test_empty_file(self):
        self.refused([("image", "e.png", "image/png", b"")], 400, "Uploaded image is empty.")

    def test_too_many_sources(self):
        files = [("image[]", f"s{i}.png", "image/png", png_bytes()) for i in range(17)]
        self.refused(files, 400, "At most 16 edit source images are supported.")

    def test_missing_prompt(self):
        self.refused([("image", "a.png", "image/png", png_bytes())], 422, "prompt is required", prompt="")

    def test_n_not_integer(self):
        self.refused([("image", "a.png", "image/png", png_bytes())], 422, "n must be an integer",
                     fields=[("n", "two")])

    def test_no_image(self):
        self.refused([], 422, "Upload image is required.")

    def test_pending_source_bytes_cap(self):
        big = [("image[]", f"big{i}.png", "image/png", png_bytes(460, 460, noise=True)) for i in range(2)]
        self.assertGreater(len(big[0][3]), 590 * KIB)
        self.refused(big, 429, "Edit source queue is full")
        self.assertEqual(self.mock.requests("refused", "images/edits"), [])

    # -- staging cleanup on failure and cancel; edit-specific error mapping ------------------
    def test_upstream_failure_cleans_staging(self):
        t = tag()
        job = self.start_edit(f"edit fail {t} [mock:status=400][mock:error-message=bad edit input]",
                              [("image", "a.png", "image/png", png_bytes())])
        job = self.wait_job(job["job_id"])
        self.assertEqual(job["status"], "upstream_error", job)
        self.assertEqual(job["stage"], "edit_failed")
        self.assertIn("bad edit input", job["error"])
        self.assertEqual(job["images"], [])
        self.wait_no_staged()

    def test_edits_not_supported(self):
        job = self.start_edit(f"edit 404 {tag()} [mock:status=404][mock:error-message=This endpoint is gone]",
                              [("image", "a.png", "image/png", png_bytes())])
        job = self.wait_job(job["job_id"])
        self.assertEqual(job["status"], "upstream_error", job)
        self.assertTrue(job["error"].startswith("Upstream API does not support /v1/images/edits (404): "), job)
        self.assertIn("This endpoint is gone", job["error"])
        self.wait_no_staged()

    def test_cancel_running_edit_cleans_staging(self):
        t = tag()
        job = self.start_edit(f"edit slow {t} [mock:delay=4000] {SMALL}",
                              [("image", "a.png", "image/png", png_bytes())])
        job_id = job["job_id"]
        self.wait_job(job_id, {"running"})
        wait_until(lambda: self.edit_calls(t), what="the upstream edit call")
        staged = self.staged_files()
        self.assertEqual(len(staged), 1, staged)
        self.assertRegex(staged[0], re.compile(r"^edit-source-.+\.png$"))
        r = self.api("DELETE", f"/api/generate/{job_id}")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json(), {"status": "success", "message": "Generation job cancelled"})
        job = self.job(job_id)
        self.assertEqual((job["status"], job["stage"]), ("cancelled", "cancelled"))
        self.assertEqual(job["message"], "Image edit job cancelled")
        self.wait_no_staged()

    # -- from the gallery -------------------------------------------------------------------
    def gallery_image(self):
        job = self.run_job(f"gallery source {tag()} {SMALL}")
        self.assertEqual(job["status"], "success", job)
        return job["images"][0]

    def test_from_gallery_unknown(self):
        r = self.edit("x", [], path="/api/edits/from-gallery/00000000000000000000000000000000")
        self.assertError(r, 404, "Gallery entry not found")

    def test_from_gallery_first_then_uploads(self):
        image = self.gallery_image()
        t = tag()
        job = self.start_edit(f"combo {t} {SMALL}", [("image", "upload.png", "image/png", png_bytes())],
                              path=f"/api/edits/from-gallery/{image['image_id']}")
        job = self.wait_job(job["job_id"])
        self.assertEqual(job["status"], "success", job)
        self.assertEqual(job["operation"], "edit")
        calls = self.edit_calls(t)
        self.assertEqual(len(calls), 1, calls)
        self.assertEqual([(f["field"], f["filename"]) for f in calls[0]["body"]["files"]],
                         [("image[]", image["filename"]), ("image[]", "upload.png")])
        self.assertTrue((self.images_dir / image["filename"]).is_file(), "the gallery source must stay")
        self.wait_no_staged()

    def test_from_gallery_urlencoded(self):
        image = self.gallery_image()
        t = tag()
        r = self.api("POST", f"/api/edits/from-gallery/{image['image_id']}",
                     urlencode({"prompt": f"urlencoded {t} {SMALL}", "size": "auto"}).encode(),
                     headers=[("Content-Type", "application/x-www-form-urlencoded")])
        self.assertEqual(r.status, 202, r)
        job = self.wait_job(r.json()["job_id"])
        self.assertEqual(job["status"], "success", job)
        calls = self.edit_calls(t)
        self.assertEqual([(f["field"], f["filename"]) for f in calls[0]["body"]["files"]],
                         [("image", image["filename"])])


if __name__ == "__main__":
    unittest.main()
