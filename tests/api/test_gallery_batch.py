"""Gallery batch favourite and delete (spec §3.8 "Batch endpoints"): partial success counts,
missing ids in request order, shared files removed only with their last row, and the request
model's 422 texts."""

import unittest

from tests.api.gallery_support import GalleryCase, query, row


def batch(count, files, requested, missing=()):
    return {"status": "ok", "count": count, "file_count": files, "requested_count": requested,
            "updated_count": count, "missing_count": len(missing), "missing_ids": list(missing)}


class GalleryBatch(GalleryCase):
    def test_batch_favorite_sets_and_clears_with_partial_counts(self):
        a, b, c = self.add(row(), row(), row())
        r = self.api("PATCH", "/api/gallery/batch/favorite", {"ids": ["zz-1", a["id"], b["id"], "zz-2"],
                                                              "favorite": True})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json(), batch(2, 0, 4, ["zz-1", "zz-2"]))
        flags = dict(query(self.db_path, "SELECT id, favorite FROM gallery_entries WHERE id IN (?, ?, ?)",
                           (a["id"], b["id"], c["id"])))
        self.assertEqual((flags[a["id"]], flags[b["id"]], flags[c["id"]]), (1, 1, 0))
        r = self.api("PATCH", "/api/gallery/batch/favorite", {"ids": [a["id"], c["id"]], "favorite": False})
        self.assertEqual(r.json(), batch(2, 0, 2))
        self.assertIs(self.api("GET", f"/api/gallery/{a['id']}").json()["favorite"], False)
        self.assertIs(self.api("GET", f"/api/gallery/{b['id']}").json()["favorite"], True)
        self.assertError(self.api("PATCH", "/api/gallery/batch/favorite", {"ids": ["nope"], "favorite": True}), 404,
                         "Gallery entries not found")

    def test_batch_delete_removes_only_the_selected_rows_and_unshared_files(self):
        keep, gone, shared_1, shared_2 = self.add(row(), row(), row(filename="batch-dup.png"),
                                                  row(filename="batch-dup.png"))
        r = self.api("POST", "/api/gallery/batch/delete", {"ids": [gone["id"], "missing-x", shared_1["id"]]})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json(), batch(2, 1, 3, ["missing-x"]))
        self.assertFalse((self.images_dir / gone["filename"]).exists())
        self.assertTrue((self.images_dir / "batch-dup.png").exists())  # shared_2 still uses it
        self.assertTrue((self.images_dir / keep["filename"]).exists())
        self.assertEqual(self.api("GET", f"/api/gallery/{keep['id']}").status, 200)
        self.assertEqual(self.api("GET", f"/api/gallery/{gone['id']}").status, 404)

        r = self.api("POST", "/api/gallery/batch/delete", {"ids": [shared_2["id"]]})
        self.assertEqual(r.json(), batch(1, 1, 1))
        self.assertFalse((self.images_dir / "batch-dup.png").exists())
        self.assertError(self.api("POST", "/api/gallery/batch/delete", {"ids": [shared_2["id"], "missing-y"]}), 404,
                         "Gallery entries not found")

    def test_a_shared_file_deleted_with_both_rows_counts_once(self):
        first, second = self.add(row(filename="batch-pair.png"), row(filename="batch-pair.png"))
        r = self.api("POST", "/api/gallery/batch/delete", {"ids": [first["id"], second["id"]]})
        self.assertEqual(r.json(), batch(2, 1, 2))
        self.assertFalse((self.images_dir / "batch-pair.png").exists())

    def test_ids_are_trimmed_and_blank_ones_dropped(self):
        (r,) = self.add(row())
        resp = self.api("PATCH", "/api/gallery/batch/favorite", {"ids": [f"  {r['id']}  ", "   "], "favorite": True})
        self.assertEqual(resp.json(), batch(1, 0, 1))

    def test_request_model(self):
        cases = [
            ("POST", "/api/gallery/batch/delete", {"ids": ["   "]}, "ids must include at least one gallery entry id"),
            ("POST", "/api/gallery/batch/delete", {"ids": []}, "ids must include at least one gallery entry id"),
            ("POST", "/api/gallery/batch/delete", {"ids": ["a", " a "]}, "ids must not contain duplicates"),
            ("POST", "/api/gallery/batch/delete", {}, "ids - Field required"),
            ("POST", "/api/gallery/batch/delete", {"ids": "a"}, "ids - Input should be a valid list"),
            ("POST", "/api/gallery/batch/delete", {"ids": [7]}, "ids.0 - Input should be a valid string"),
            ("POST", "/api/gallery/batch/delete", {"ids": ["x" * 129]}, "at most 128 characters"),
            ("POST", "/api/gallery/batch/delete", {"ids": [str(i) for i in range(1001)]}, "at most 1000 items"),
            ("POST", "/api/gallery/batch/delete", {"ids": ["a"], "favorite": True}, "Extra inputs are not permitted"),
            ("PATCH", "/api/gallery/batch/favorite", {"ids": ["a"]}, "favorite - Field required"),
            ("PATCH", "/api/gallery/batch/favorite", {"ids": ["a"], "favorite": "maybe"},
             "favorite - Input should be a valid boolean"),
        ]
        for method, path, body, text in cases:
            with self.subTest(body=str(body)[:60]):
                err = self.assertError(self.api(method, path, body), 422)
                self.assertIn(text, err["detail"])
        self.assertEqual(self.api("POST", "/api/gallery/batch/delete", "not json",
                                  [("Content-Type", "application/json")]).status, 422)

    def test_batch_routes_win_over_entry_routes(self):
        # "batch" is not taken for an image id: the literal route answers.
        err = self.assertError(self.api("PATCH", "/api/gallery/batch/favorite", {"favorite": True}), 422)
        self.assertIn("ids - Field required", err["detail"])


if __name__ == "__main__":
    unittest.main()
