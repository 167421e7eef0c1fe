"""Gallery listing, detail, favourite and deletes (spec §3.8, §8), checked from outside against
rows written into the panel's database and files in IMAGES_DIR."""

import hashlib
import json
import unittest

from tests.api.gallery_support import ENTRY_KEYS, GalleryCase, query, row
from tests.api.panel import ISO_UTC


class GalleryListing(GalleryCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 12 rows, one per minute of 2026-05-18, plus edge cases of the filters.
        rows = []
        for i in range(12):
            rows.append(row(prompt=f"plain picture number {i}", created_at=f"2026-05-18T10:{i:02d}:00+00:00",
                            id=f"row-{i:02d}", bytes=1000 + i))
        rows[3].update(prompt="alpha needle beta")
        rows[4].update(prompt="ALPHA only", model="gpt-image-1", size="auto")
        rows[5].update(prompt="100% off_sale", api_preset_name="alt", favorite=1)
        rows[6].update(favorite=1, created_at="2026-05-17T23:59:59.999999+00:00")
        rows[7].update(created_at="2026-05-19T00:00:00+00:00", model="B-model")
        cls.rows = rows
        for r in rows:
            (cls.tmp / "images" / r["filename"]).write_bytes(b"\x89PNG fake " + r["id"].encode())
        from tests.api.gallery_support import insert_rows
        insert_rows(cls.tmp / "data" / "app.sqlite3", rows)

    def test_default_page(self):
        body = self.gallery()
        self.assertEqual(set(body), {"total", "total_bytes", "page", "page_size", "total_pages", "has_prev",
                                     "has_next", "images", "filter_options"})
        self.assertEqual((body["total"], body["page"], body["page_size"], body["total_pages"]), (12, 1, 9, 2))
        self.assertEqual((body["has_prev"], body["has_next"]), (False, True))
        self.assertEqual(body["total_bytes"], 0)
        self.assertEqual(len(body["images"]), 9)
        created = [e["created_at"] for e in body["images"]]
        self.assertEqual(created, sorted(created, reverse=True))
        self.assertEqual(body["images"][0]["id"], "row-07")  # 2026-05-19: the newest
        entry = body["images"][1]
        self.assertEqual(set(entry), ENTRY_KEYS)
        self.assertEqual(entry["id"], "row-11")
        self.assertEqual(entry["thumbnail_url"], "/api/thumb/" + entry["filename"])
        self.assertEqual(entry["image_url"], "/api/image/" + entry["filename"])
        self.assertIsNone(entry["thumbnail_filename"])
        self.assertIs(entry["favorite"], False)
        self.assertEqual(entry["bytes"], 1011)
        self.assertRegex(entry["created_at"], ISO_UTC)

    def test_filter_options_cover_the_whole_gallery(self):
        body = self.gallery("model=gpt-image-1")
        self.assertEqual(body["total"], 1)
        self.assertEqual(body["filter_options"], {"models": ["B-model", "gpt-image-1", "gpt-image-2"],
                                                  "presets": ["alt", "Default"], "sizes": ["1024x1024", "auto"]})

    def test_paging_and_clamping(self):
        second = self.gallery("page=2")
        self.assertEqual((second["page"], second["has_prev"], second["has_next"]), (2, True, False))
        self.assertEqual(len(second["images"]), 3)
        clamped = self.gallery("page=50")
        self.assertEqual(clamped["page"], 2)
        self.assertEqual([e["id"] for e in clamped["images"]], [e["id"] for e in second["images"]])
        small = self.gallery("page_size=5&page=3")
        self.assertEqual((small["total_pages"], small["page"], len(small["images"])), (3, 3, 2))
        self.assertEqual(self.gallery("page_size=100")["total_pages"], 1)
        seen = []
        for page in (1, 2, 3):
            seen += self.ids(f"page_size=5&page={page}")
        self.assertEqual(len(set(seen)), 12)

    def test_bad_paging_is_422(self):
        for q, text in (("page=0", "greater than or equal to 1"), ("page_size=0", "greater than or equal to 1"),
                        ("page_size=101", "less than or equal to 100"), ("page=x", "valid integer")):
            r = self.api("GET", "/api/gallery?" + q)
            body = self.assertError(r, 422)
            self.assertIn(text, body["detail"])

    def test_exact_filters(self):
        self.assertEqual(self.ids("model=gpt-image-1"), ["row-04"])
        self.assertEqual(self.ids("model=%20gpt-image-1%20"), ["row-04"])  # trimmed
        self.assertEqual(self.ids("model=GPT-IMAGE-1"), [])  # exact, case and all
        self.assertEqual(self.ids("preset=alt"), ["row-05"])
        self.assertEqual(self.ids("size=auto"), ["row-04"])
        self.assertEqual(self.gallery("model=")["total"], 12)  # empty = no filter
        self.assertEqual(self.ids("favorite=true"), ["row-05", "row-06"])
        self.assertEqual(self.gallery("favorite=false")["total"], 10)
        self.assertEqual(self.ids("favorite=true&preset=alt&page_size=100"), ["row-05"])

    def test_date_filters(self):
        self.assertEqual(self.gallery("date_from=2026-05-18&date_to=2026-05-18")["total"], 10)
        self.assertEqual(self.ids("date_to=2026-05-17"), ["row-06"])
        self.assertEqual(self.ids("date_from=2026-05-19"), ["row-07"])
        self.assertEqual(self.ids("date_from=2026-05-18T10:10:00&date_to=2026-05-18T10:11:00Z"), ["row-11", "row-10"])
        # An offset is converted to UTC first: 18:10+08:00 is 10:10 UTC.
        self.assertEqual(self.ids("date_from=2026-05-18T18:10:00%2B08:00&date_to=2026-05-18"), ["row-11", "row-10"])
        for bad in ("yesterday", "2026-02-30", "18.05.2026", "2026-05-18T99:00"):
            for name in ("date_from", "date_to"):
                r = self.api("GET", f"/api/gallery?{name}={bad}")
                self.assertError(r, 422, "Gallery date filters must use YYYY-MM-DD or ISO datetime")

    def test_prompt_search_fts_and_short_like(self):
        self.assertEqual(self.ids("prompt=needle"), ["row-03"])
        self.assertEqual(self.ids("prompt=NEEDLE"), ["row-03"])
        self.assertEqual(self.ids("prompt=dle%20be"), ["row-03"])  # substring, not words
        self.assertEqual(self.ids("prompt=alpha"), ["row-04", "row-03"])
        # 2 characters: LIKE, still a case-insensitive substring ("off_sale" has one too).
        self.assertEqual(self.ids("prompt=al"), ["row-05", "row-04", "row-03"])
        self.assertEqual(self.ids("prompt=Al"), ["row-05", "row-04", "row-03"])
        self.assertEqual(self.ids("prompt=%25"), ["row-05"])  # a literal %, not a wildcard
        self.assertEqual(self.ids("prompt=f_"), ["row-05"])
        self.assertEqual(self.ids("prompt=%22q"), [])
        self.assertEqual(self.ids("prompt=%22needle%22"), [])  # quotes are part of the phrase
        self.assertEqual(self.gallery("prompt=%20%20")["total"], 12)
        self.assertEqual(self.ids("prompt=needle&model=gpt-image-1"), [])

    def test_total_bytes_only_on_request(self):
        self.assertEqual(self.gallery()["total_bytes"], 0)
        self.assertEqual(self.gallery("include_total_bytes=true")["total_bytes"], sum(1000 + i for i in range(12)))
        self.assertEqual(self.gallery("include_total_bytes=true&prompt=needle")["total_bytes"], 1003)

    def test_get_one(self):
        r = self.api("GET", "/api/gallery/row-03")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["prompt"], "alpha needle beta")
        self.assertEqual(set(r.json()), ENTRY_KEYS)
        self.assertError(self.api("GET", "/api/gallery/nope"), 404, "Gallery entry not found")

    def test_needs_the_access_key(self):
        self.assertEqual(self.panel.get("/api/gallery").status, 401)
        self.assertEqual(self.panel.get("/api/gallery/row-03").status, 401)


class GalleryFavoritesAndDeletes(GalleryCase):
    def test_favorite_flag(self):
        (r,) = self.add(row())
        resp = self.api("PATCH", f"/api/gallery/{r['id']}/favorite", {"favorite": True})
        self.assertEqual(resp.status, 200, resp)
        self.assertIs(resp.json()["favorite"], True)
        self.assertEqual(set(resp.json()), ENTRY_KEYS)
        self.assertIs(self.api("GET", f"/api/gallery/{r['id']}").json()["favorite"], True)
        resp = self.api("PATCH", f"/api/gallery/{r['id']}/favorite", {"favorite": False})
        self.assertIs(resp.json()["favorite"], False)
        self.assertError(self.api("PATCH", "/api/gallery/nope/favorite", {"favorite": True}), 404,
                         "Gallery entry not found")
        self.assertError(self.api("PATCH", f"/api/gallery/{r['id']}/favorite", {}), 422, "favorite - Field required")
        body = self.assertError(self.api("PATCH", f"/api/gallery/{r['id']}/favorite",
                                         {"favorite": True, "extra": 1}), 422)
        self.assertIn("extra", body["detail"])

    def test_cross_site_writes_are_refused_before_404(self):
        for method, path in (("PATCH", "/api/gallery/missing/favorite"), ("DELETE", "/api/gallery/missing"),
                             ("DELETE", "/api/gallery"), ("POST", "/api/gallery/batch/delete")):
            r = self.panel.request(method, path, [self.cookie, ("Origin", "https://evil.example")],
                                   {"favorite": True} if method == "PATCH" else None)
            self.assertError(r, 403, "CSRF origin check failed")

    def test_delete_one_keeps_a_shared_file_until_its_last_row(self):
        first, second = self.add(row(filename="shared-one.png"), row(filename="shared-one.png"))
        thumb = self.api("GET", "/api/thumb/shared-one.png")
        self.assertEqual(thumb.status, 200, thumb)
        thumb_name = self.api("GET", f"/api/gallery/{first['id']}").json()["thumbnail_filename"]
        self.assertTrue((self.thumbs_dir / thumb_name).exists())

        r = self.api("DELETE", f"/api/gallery/{first['id']}")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json(), {"status": "ok", "message": "Deleted gallery entry and 0 image file(s)"})
        self.assertTrue((self.images_dir / "shared-one.png").exists())
        self.assertEqual(self.api("GET", "/api/image/shared-one.png").status, 200)

        r = self.api("DELETE", f"/api/gallery/{second['id']}")
        self.assertEqual(r.json(), {"status": "ok", "message": "Deleted gallery entry and 1 image file(s)"})
        self.assertFalse((self.images_dir / "shared-one.png").exists())
        self.assertFalse((self.thumbs_dir / thumb_name).exists())
        self.assertError(self.api("DELETE", f"/api/gallery/{second['id']}"), 404, "Gallery entry not found")
        self.assertError(self.api("GET", "/api/image/shared-one.png"), 404, "Image not found")

    def test_delete_all_commits_even_when_a_file_delete_fails(self):
        self.clear_gallery()
        rows = self.add(row(), row(), row(filename="dup-all.png"), row(filename="dup-all.png"))
        # A non-empty directory where an image should be: unlinking it fails (even as root).
        stuck = self.images_dir / "stuck.png"
        stuck.mkdir()
        (stuck / "inside").write_text("x")
        self.add(row(filename="stuck.png"), files=False)
        r = self.api("DELETE", "/api/gallery")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json(), {"status": "ok", "message": "Deleted 3 image file(s) and 5 gallery entries"})
        self.wait_log("Failed to delete gallery image file stuck.png")
        self.assertEqual(query(self.db_path, "SELECT COUNT(*) FROM gallery_entries")[0][0], 0)
        self.assertEqual(self.gallery()["total"], 0)
        for r in rows:
            self.assertFalse((self.images_dir / r["filename"]).exists())
        self.assertTrue(stuck.exists())
        r = self.api("DELETE", "/api/gallery")
        self.assertEqual(r.json()["message"], "Deleted 0 image file(s) and 0 gallery entries")


class SlowQueryLog(GalleryCase):
    env = {"SLOW_GALLERY_QUERY_MS": "0", "ENABLE_METRICS": "true"}

    def test_slow_query_is_logged_without_the_prompt(self):
        secret = "zebra-secret-prompt"
        self.add(row(prompt=f"a {secret} here"))
        before = self.log_count("Slow /api/gallery query")
        body = self.gallery(f"prompt={secret}&model=gpt-image-2")
        self.assertEqual(body["total"], 1)
        self.wait_log("Slow /api/gallery query")
        lines = [line for line in self.panel.stderr.splitlines() if "Slow /api/gallery query" in line]
        self.assertEqual(len(lines), before + 1)
        line = lines[-1]
        self.assertIn("WARNING", line)
        for part in ("page=1", "page_size=9", "total=1", "elapsed_ms=", "db_query_ms=", '"prompt_present":true',
                     f'"prompt_len":{len(secret)}',
                     f'"prompt_hash":"{hashlib.sha256(secret.encode()).hexdigest()}"', '"model":"gpt-image-2"'):
            self.assertIn(part, line)
        self.assertNotIn(secret, self.panel.stderr)

        metrics = self.api("GET", "/api/metrics")
        if metrics.status == 404 and metrics.json().get("detail") == "Not Found":
            self.skipTest("GET /api/metrics is not in this build")
        self.assertEqual(metrics.status, 200, metrics)
        counters = metrics.json()["counters"]
        self.assertEqual(counters["sqlite.slow_queries"], before + 1)
        self.assertEqual(counters["gallery.slow_queries"], before + 1)
        self.assertGreaterEqual(counters["gallery.requests"], before + 1)
        self.assertGreaterEqual(metrics.json()["timings_ms"]["gallery.request"]["count"], 1)
        self.assertIn("gallery.db_query", metrics.json()["timings_ms"])


class FastQueriesAreNotLogged(GalleryCase):
    env = {"SLOW_GALLERY_QUERY_MS": "60000"}

    def test_no_log_below_the_threshold(self):
        self.add(row(prompt="quiet"))
        self.assertEqual(self.gallery("prompt=quiet")["total"], 1)
        self.assertNotIn("Slow /api/gallery query", self.panel.stderr)


if __name__ == "__main__":
    unittest.main()
