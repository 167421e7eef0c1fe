"""Gallery reconciliation (ARCHITECTURE §5, spec §8.4, §8.6): at startup rows whose image file is
gone are deleted and temporary files of interrupted atomic writes are removed; afterwards the
missing byte counts of legacy rows are filled in from disk, in the background and on demand."""

import tempfile
import unittest
from pathlib import Path

from tests.api.gallery_support import GalleryCase, insert_rows, png_bytes, query, row, wait_until
from tests.api.panel import ACCESS_KEY, Panel, mint_token

BACKFILL_DONE = "gallery bytes backfill: "


def api_get(panel, path):
    import time
    cookie = ("Cookie", "gpt_image_access=" + mint_token(ACCESS_KEY, time.time() + 3600))
    return panel.request("GET", path, [cookie])


class StartupReconciliation(unittest.TestCase):
    def start(self, tmp):
        return Panel(env={"ACCESS_KEY": ACCESS_KEY}, tmp=tmp).start()

    def test_missing_files_lose_their_rows_and_temp_files_are_cleaned(self):
        with tempfile.TemporaryDirectory(prefix="panel-gallery-reconcile-") as tmp:
            first = self.start(tmp)  # creates the schema and the directories
            self.assertEqual(first.stop()[0], 0)
            images = Path(tmp) / "images"
            thumbs = images / "thumbs"
            thumbs.mkdir(exist_ok=True)
            present = png_bytes(12, 12)
            (images / "present.png").write_bytes(present)
            (images / "shared.png").write_bytes(present)
            legacy = png_bytes(20, 10, noise=True)
            (images / "legacy.png").write_bytes(legacy)
            rows = [row(id="present", filename="present.png", bytes=len(present)),
                    row(id="gone-1", filename="gone.png"), row(id="gone-2", filename="gone.png"),
                    row(id="shared-1", filename="shared.png", bytes=len(present)),
                    row(id="shared-2", filename="shared.png", bytes=len(present)),
                    row(id="polluted", filename="../present.png"),
                    row(id="legacy", filename="legacy.png", bytes=None)]
            insert_rows(Path(tmp) / "data" / "app.sqlite3", rows)
            temp_names = [images / (".present.png.tmp-" + "0" * 32), thumbs / (".x.webp.tmp-" + "ab" * 16)]
            for p in temp_names:
                p.write_bytes(b"half written")
            keep = [images / ".hidden-note", images / "orphan.png", thumbs / "orphan-0123456789ab.webp"]
            for p in keep:
                p.write_bytes(b"x")

            second = self.start(tmp)
            try:
                wait_until(lambda: BACKFILL_DONE in second.stderr, 15, what="the startup backfill")
                ids = sorted(r[0] for r in query(Path(tmp) / "data" / "app.sqlite3", "SELECT id FROM gallery_entries"))
                self.assertEqual(ids, ["legacy", "present", "shared-1", "shared-2"])
                self.assertIn("removed 3 gallery row(s) whose image file is gone (2 file(s))", second.stderr)
                self.assertIn("removed 2 temporary file(s) of interrupted image writes", second.stderr)
                self.assertIn(BACKFILL_DONE + "1 row(s) updated", second.stderr)
                for p in temp_names:
                    self.assertFalse(p.exists(), p)
                for p in keep:
                    self.assertTrue(p.exists(), p)
                entry = api_get(second, "/api/gallery/legacy").json()
                self.assertEqual(entry["bytes"], len(legacy))
                body = api_get(second, "/api/gallery?include_total_bytes=true").json()
                self.assertEqual(body["total"], 4)
                self.assertEqual(body["total_bytes"], len(present) * 2 + len(legacy))
                self.assertEqual(api_get(second, "/api/image/orphan.png").status, 404)
            finally:
                code, _ = second.stop()
            self.assertEqual(code, 0)

    def test_an_empty_images_dir_never_wipes_the_gallery(self):
        with tempfile.TemporaryDirectory(prefix="panel-gallery-reconcile-") as tmp:
            first = self.start(tmp)
            self.assertEqual(first.stop()[0], 0)
            insert_rows(Path(tmp) / "data" / "app.sqlite3", [row(id="a"), row(id="b")])
            second = self.start(tmp)
            try:
                wait_until(lambda: "holds no image file, yet 2 gallery file(s) are expected there" in second.stderr,
                           15, what="the empty-folder warning")
                self.assertEqual(api_get(second, "/api/gallery").json()["total"], 2)
            finally:
                self.assertEqual(second.stop()[0], 0)


class OnDemandBackfill(GalleryCase):
    def test_total_bytes_counts_a_legacy_row_only_after_a_backfill(self):
        # Let the startup pass (over an empty gallery) finish first, so only the explicit one can help.
        self.wait_log(BACKFILL_DONE)
        content = png_bytes(30, 30, noise=True)
        (legacy,) = self.add(row(id="legacy-row", bytes=None), content=content)
        (shared_1, shared_2) = self.add(row(filename="known.png", bytes=500), row(filename="known.png", bytes=700))
        body = self.gallery("include_total_bytes=true")
        self.assertEqual(body["total"], 3)
        self.assertEqual(body["total_bytes"], 700)  # SQL only: the legacy file is never looked at
        self.assertIsNone(self.api("GET", "/api/gallery/legacy-row").json()["bytes"])

        r = self.api("POST", "/api/gallery/backfill-bytes")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json(), {"status": "ok", "updated": 1, "files_checked": 1})
        self.assertEqual(self.api("GET", "/api/gallery/legacy-row").json()["bytes"], len(content))
        self.assertEqual(self.gallery("include_total_bytes=true")["total_bytes"], 700 + len(content))

        r = self.api("POST", "/api/gallery/backfill-bytes")
        self.assertEqual(r.json(), {"status": "ok", "updated": 0, "files_checked": 0})

    def test_backfill_needs_a_same_origin_post(self):
        r = self.panel.request("POST", "/api/gallery/backfill-bytes", [self.cookie, ("Origin", "https://evil.example")])
        self.assertError(r, 403, "CSRF origin check failed")


if __name__ == "__main__":
    unittest.main()
