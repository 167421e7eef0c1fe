"""Media routes (spec §3.9, §8.5): /api/image, /api/thumb and /api/download serve only files a
gallery row names, refuse traversal in every encoding, stream with ranges and validators, and
make each thumbnail exactly once."""

import os
import re
import socket
import struct
import threading
import unittest

from tests.api.gallery_support import GalleryCase, png_bytes, query, row
from tests.api.upstream import JobsCase, wait_until

MEDIA = ("/api/image/", "/api/thumb/", "/api/download/")
NOT_FOUND = {"/api/image/": "Image not found", "/api/thumb/": "Thumbnail not found",
             "/api/download/": "Image not found"}


def webp_size(data):
    """(width, height) of a WebP file (VP8, VP8L or VP8X)."""
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP", data[:16]
    kind = data[12:16]
    if kind == b"VP8X":
        return 1 + int.from_bytes(data[24:27], "little"), 1 + int.from_bytes(data[27:30], "little")
    if kind == b"VP8 ":
        w, h = struct.unpack("<HH", data[26:30])
        return w & 0x3FFF, h & 0x3FFF
    if kind == b"VP8L":
        bits = int.from_bytes(data[21:25], "little")
        return 1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF)
    raise AssertionError(f"unknown WebP chunk {kind!r}")


class MediaFiles(GalleryCase):
    env = {"THUMBNAIL_MAX_SIDE": "100"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.png = png_bytes(300, 150, noise=True)
        (cls.tmp / "images" / "media-a.png").write_bytes(cls.png)
        # Files that must never be served: an orphan next to the images, a secret outside them.
        (cls.tmp / "images" / "orphan.png").write_bytes(png_bytes(8, 8))
        (cls.tmp / "secret.png").write_bytes(b"SECRET-BYTES")
        (cls.tmp / "data" / "secret.png").write_bytes(b"SECRET-BYTES")
        from tests.api.gallery_support import insert_rows
        insert_rows(cls.tmp / "data" / "app.sqlite3", [row(filename="media-a.png", id="media-a")])

    def test_image_is_served_with_validators_and_public_cache(self):
        r = self.api("GET", "/api/image/media-a.png")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body, self.png)
        self.assertEqual(r.header("Content-Type"), "image/png")
        self.assertEqual(r.header("Cache-Control"), "public, max-age=31536000")
        self.assertEqual(r.header("Accept-Ranges"), "bytes")
        self.assertEqual(r.header("Content-Length"), str(len(self.png)))
        self.assertRegex(r.header("ETag"), r'^"[0-9a-f]+-[0-9a-f]+"$')
        self.assertRegex(r.header("Last-Modified"), r"^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT$")
        self.assertEqual(r.header("X-Content-Type-Options"), "nosniff")

    def test_conditional_requests(self):
        first = self.api("GET", "/api/image/media-a.png")
        etag, modified = first.header("ETag"), first.header("Last-Modified")
        for headers in ([("If-None-Match", etag)], [("If-None-Match", f'"x", W/{etag}')],
                        [("If-Modified-Since", modified)]):
            r = self.api("GET", "/api/image/media-a.png", headers=headers)
            self.assertEqual(r.status, 304, (headers, r))
            self.assertEqual(r.body, b"")
            self.assertEqual(r.header("ETag"), etag)
            self.assertTrue(r.header("Cache-Control").startswith("public"))
        for headers in ([("If-None-Match", '"stale"')], [("If-Modified-Since", "Thu, 01 Jan 1970 00:00:00 GMT")],
                        [("If-None-Match", '"stale"'), ("If-Modified-Since", modified)]):
            r = self.api("GET", "/api/image/media-a.png", headers=headers)
            self.assertEqual(r.status, 200, (headers, r))
            self.assertEqual(r.body, self.png)

    def test_ranges(self):
        size = len(self.png)
        for spec, first, last in (("bytes=0-9", 0, 9), ("bytes=100-", 100, size - 1), ("bytes=-20", size - 20, size - 1),
                                  (f"bytes=10-{size + 500}", 10, size - 1)):
            r = self.api("GET", "/api/image/media-a.png", headers=[("Range", spec)])
            self.assertEqual(r.status, 206, (spec, r))
            self.assertEqual(r.header("Content-Range"), f"bytes {first}-{last}/{size}")
            self.assertEqual(r.header("Content-Length"), str(last - first + 1))
            self.assertEqual(r.body, self.png[first:last + 1])
            self.assertTrue(r.header("Cache-Control").startswith("public"))
        for spec in (f"bytes={size}-", f"bytes={size + 5}-{size + 9}", "bytes=-0"):
            r = self.api("GET", "/api/image/media-a.png", headers=[("Range", spec)])
            self.assertEqual(r.status, 416, (spec, r))
            self.assertEqual(r.header("Content-Range"), f"bytes */{size}")
        # Several ranges, other units and nonsense: the whole file is a valid answer.
        for spec in ("bytes=0-1,5-6", "items=0-1", "bytes=9-3", "bytes=x"):
            r = self.api("GET", "/api/image/media-a.png", headers=[("Range", spec)])
            self.assertEqual(r.status, 200, (spec, r))
            self.assertEqual(r.body, self.png)
        etag = self.api("GET", "/api/image/media-a.png").header("ETag")
        r = self.api("GET", "/api/image/media-a.png", headers=[("Range", "bytes=0-3"), ("If-Range", etag)])
        self.assertEqual((r.status, r.body), (206, self.png[:4]))
        r = self.api("GET", "/api/image/media-a.png", headers=[("Range", "bytes=0-3"), ("If-Range", '"old"')])
        self.assertEqual((r.status, r.body), (200, self.png))

    def test_head(self):
        c = self.panel.connect()
        try:
            c.putrequest("HEAD", "/api/image/media-a.png", skip_accept_encoding=True)
            c.putheader(*self.cookie)
            c.endheaders()
            r = c.getresponse()
            self.assertEqual(r.status, 200)
            self.assertEqual(r.getheader("Content-Length"), str(len(self.png)))
            self.assertEqual(r.read(), b"")
        finally:
            c.close()

    def test_large_files_survive_clients_that_hang_up_and_keep_alive_reuse(self):
        # Whole files and ranges leave through sendfile(2): a peer that resets
        # mid-body must cost the panel nothing (no SIGPIPE), and a finished
        # body must leave the connection clean for the next request.
        big = os.urandom(6 * 1024 * 1024 + 123)
        (self.images_dir / "media-big.png").write_bytes(big)
        from tests.api.gallery_support import insert_rows
        insert_rows(self.tmp / "data" / "app.sqlite3", [row(filename="media-big.png", id="media-big")])
        for _ in range(5):
            with socket.create_connection(("127.0.0.1", self.panel.port), timeout=10) as s:
                s.sendall(b"GET /api/image/media-big.png HTTP/1.1\r\nHost: " + self.panel.host.encode() +
                          b"\r\n" + f"{self.cookie[0]}: {self.cookie[1]}".encode() + b"\r\n\r\n")
                self.assertTrue(s.recv(65536).startswith(b"HTTP/1.1 200"))
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # RST on close
        c = self.panel.connect()
        try:
            for headers in ({}, {"Range": "bytes=1000-2000999"}, {}):
                c.request("GET", "/api/image/media-big.png", headers={self.cookie[0]: self.cookie[1], **headers})
                r = c.getresponse()
                body = r.read()
                if headers:
                    self.assertEqual((r.status, body), (206, big[1000:2001000]))
                else:
                    self.assertEqual((r.status, len(body)), (200, len(big)))
                    self.assertEqual(body, big)
        finally:
            c.close()
        self.assertEqual(self.api("GET", "/api/image/media-a.png").body, self.png)

    def test_download_is_an_attachment(self):
        r = self.api("GET", "/api/download/media-a.png")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body, self.png)
        self.assertRegex(r.header("Content-Disposition"), r'^attachment; filename="gpt-image-\d{8}_\d{6}\.png"$')
        r = self.api("GET", "/api/download/media-a.png", headers=[("Range", "bytes=1-2")])
        self.assertEqual((r.status, r.body), (206, self.png[1:3]))

    def test_thumbnail_is_webp_within_the_max_side_and_recorded(self):
        r = self.api("GET", "/api/thumb/media-a.png")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("Content-Type"), "image/webp")
        self.assertTrue(r.header("Cache-Control").startswith("public"))
        self.assertEqual(webp_size(r.body), (100, 50))
        name = self.api("GET", "/api/gallery/media-a").json()["thumbnail_filename"]
        self.assertRegex(name, r"^media-a-[0-9a-f]{12}\.webp$")
        self.assertEqual((self.thumbs_dir / name).read_bytes(), r.body)
        again = self.api("GET", "/api/thumb/media-a.png", headers=[("If-None-Match", r.header("ETag"))])
        self.assertEqual(again.status, 304)
        self.assertEqual(self.api("GET", "/api/thumb/media-a.png").body, r.body)

    def test_only_files_named_by_a_row_are_served(self):
        self.add(row(filename="row-without-file.png"), files=False)
        self.add(row(filename="notes.txt"))
        for prefix in MEDIA:
            for name in ("orphan.png", "row-without-file.png", "notes.txt", "never-seen.png"):
                with self.subTest(url=prefix + name):
                    self.assertError(self.api("GET", prefix + name), 404, NOT_FOUND[prefix])

    def test_traversal_in_every_encoding(self):
        # Decoded once by the router; whatever is left must still be a plain image name.
        attempts = ["..%2Fsecret.png", "..%2fsecret.png", "%2E%2E%2Fsecret.png", "..%5Csecret.png",
                    "..%252Fsecret.png", "%252E%252E%252Fsecret.png", "..%2F..%2Fsecret.png",
                    "..%2Fdata%2Fsecret.png", "%2Fetc%2Fpasswd", "media-a.png%00.png", "secret.png%00",
                    "%00", "..", ".", "%2E%2E", "..%C0%AFsecret.png", "%C0%AE%C0%AE%2Fsecret.png",
                    "..%EF%BC%8Fsecret.png", "..%E2%88%95secret.png", ".media-a.png", "media-a.png%0A",
                    "%E5%9B%BE%FF.png", "..%2F..%2Fdata%2Fapp.sqlite3", "app.sqlite3",
                    "media-a.png%2F", "%2Fmedia-a.png"]
        for prefix in MEDIA:
            for name in attempts:
                with self.subTest(url=prefix + name):
                    r = self.api("GET", prefix + name)
                    self.assertEqual(r.status, 404, r)
                    self.assertNotIn(b"SECRET", r.body)
        # Raw dot segments never reach the media routes at all.
        for path in ("/api/image/../secret.png", "/api/image/..%2F../secret.png", "/api/thumb/./../../secret.png"):
            r = self.api("GET", path)
            self.assertNotEqual(r.status, 200, (path, r))
            self.assertNotIn(b"SECRET", r.body)


class ThumbnailsMadeOnce(GalleryCase):
    env = {"THUMBNAIL_MAX_SIDE": "64"}

    def test_twenty_concurrent_requests_make_one_thumbnail(self):
        self.add(row(filename="burst.png", id="burst-1"), row(filename="burst.png", id="burst-2"),
                 content=png_bytes(900, 700, noise=True))
        results = []
        barrier = threading.Barrier(20)

        def fetch():
            barrier.wait()
            results.append(self.api("GET", "/api/thumb/burst.png"))

        threads = [threading.Thread(target=fetch) for _ in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        self.assertEqual(len(results), 20)
        self.assertEqual({r.status for r in results}, {200})
        self.assertEqual(len({r.body for r in results}), 1)
        self.assertEqual(webp_size(results[0].body), (64, 50))
        made = wait_until(lambda: re.findall(r"Created gallery thumbnail (\S+) for burst\.png", self.panel.stderr),
                          timeout=10, what="the thumbnail log line")
        self.assertEqual(len(made), 1, self.panel.stderr)
        (name,) = made
        inode = (self.thumbs_dir / name).stat().st_ino
        # Both rows of the file record it; later requests read the same file.
        thumbs = dict(query(self.db_path, "SELECT id, thumbnail_filename FROM gallery_entries WHERE filename = ?",
                            ("burst.png",)))
        self.assertEqual(thumbs, {"burst-1": name, "burst-2": name})
        self.assertEqual(self.api("GET", "/api/thumb/burst.png").status, 200)
        self.assertEqual((self.thumbs_dir / name).stat().st_ino, inode)
        self.assertEqual(len(re.findall(r"Created gallery thumbnail \S+ for burst\.png", self.panel.stderr)), 1)

    def test_an_undecodable_image_has_no_thumbnail(self):
        self.add(row(filename="broken.png"), content=b"\x89PNG\r\n\x1a\nnot really")
        self.assertError(self.api("GET", "/api/thumb/broken.png"), 404, "Thumbnail not found")
        self.assertEqual(query(self.db_path, "SELECT thumbnail_filename FROM gallery_entries WHERE filename = ?",
                               ("broken.png",)), [(None,)])
        self.assertEqual(self.api("GET", "/api/image/broken.png").status, 200)

    def test_a_lost_thumbnail_is_made_again(self):
        self.add(row(filename="lost.png"), content=png_bytes(40, 20))
        first = self.api("GET", "/api/thumb/lost.png")
        self.assertEqual(first.status, 200, first)
        # The log line may reach stderr just after the answer: wait for it.
        (name,) = wait_until(lambda: re.findall(r"Created gallery thumbnail (\S+) for lost\.png", self.panel.stderr),
                             timeout=10, what="the thumbnail log line")
        (self.thumbs_dir / name).unlink()
        again = self.api("GET", "/api/thumb/lost.png")
        self.assertEqual(again.status, 200, again)
        self.assertEqual(webp_size(again.body), (40, 20))  # never upscaled
        self.assertTrue((self.thumbs_dir / name).exists())


class GeneratedImagesHaveLazyThumbnails(JobsCase):
    """A row saved by a real generation job: bytes known, no thumbnail until asked for."""

    def test_thumbnail_filename_is_null_after_insert_then_set_by_the_thumb_route(self):
        job = self.run_job("a lazily thumbnailed lighthouse")
        self.assertEqual(job["status"], "success", job)
        image_id = job["images"][0]["image_id"]
        entry = self.api("GET", f"/api/gallery/{image_id}").json()
        self.assertIsNone(entry["thumbnail_filename"])
        self.assertEqual(entry["thumbnail_url"], "/api/thumb/" + entry["filename"])
        self.assertEqual(entry["bytes"], (self.images_dir / entry["filename"]).stat().st_size)
        self.assertFalse((self.images_dir / "thumbs").exists() and any((self.images_dir / "thumbs").iterdir()))
        r = self.api("GET", entry["thumbnail_url"])
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("Content-Type"), "image/webp")
        entry = self.api("GET", f"/api/gallery/{image_id}").json()
        self.assertTrue(entry["thumbnail_filename"].endswith(".webp"))
        self.assertTrue((self.images_dir / "thumbs" / entry["thumbnail_filename"]).exists())
        listed = self.api("GET", "/api/gallery").json()
        self.assertEqual(listed["images"][0]["thumbnail_filename"], entry["thumbnail_filename"])


if __name__ == "__main__":
    unittest.main()
