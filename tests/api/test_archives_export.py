"""ZIP exports (spec §3.8 batch download, §3.10, §5.5, §9.1): download-all and the batch download
(streamed, exact Content-Length, layout, metadata.json byte-for-byte as Python writes it, duplicate
names, skipped rows), tracked export jobs (202 shape, SSE progress, one-shot download, 404/409/429,
persistence and clean-up across restarts). Gallery rows are put straight into SQLite next to their
files, as the panel itself would have saved them; every archive is read with Python's zipfile."""

import hashlib
import io
import json
import re
import socket
import sqlite3
import tempfile
import time
import unittest
import uuid
import zipfile
from pathlib import Path

from .panel import ACCESS_KEY, ISO_UTC, Panel, PanelCase, mint_token
from .test_sse_jobs import parse_frames
from .upstream import png_bytes, wait_until

EXPORT_KEYS = ["job_id", "status", "stage", "message", "progress", "filename", "download_url", "requested_count",
               "processed_count", "exported_count", "missing_count", "bytes_total", "bytes_written", "created_at",
               "updated_at", "error"]
ENTRY_KEYS = ["id", "prompt", "size", "filename", "created_at", "completed_at", "image_width", "image_height", "model",
              "quality", "output_format", "output_compression", "response_format", "n", "api_path", "api_preset_name",
              "duration", "favorite", "bytes", "sha256"]
COLUMNS = ENTRY_KEYS[:-2] + ["bytes", "sha256", "thumbnail_filename"]
FILENAME = re.compile(r'^attachment; filename="(gpt-images(?:-selected)?-\d{8}_\d{6}\.zip)"$')
TOO_MANY = "Too many active export jobs (5). Please wait for existing exports to complete."


class GalleryFixture:
    """Rows and files put in place the way the panel saves them (spec §13.2)."""

    _clock = 0

    @property
    def cookie(self):
        return ("Cookie", "gpt_image_access=" + mint_token(ACCESS_KEY, time.time() + 3600))

    def api(self, method, path, body=None, headers=(), panel=None):
        p = panel or self.panel
        items = [self.cookie, *headers]
        if method != "GET":
            items.append(("Origin", p.origin))
        return p.request(method, path, items, body)

    @property
    def images_dir(self):
        return self.tmp / "images"

    @property
    def exports_dir(self):
        return self.tmp / "data" / "exports"

    def db(self):
        return sqlite3.connect(self.tmp / "data" / "app.sqlite3", timeout=30)

    def clear_gallery(self):
        with self.db() as db:
            db.execute("DELETE FROM gallery_entries")
            db.execute("DELETE FROM gallery_jobs")
        for p in self.images_dir.iterdir():
            if p.is_file():
                p.unlink()

    def add_image(self, filename=None, data=None, write_file=True, **cols):
        """Inserts a row (newest so far) and, unless write_file is False, its file; returns the row."""
        GalleryFixture._clock += 1
        data = png_bytes(8, 8, seed=GalleryFixture._clock) if data is None else data
        image_id = cols.pop("id", None) or str(uuid.uuid4())
        row = {"id": image_id, "prompt": f"prompt {GalleryFixture._clock}", "size": "1024x1024",
               "filename": filename or f"{image_id}.png",
               "created_at": f"2026-01-01T00:{GalleryFixture._clock // 60:02d}:{GalleryFixture._clock % 60:02d}+00:00",
               "completed_at": None, "image_width": 8, "image_height": 8, "model": "gpt-image-2", "quality": "auto",
               "output_format": "png", "output_compression": None, "response_format": "url", "n": 1,
               "api_path": "/v1/images/generations", "api_preset_name": "Default", "duration": "1.00s",
               "favorite": 0, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(),
               "thumbnail_filename": None}
        row.update(cols)
        with self.db() as db:
            names = ", ".join(row)
            db.execute(f"INSERT INTO gallery_entries ({names}) VALUES ({', '.join('?' * len(row))})",
                       list(row.values()))
        if write_file:
            (self.images_dir / row["filename"]).write_bytes(data)
        row["data"] = data
        return row

    def rows(self):
        with self.db() as db:
            db.row_factory = sqlite3.Row
            return {r["id"]: dict(r) for r in db.execute(f"SELECT {', '.join(COLUMNS)} FROM gallery_entries")}

    # -- archives --------------------------------------------------------------------------------
    def assert_zip_response(self, r, prefix="gpt-images"):
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("Content-Type"), "application/zip")
        m = FILENAME.match(r.header("Content-Disposition") or "")
        self.assertIsNotNone(m, r.header("Content-Disposition"))
        self.assertTrue(m.group(1).startswith(prefix + "-"), m.group(1))
        self.assertEqual(r.header("Content-Encoding"), "identity")
        self.assertEqual(r.header("X-Content-Type-Options"), "nosniff")
        self.assertEqual(int(r.header("Content-Length")), len(r.body))
        self.assertIsNone(r.header("Transfer-Encoding"))
        return self.open_zip(r.body)

    def open_zip(self, body):
        """The archive, checked the way the original panel's importer will read it."""
        z = zipfile.ZipFile(io.BytesIO(body))
        self.assertIsNone(z.testzip())  # every CRC checks out
        names = z.namelist()
        self.assertEqual(names[-1], "metadata.json")
        for info in z.infolist():
            self.assertEqual(info.compress_type, zipfile.ZIP_STORED)
            self.assertTrue(info.flag_bits & 0x08, "data descriptors")
            if info.filename != "metadata.json":
                self.assertTrue(info.filename.startswith("images/"), info.filename)
                self.assertNotIn("/", info.filename[len("images/"):])
        return z

    def metadata(self, z):
        raw = z.read("metadata.json")
        meta = json.loads(raw.decode("utf-8"))
        # Exactly what Python's json.dumps(ensure_ascii=False, indent=2) makes of it.
        self.assertEqual(raw, json.dumps(meta, ensure_ascii=False, indent=2).encode("utf-8"))
        self.assertEqual(meta["schema_version"], 1)
        self.assertRegex(meta["exported_at"], ISO_UTC)
        self.assertEqual(meta["app"], {"name": "gpt-image-linux", "version": self.version})
        for entry in meta["images"]:
            self.assertEqual(list(entry), ENTRY_KEYS if "sha256" in entry else ENTRY_KEYS[:-1])
        return meta

    @property
    def version(self):
        return self.api("GET", "/api/version").json()["version"]

    def assert_entry_matches(self, entry, row, name):
        for key in ENTRY_KEYS:
            want = name if key == "filename" else row[key]
            if key == "favorite":
                want = bool(want)
            self.assertEqual(entry[key], want, key)


def read_events(case, path, timeout=15):
    """GET an SSE path and read it to the end (per-job streams close after the terminal event)."""
    c = case.panel.connect(timeout)
    try:
        c.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        c.putheader("Host", case.panel.host)
        c.putheader("Cookie", case.cookie[1])
        c.endheaders()
        r = c.getresponse()
        case.assertEqual(r.status, 200)
        case.assertTrue(r.getheader("Content-Type").startswith("text/event-stream"))
        return parse_frames(case, r.read())
    finally:
        c.close()


class ArchiveCase(GalleryFixture, PanelCase):
    env = {"ACCESS_KEY": ACCESS_KEY}

    def setUp(self):
        self.clear_gallery()


class DownloadAll(ArchiveCase):
    def test_empty_gallery_is_404(self):
        self.assertError(self.api("GET", "/api/download-all"), 404, "No images in gallery")

    def test_layout_headers_and_metadata(self):
        older = self.add_image(prompt="older \u732b cat", favorite=1, completed_at="2026-01-01T08:00:01+08:00",
                               output_compression=80)
        jpeg = self.add_image(filename="photo.jpg", data=b"\xff\xd8\xff not really decodable", output_format="jpeg",
                              sha256=None, bytes=None)
        r = self.api("GET", "/api/download-all")
        z = self.assert_zip_response(r)
        self.assertEqual(z.namelist(), ["images/photo.jpg", f"images/{older['filename']}", "metadata.json"])
        self.assertEqual(z.read("images/photo.jpg"), jpeg["data"])
        self.assertEqual(z.read(f"images/{older['filename']}"), older["data"])
        for info in z.infolist():
            self.assertTrue(info.flag_bits & 0x800, "UTF-8 names")
        self.assertIn("older \u732b cat".encode(), r.body, "non-ASCII kept in metadata.json")
        meta = self.metadata(z)
        self.assertNotIn("skipped", meta)
        self.assertEqual([e["id"] for e in meta["images"]], [jpeg["id"], older["id"]])
        self.assert_entry_matches(meta["images"][1], older, older["filename"])
        # A legacy row without bytes or digest gets both from its file.
        legacy = meta["images"][0]
        self.assertEqual(legacy["bytes"], len(jpeg["data"]))
        self.assertEqual(legacy["sha256"], hashlib.sha256(jpeg["data"]).hexdigest())

    def test_duplicate_file_names(self):
        first = self.add_image(filename="dup.png")
        second = self.add_image(filename="dup.png", data=first["data"], write_file=False)
        z = self.assert_zip_response(self.api("GET", "/api/download-all"))
        self.assertEqual(z.namelist(), ["images/dup.png", "images/dup_1.png", "metadata.json"])
        self.assertEqual(z.read("images/dup_1.png"), first["data"])
        meta = self.metadata(z)
        self.assertEqual([(e["id"], e["filename"]) for e in meta["images"]],
                         [(second["id"], "dup.png"), (first["id"], "dup_1.png")])

    def test_unsafe_and_missing_files_never_produce_entries(self):
        (self.tmp / "secret.png").write_bytes(b"TOP SECRET BYTES")
        good = self.add_image()
        unsafe = self.add_image(filename="../secret.png", write_file=False)
        missing = self.add_image(filename="gone.png", write_file=False)
        r = self.api("GET", "/api/download-all")
        z = self.assert_zip_response(r)
        self.assertEqual(z.namelist(), [f"images/{good['filename']}", "metadata.json"])
        self.assertNotIn(b"TOP SECRET BYTES", r.body)
        meta = self.metadata(z)
        self.assertEqual([e["id"] for e in meta["images"]], [good["id"]])
        self.assertEqual(meta["skipped"], [
            {"id": missing["id"], "filename": "gone.png", "reason": "image_file_missing"},
            {"id": unsafe["id"], "filename": "../secret.png", "reason": "image_file_missing"},
        ])

    def test_streams_a_large_gallery_with_its_exact_length(self):
        big = bytes(range(256)) * 4096  # 1 MiB, several pieces per file
        for i in range(12):
            self.add_image(filename=f"big-{i}.png", data=big[i:] + big[:i])
        r = self.api("GET", "/api/download-all")
        z = self.assert_zip_response(r)
        self.assertEqual(len(z.namelist()), 13)
        self.assertEqual(z.read("images/big-3.png"), big[3:] + big[:3])


class BatchDownload(ArchiveCase):
    def batch(self, ids):
        return self.api("POST", "/api/gallery/batch/download", {"ids": ids})

    def test_skipped_list_and_count_headers(self):
        present = self.add_image()
        no_file = self.add_image(filename="nofile.png", write_file=False)
        self.add_image()  # not selected
        r = self.batch([present["id"], "missing-row", no_file["id"]])
        z = self.assert_zip_response(r, prefix="gpt-images-selected")
        self.assertEqual((r.header("X-Gallery-Requested-Count"), r.header("X-Gallery-Exported-Count"),
                          r.header("X-Gallery-Missing-Count")), ("3", "1", "2"))
        self.assertEqual(z.namelist(), [f"images/{present['filename']}", "metadata.json"])
        meta = self.metadata(z)
        self.assertEqual([e["id"] for e in meta["images"]], [present["id"]])
        self.assertEqual(meta["skipped"], [
            {"id": "missing-row", "reason": "gallery_entry_missing"},
            {"id": no_file["id"], "filename": "nofile.png", "reason": "image_file_missing"},
        ])

    def test_refusals(self):
        self.add_image()
        self.assertError(self.batch(["nope", "nada"]), 404, "Gallery entries not found")
        self.assertError(self.batch([" ", "  "]), 422, "ids - ids must include at least one gallery entry id")
        self.assertError(self.batch(["a", " a "]), 422, "ids - ids must not contain duplicates")
        self.assertEqual(self.api("POST", "/api/gallery/batch/download", {"ids": ["a"], "x": 1}).status, 422)


class ExportJobs(ArchiveCase):
    def create(self, body=None):
        return self.api("POST", "/api/gallery/export-jobs", body)

    def status(self, job_id):
        return self.api("GET", f"/api/gallery/export-jobs/{job_id}")

    def wait_done(self, job_id):
        return wait_until(lambda: (s := self.status(job_id).json())["status"] in ("success", "error") and s,
                          what=f"export {job_id}")

    def test_lifecycle(self):
        a = self.add_image()
        b = self.add_image(data=bytes(300_000))
        r = self.create()
        self.assertEqual(r.status, 202, r)
        job = r.json()
        self.assertEqual(list(job), EXPORT_KEYS)
        self.assertRegex(job["job_id"], r"^[0-9a-f]{32}$")
        self.assertEqual((job["status"], job["stage"], job["message"], job["progress"], job["download_url"]),
                         ("queued", "queued", "Queued gallery ZIP export", 0, None))
        self.assertEqual(job["requested_count"], 2)
        self.assertRegex(job["filename"], r"^gpt-images-\d{8}_\d{6}\.zip$")
        self.assertRegex(job["created_at"], ISO_UTC)

        events = read_events(self, f"/api/gallery/export-jobs/{job['job_id']}/events")
        self.assertGreaterEqual(len(events), 1)
        for name, data in events:
            self.assertEqual(name, "export")
            self.assertEqual(data["job_id"], job["job_id"])
            self.assertEqual(list(data), EXPORT_KEYS)
        progress = [d["progress"] for _, d in events]
        self.assertEqual(progress, sorted(progress))
        self.assertEqual(events[-1][1]["status"], "success")

        done = self.status(job["job_id"]).json()
        self.assertEqual((done["status"], done["stage"], done["message"], done["progress"]),
                         ("success", "ready", "ZIP archive ready", 100))
        self.assertGreater(done["bytes_total"], 300_000)
        self.assertEqual(done["bytes_written"], done["bytes_total"])
        self.assertEqual(done["download_url"], f"/api/gallery/export-jobs/{job['job_id']}/download")
        self.assertEqual((done["requested_count"], done["processed_count"], done["exported_count"],
                          done["missing_count"]), (2, 2, 2, 0))
        self.assertIsNone(done["error"])
        self.assertEqual(events[-1][1], done)
        # A finished job's stream: its status once, then the end.
        self.assertEqual(read_events(self, f"/api/gallery/export-jobs/{job['job_id']}/events"), [("export", done)])
        self.assertTrue((self.exports_dir / f"{job['job_id']}.zip").exists())

        d = self.api("GET", done["download_url"])
        self.assertEqual(d.status, 200, d)
        self.assertEqual(int(d.header("Content-Length")), len(d.body))
        self.assertEqual(len(d.body), done["bytes_total"])
        self.assertEqual(d.header("Content-Disposition"), f'attachment; filename="{job["filename"]}"')
        self.assertEqual(d.header("Content-Type"), "application/zip")
        self.assertEqual(d.header("Content-Encoding"), "identity")
        self.assertEqual(d.header("X-Content-Type-Options"), "nosniff")
        self.assertEqual((d.header("X-Gallery-Requested-Count"), d.header("X-Gallery-Exported-Count"),
                          d.header("X-Gallery-Missing-Count")), ("2", "2", "0"))
        z = self.open_zip(d.body)
        self.assertEqual(z.namelist(), [f"images/{b['filename']}", f"images/{a['filename']}", "metadata.json"])
        self.assertEqual(z.read(f"images/{b['filename']}"), b["data"])
        self.metadata(z)

        # One-shot: the record and the ZIP go once the body was sent.
        wait_until(lambda: self.api("GET", done["download_url"]).status == 404, 5, what="one-shot delete")
        self.assertError(self.api("GET", done["download_url"]), 404, "Gallery export job not found")
        self.assertError(self.status(job["job_id"]), 404, "Gallery export job not found")
        self.assertFalse((self.exports_dir / f"{job['job_id']}.zip").exists())
        self.assertError(self.api("GET", f"/api/gallery/export-jobs/{job['job_id']}/events"), 404,
                         "Gallery export job not found")

    def test_selected_ids(self):
        a = self.add_image()
        self.add_image()
        r = self.create({"ids": [a["id"], "no-such-row"]})
        self.assertEqual(r.status, 202, r)
        self.assertRegex(r.json()["filename"], r"^gpt-images-selected-\d{8}_\d{6}\.zip$")
        self.assertEqual(r.json()["requested_count"], 2)
        done = self.wait_done(r.json()["job_id"])
        self.assertEqual((done["status"], done["exported_count"], done["missing_count"]), ("success", 1, 1))
        d = self.api("GET", done["download_url"])
        self.assertEqual((d.header("X-Gallery-Requested-Count"), d.header("X-Gallery-Exported-Count"),
                          d.header("X-Gallery-Missing-Count")), ("2", "1", "1"))
        meta = self.metadata(self.open_zip(d.body))
        self.assertEqual(meta["skipped"], [{"id": "no-such-row", "reason": "gallery_entry_missing"}])

    def test_refusals(self):
        self.assertError(self.create(), 404, "No images in gallery")
        self.assertError(self.create({}), 404, "No images in gallery")
        self.add_image()
        self.assertError(self.create({"ids": ["x", "y"]}), 404, "Gallery entries not found")
        self.assertError(self.create({"ids": []}), 422, "ids - ids must include at least one gallery entry id")
        self.assertEqual(self.create({"idz": ["x"]}).status, 422)
        self.assertError(self.status("0" * 32), 404, "Gallery export job not found")
        self.assertError(self.api("GET", f"/api/gallery/export-jobs/{'0' * 32}/download"), 404,
                         "Gallery export job not found")
        self.assertError(self.api("GET", f"/api/gallery/export-jobs/{'0' * 32}/events"), 404,
                         "Gallery export job not found")

    def put_job(self, job_id, status, path=None):
        now = "2026-01-01T00:00:00+00:00"
        with self.db() as db:
            db.execute("INSERT INTO gallery_jobs (job_id, kind, status, stage, message, filename, path, created_at, "
                       "updated_at) VALUES (?, 'export', ?, ?, 'm', 'x.zip', ?, ?, ?)",
                       (job_id, status, "packing" if status == "running" else "ready", path, now, now))

    def test_not_ready_and_archive_missing(self):
        running, lost = uuid.uuid4().hex, uuid.uuid4().hex
        self.put_job(running, "running")
        self.put_job(lost, "success", str(self.exports_dir / f"{lost}.zip"))
        self.assertEqual(self.status(running).json()["status"], "running")
        self.assertError(self.api("GET", f"/api/gallery/export-jobs/{running}/download"), 409,
                         "Gallery export job is not ready")
        self.assertError(self.api("GET", f"/api/gallery/export-jobs/{lost}/download"), 404,
                         "Gallery export archive not found")

    def test_five_active_exports_at_most(self):
        # Five batch downloads whose clients stop reading hold their export slots.
        big = bytes(range(256)) * (32 * 1024)  # 8 MiB; four rows of it are more than the socket buffers
        rows = [self.add_image(filename="big.png", data=big, write_file=(i == 0)) for i in range(4)]
        body = json.dumps({"ids": [r["id"] for r in rows]}).encode()
        stalled = []
        try:
            for _ in range(5):
                s = socket.create_connection(("127.0.0.1", self.panel.port), timeout=15)
                s.sendall(b"POST /api/gallery/batch/download HTTP/1.1\r\nHost: " + self.panel.host.encode() +
                          b"\r\nOrigin: " + self.panel.origin.encode() + b"\r\nCookie: " + self.cookie[1].encode() +
                          b"\r\nContent-Type: application/json\r\nContent-Length: " + str(len(body)).encode() +
                          b"\r\n\r\n" + body)
                head = b""
                while b"\r\n\r\n" not in head:
                    head += s.recv(1)
                self.assertTrue(head.startswith(b"HTTP/1.1 200"), head)
                stalled.append(s)
            self.assertError(self.create(), 429, TOO_MANY)
            self.assertError(self.api("POST", "/api/gallery/batch/download", {"ids": [rows[0]["id"]]}), 429,
                             TOO_MANY)
        finally:
            for s in stalled:
                s.close()
        r = wait_until(lambda: (x := self.create()).status == 202 and x, 10, what="a free export slot")
        self.wait_done(r.json()["job_id"])


class ExportRestart(GalleryFixture, unittest.TestCase):
    """Export records survive a restart; a new process fails what was unfinished and removes stray files."""

    def test_restart_keeps_finished_exports_and_cleans_the_rest(self):
        with tempfile.TemporaryDirectory(prefix="panel-export-restart-") as tmp:
            self.tmp = Path(tmp)
            env = {"ACCESS_KEY": ACCESS_KEY}
            self.panel = Panel(env=env, tmp=tmp).start()
            try:
                self.add_image()
                r = self.api("POST", "/api/gallery/export-jobs")
                self.assertEqual(r.status, 202, r)
                done_id = r.json()["job_id"]
                wait_until(lambda: self.api("GET", f"/api/gallery/export-jobs/{done_id}").json()["status"] == "success")
            finally:
                self.assertEqual(self.panel.stop()[0], 0)
            stray = self.exports_dir / ("ab" * 16 + ".zip")
            stray.write_bytes(b"orphan")
            (self.exports_dir / "leftover.zip.tmp").write_bytes(b"partial")
            (self.exports_dir / "streams").mkdir(exist_ok=True)
            (self.exports_dir / "streams" / "stream-x.metadata.tmp").write_bytes(b"{")
            unfinished = uuid.uuid4().hex
            with self.db() as db:
                db.execute("INSERT INTO gallery_jobs (job_id, kind, status, stage, message, created_at, updated_at) "
                           "VALUES (?, 'export', 'running', 'packing', 'Writing ZIP archive', 'c', 'u')",
                           (unfinished,))
            self.panel = Panel(env=env, tmp=tmp).start()
            try:
                wait_until(lambda: not stray.exists(), 5, what="stray ZIP removed")
                self.assertFalse((self.exports_dir / "leftover.zip.tmp").exists())
                self.assertFalse((self.exports_dir / "streams" / "stream-x.metadata.tmp").exists())
                failed = self.api("GET", f"/api/gallery/export-jobs/{unfinished}").json()
                self.assertEqual((failed["status"], failed["stage"], failed["message"], failed["error"]),
                                 ("error", "error", "Failed to build ZIP archive",
                                  "Export interrupted by server restart"))
                kept = self.api("GET", f"/api/gallery/export-jobs/{done_id}").json()
                self.assertEqual(kept["status"], "success")
                d = self.api("GET", kept["download_url"])
                self.assertEqual(d.status, 200, d)
                self.assertEqual(len(d.body), kept["bytes_total"])
                self.assertEqual(int(d.header("Content-Length")), len(d.body))
                self.open_zip(d.body)
            finally:
                self.assertEqual(self.panel.stop()[0], 0)


if __name__ == "__main__":
    unittest.main()
