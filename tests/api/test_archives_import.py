"""ZIP imports (spec §3.10 POST /api/import, §9.2): every refusal with its exact message, in the
spec's order; full image validation (an SVG named .png is skipped); ids and file names that already
exist; an archive written the way the original Python panel writes it; and the round trip
generate -> export -> delete all -> import, which must restore every row and every byte."""

import hashlib
import io
import json
import os
import socket
import unittest
import zipfile

from .panel import ACCESS_KEY, read_response
from .test_archives_export import COLUMNS, ArchiveCase, GalleryFixture
from .upstream import SVG, JobsCase, multipart, png_bytes, tag, wait_until

SMALL = "[mock:size=32x32]"


def zip_bytes(members, compression=zipfile.ZIP_STORED):
    """members: [(name or ZipInfo, bytes)] in order."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in members:
            z.writestr(name, data)
    return buf.getvalue()


def metadata(*entries, **extra):
    return json.dumps({"schema_version": 1, "exported_at": "2026-01-01T00:00:00+00:00",
                       "app": {"name": "gpt-image-linux", "version": "v1"}, "images": list(entries), **extra})


def entry(filename, **cols):
    base = {"id": "import-1", "prompt": "imported", "size": "1024x1024", "filename": filename,
            "created_at": "2026-01-02T03:04:05+00:00", "model": "gpt-image-2"}
    base.update(cols)
    return base


class ImportCase(ArchiveCase):
    def upload(self, archive, field="archive", filename="gallery.zip"):
        ctype, body = multipart(files=[(field, filename, "application/zip", archive)])
        return self.api("POST", "/api/import", body, headers=[("Content-Type", ctype)])

    def assertRefused(self, archive, detail):
        before = sorted(p.name for p in self.images_dir.iterdir())
        r = self.upload(archive)
        self.assertError(r, 400, detail)
        self.assertEqual(sorted(p.name for p in self.images_dir.iterdir()), before, "no file left behind")
        self.assertEqual(self.rows(), {}, "no row inserted")
        self.assertEqual(list((self.tmp / "data" / "import-uploads").iterdir()), [], "upload removed")


class ImportRules(ImportCase):
    def test_valid_archive(self):
        png = png_bytes(12, 10)
        r = self.upload(zip_bytes([("images/import-1.png", png), ("metadata.json", metadata(entry("import-1.png")))]))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json(), {"status": "success", "imported": 1})
        row = self.rows()["import-1"]
        self.assertEqual(row["filename"], "import-1.png")
        self.assertEqual(row["bytes"], len(png))
        self.assertEqual(row["sha256"], hashlib.sha256(png).hexdigest())
        self.assertIsNone(row["thumbnail_filename"])
        self.assertEqual((self.images_dir / "import-1.png").read_bytes(), png)
        g = self.api("GET", "/api/gallery/import-1")
        self.assertEqual(g.status, 200, g)
        self.assertEqual(g.json()["thumbnail_url"], "/api/thumb/import-1.png")
        self.assertIsNone(g.json()["thumbnail_filename"])
        self.assertEqual(self.api("GET", "/api/image/import-1.png").body, png)
        self.assertEqual([p.name for p in self.images_dir.iterdir() if p.name.startswith(".")], [])

    def test_existing_id_and_file_name(self):
        png = png_bytes(6, 6)
        archive = zip_bytes([("images/import-1.png", png), ("metadata.json", metadata(entry("import-1.png")))])
        self.assertEqual(self.upload(archive).json(), {"status": "success", "imported": 1})
        first = self.rows()["import-1"]
        self.assertEqual(self.upload(archive).json(), {"status": "success", "imported": 1})
        rows = self.rows()
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows["import-1"], first, "the existing row is untouched")
        (new,) = [r for i, r in rows.items() if i != "import-1"]
        self.assertRegex(new["id"], r"^[0-9a-f-]{36}$")
        self.assertEqual(new["filename"], "import-1_1.png")
        self.assertEqual(new["prompt"], "imported")
        t = self.api("GET", "/api/thumb/import-1_1.png")
        self.assertEqual(t.status, 200, t)
        self.assertEqual(t.header("Content-Type"), "image/webp")

    def test_upload_refusals(self):
        self.assertError(self.upload(b""), 400, "Uploaded archive is empty")
        self.assertError(self.upload(b"PK\x03\x04 but not really a zip archive"), 400, "Import file must be a valid ZIP")
        ctype, body = multipart(fields=[("archive", "text, not a file")])
        self.assertError(self.api("POST", "/api/import", body, headers=[("Content-Type", ctype)]), 422)
        self.assertError(self.upload(b"x", field="other"), 400, "Unexpected upload field: other")
        self.assertError(self.api("POST", "/api/import", {"archive": "x"}), 415, "multipart/form-data is required")

    def test_unsafe_paths(self):
        meta = ("metadata.json", metadata(entry("evil.png")))
        for name in ("../evil.png", "/evil.png", "images\\evil.png", "images/../../evil.png", "C:/evil.png"):
            with self.subTest(name=name):
                info = zipfile.ZipInfo(name)
                archive = zip_bytes([meta, (info, png_bytes())])
                self.assertIn(name, zipfile.ZipFile(io.BytesIO(archive)).namelist())
                self.assertRefused(archive, "Import archive contains unsafe paths")
        self.assertFalse((self.tmp / "evil.png").exists())

    def test_metadata_refusals(self):
        png = ("images/a.png", png_bytes())
        self.assertRefused(zip_bytes([png]), "metadata.json is required")
        self.assertRefused(zip_bytes([png, ("images/metadata.json", metadata(entry("a.png")))]),
                           "metadata.json is required")
        self.assertRefused(zip_bytes([png, ("metadata.json", "{not json")]), "metadata.json is invalid")
        self.assertRefused(zip_bytes([png, ("metadata.json", b"\xff\xfe\x00{")]), "metadata.json is invalid")
        self.assertRefused(zip_bytes([png, ("metadata.json", json.dumps({"images": {"a.png": {}}}))]),
                           "metadata.json images must be a list")
        self.assertRefused(zip_bytes([png, ("metadata.json", "{}")]), "metadata.json images must be a list")

    def test_nothing_importable(self):
        # SVG bytes named .png, a truncated PNG, a JPEG named .png, an empty file, a missing member.
        jpeg_named_png = b"\xff\xd8\xff\xe0" + b"\x00" * 64
        archive = zip_bytes([
            ("images/vector.png", SVG), ("images/cut.png", png_bytes()[:40]), ("images/jpeg.png", jpeg_named_png),
            ("images/empty.png", b""), ("images/notes.txt", b"hello"),
            ("metadata.json", metadata(entry("vector.png"), entry("cut.png", id="2"), entry("jpeg.png", id="3"),
                                       entry("empty.png", id="4"), entry("absent.png", id="5"),
                                       entry("notes.txt", id="6"))),
        ])
        self.assertRefused(archive, "No importable images found")

    def test_skips_bad_entries_and_keeps_the_good(self):
        good = png_bytes(9, 9)
        archive = zip_bytes([("images/vector.png", SVG), ("images/good.png", good),
                             ("metadata.json", metadata(entry("vector.png", id="v"), entry("good.png", id="g")))])
        self.assertEqual(self.upload(archive).json(), {"status": "success", "imported": 1})
        self.assertEqual(list(self.rows()), ["g"])

    def test_names_are_sanitised_and_deduplicated_inside_the_archive(self):
        a, b = png_bytes(4, 4, seed=1), png_bytes(4, 4, seed=2)
        archive = zip_bytes([("images/My Photo (1).PNG", a), ("other/My Photo (1).PNG", b),
                             ("metadata.json", metadata(entry("My Photo (1).PNG", id="x"),
                                                        entry("other/My Photo (1).PNG", id="x")))])
        self.assertEqual(self.upload(archive).json(), {"status": "success", "imported": 2})
        rows = sorted(self.rows().values(), key=lambda r: r["filename"])
        self.assertEqual([r["filename"] for r in rows], ["My_Photo__1.png", "My_Photo__1_1.png"])
        self.assertEqual(len({r["id"] for r in rows}), 2)
        self.assertEqual((self.images_dir / "My_Photo__1.png").read_bytes(), a)
        self.assertEqual((self.images_dir / "My_Photo__1_1.png").read_bytes(), b)

    def test_an_archive_written_like_the_original_panel(self):
        """The original writes images stored, then metadata.json (indent=2, non-ASCII kept) deflated, and leaves
        out keys whose value is null; favourites come back as booleans."""
        img = png_bytes(20, 10)
        meta = {"schema_version": 1, "exported_at": "2025-12-31T23:59:59.123456+00:00",
                "app": {"name": "gpt-image-linux", "version": "1.4.0"},
                "images": [{"id": "4f0c2b9e-0000-4000-8000-000000000001", "prompt": "\u732b\u306e\u7d75 a cat",
                            "size": "1536x1024", "filename": "4f0c2b9e-0000-4000-8000-000000000001.png",
                            "created_at": "2025-12-31T10:00:00.5+00:00", "completed_at": "2025-12-31T18:00:03+08:00",
                            "image_width": 20, "image_height": 10, "model": "gpt-image-1", "quality": "high",
                            "output_format": "png", "response_format": "b64_json", "n": 2,
                            "api_path": "/v1/responses", "api_preset_name": "Main", "duration": "12.34s",
                            "favorite": True, "bytes": len(img), "sha256": hashlib.sha256(img).hexdigest()}],
                "skipped": [{"id": "gone", "filename": "gone.png", "reason": "image_file_missing"}]}
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
            z.writestr(f"images/{meta['images'][0]['filename']}", img)
            z.writestr("metadata.json", json.dumps(meta, ensure_ascii=False, indent=2).encode(),
                       compress_type=zipfile.ZIP_DEFLATED)
        self.assertEqual(self.upload(buf.getvalue()).json(), {"status": "success", "imported": 1})
        row = self.rows()[meta["images"][0]["id"]]
        src = meta["images"][0]
        for key in COLUMNS:
            want = src.get(key)
            if key == "favorite":
                want = 1
            self.assertEqual(row[key], want, key)


class ImportFileCount(ImportCase):
    env = {"ACCESS_KEY": ACCESS_KEY, "IMPORT_MAX_FILES": "2"}

    def test_too_many_files(self):
        members = [(f"images/{i}.png", png_bytes()) for i in range(3)] + [("metadata.json", metadata())]
        self.assertRefused(zip_bytes(members), "Import archive contains too many files")
        # Directory entries do not count.
        ok = zip_bytes([("images/", b""), ("images/import-1.png", png_bytes()),
                        ("metadata.json", metadata(entry("import-1.png")))])
        self.assertEqual(self.upload(ok).json(), {"status": "success", "imported": 1})


class ImportSizeLimits(ImportCase):
    env = {"ACCESS_KEY": ACCESS_KEY, "MAX_FILE_SIZE_MB": "1", "IMPORT_ARCHIVE_MAX_MB": "4",
           "IMPORT_MAX_UNCOMPRESSED_MB": "2", "IMPORT_MAX_METADATA_BYTES": "400"}

    def test_image_too_large(self):
        big = os.urandom(1024 * 1024 + 1)
        self.assertRefused(zip_bytes([("images/big.png", big), ("metadata.json", metadata(entry("big.png")))]),
                           "Imported image is too large")

    def test_uncompressed_total(self):
        parts = [(f"data/{i}.bin", os.urandom(900 * 1024)) for i in range(3)]  # not images: only the total counts
        self.assertRefused(zip_bytes(parts + [("metadata.json", metadata())]),
                           "Import archive uncompressed size exceeds limit")

    def test_metadata_too_large(self):
        meta = metadata(entry("a.png", prompt="x" * 500))
        self.assertRefused(zip_bytes([("images/a.png", png_bytes()), ("metadata.json", meta)]),
                           "metadata.json is too large")

    def test_upload_over_the_limit(self):
        # IMPORT_ARCHIVE_MAX_MB plus the 64 KiB allowed for the form, plus one byte: refused before the body.
        length = 4 * 1024 * 1024 + 64 * 1024 + 1
        with socket.create_connection(("127.0.0.1", self.panel.port), timeout=10) as s:
            s.sendall(f"POST /api/import HTTP/1.1\r\nHost: {self.panel.host}\r\nOrigin: {self.panel.origin}\r\n"
                      f"Cookie: {self.cookie[1]}\r\nContent-Type: multipart/form-data; boundary=x\r\n"
                      f"Content-Length: {length}\r\n\r\n".encode())
            self.assertError(read_response(s, "POST"), 413, "Request body too large")
        self.assertEqual(list((self.tmp / "data" / "import-uploads").iterdir()), [])


class ImportRatio(ImportCase):
    env = {"ACCESS_KEY": ACCESS_KEY, "IMPORT_MAX_COMPRESSION_RATIO": "1"}

    def test_compression_ratio(self):
        archive = zip_bytes([("images/zeros.png", b"0" * 1024), ("metadata.json", metadata(entry("zeros.png")))],
                            zipfile.ZIP_DEFLATED)
        self.assertRefused(archive, "Import archive compression ratio exceeds limit")


class RoundTrip(GalleryFixture, JobsCase):
    """Generate through the mock upstream, export, delete everything, import: every row and byte is back."""

    def delete_all(self):
        r = self.api("DELETE", "/api/gallery")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.rows(), {})
        self.assertEqual([p for p in self.images_dir.iterdir() if p.is_file()], [])

    def snapshot(self):
        rows = self.rows()
        files = {r["filename"]: hashlib.sha256((self.images_dir / r["filename"]).read_bytes()).hexdigest()
                 for r in rows.values()}
        for r in rows.values():
            r.pop("thumbnail_filename")
        return rows, files

    def original_importer_accepts(self, body, rows):
        """The original panel's import rules (§9.2), applied with Python's zipfile to our archive."""
        z = zipfile.ZipFile(io.BytesIO(body))
        self.assertIsNone(z.testzip())
        infos = [i for i in z.infolist() if not i.is_dir()]
        names = {i.filename for i in infos}
        for i in infos:
            self.assertNotIn("\\", i.filename)
            self.assertFalse(i.filename.startswith("/"))
            self.assertTrue(all(p not in ("", ".", "..") for p in i.filename.split("/")))
        meta = json.loads(z.read("metadata.json").decode("utf-8"))
        self.assertIsInstance(meta.get("images"), list)
        self.assertEqual(len(meta["images"]), len(rows))
        for e in meta["images"]:
            zip_name = e["filename"] if e["filename"] in names else f"images/{e['filename']}"
            self.assertIn(zip_name, names)
            self.assertEqual(hashlib.sha256(z.read(zip_name)).hexdigest(), e["sha256"])
            self.assertEqual(e["id"], rows[e["id"]]["id"])

    def test_round_trip_restores_every_row_and_byte(self):
        self.clear_gallery()
        marker = tag()
        for i in range(3):
            job = self.run_job(f"{marker} picture {i} {SMALL}", n=2 if i == 1 else 1)
            self.assertEqual(job["status"], "success", job)
        with self.db() as db:  # one favourite, so the flag travels too
            db.execute("UPDATE gallery_entries SET favorite = 1 WHERE rowid = (SELECT MIN(rowid) FROM gallery_entries)")
        rows, files = self.snapshot()
        self.assertEqual(len(rows), 4)

        created = self.api("POST", "/api/gallery/export-jobs")
        self.assertEqual(created.status, 202, created)
        job_id = created.json()["job_id"]
        done = wait_until(lambda: (s := self.api("GET", f"/api/gallery/export-jobs/{job_id}").json())["status"]
                          in ("success", "error") and s)
        self.assertEqual(done["status"], "success", done)
        archive = self.api("GET", done["download_url"])
        self.assertEqual(archive.status, 200, archive)
        self.original_importer_accepts(archive.body, rows)
        streamed = self.api("GET", "/api/download-all")
        self.original_importer_accepts(streamed.body, rows)

        for body in (archive.body, streamed.body):
            self.delete_all()
            ctype, form = multipart(files=[("archive", "gallery.zip", "application/zip", body)])
            r = self.api("POST", "/api/import", form, headers=[("Content-Type", ctype)])
            self.assertEqual(r.json(), {"status": "success", "imported": 4}, r)
            self.assertEqual(self.snapshot(), (rows, files))


if __name__ == "__main__":
    unittest.main()
