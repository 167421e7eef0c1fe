"""Prompt snippets (spec §3.5): CRUD, strict bodies, trimming and limits, ordering, search."""

import time
import uuid

from .panel import ACCESS_KEY, ISO_UTC, PanelCase, mint_token

BASE = "/api/prompt-snippets"


class Snippets(PanelCase):
    env = {"ACCESS_KEY": ACCESS_KEY}

    def setUp(self):
        for s in self.list():
            self.assertEqual(self.call("DELETE", f"{BASE}/{s['id']}").status, 200)

    def call(self, method, path, body=None, origin=True):
        headers = [("Cookie", "gpt_image_access=" + mint_token(ACCESS_KEY, time.time() + 600))]
        if origin and method != "GET":
            headers.append(("Origin", self.panel.origin))
        return self.panel.request(method, path, headers, body)

    def list(self, query=None):
        path = BASE if query is None else f"{BASE}?query={query}"
        r = self.call("GET", path)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("Cache-Control"), "private, no-store")
        body = r.json()
        self.assertEqual(set(body), {"snippets"})
        return body["snippets"]

    def create(self, title, prompt, **extra):
        r = self.call("POST", BASE, {"title": title, "prompt": prompt, **extra})
        self.assertEqual(r.status, 200, r)
        return r.json()

    def assertSnippet(self, s):
        self.assertEqual(set(s), {"id", "title", "prompt", "favorite", "created_at", "updated_at"})
        uuid.UUID(s["id"])
        self.assertIsInstance(s["favorite"], bool)
        self.assertRegex(s["created_at"], ISO_UTC)
        self.assertRegex(s["updated_at"], ISO_UTC)

    # -- gate ------------------------------------------------------------------------------
    def test_needs_the_cookie_and_same_origin(self):
        self.assertError(self.panel.get(BASE), 401, "Access key required")
        r = self.call("POST", BASE, {"title": "t", "prompt": "p"}, origin=False)
        self.assertError(r, 403, "CSRF origin check failed")
        self.assertEqual(self.list(), [])

    # -- create ----------------------------------------------------------------------------
    def test_empty_list(self):
        r = self.call("GET", BASE)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json(), {"snippets": []})

    def test_create_returns_200_with_trimmed_fields(self):
        s = self.create("  Sunset  ", "\n orange sky over the sea \t")
        self.assertSnippet(s)
        self.assertEqual((s["title"], s["prompt"], s["favorite"]), ("Sunset", "orange sky over the sea", False))
        self.assertEqual(s["created_at"], s["updated_at"])
        self.assertEqual(self.list(), [s])

    def test_create_favorite(self):
        self.assertTrue(self.create("t", "p", favorite=True)["favorite"])

    def test_limits_count_characters_after_trimming(self):
        s = self.create(" " + "标" * 160 + " ", "p" * 4000)
        self.assertEqual(len(s["title"]), 160)
        self.assertEqual(len(s["prompt"]), 4000)

    def test_invalid_bodies(self):
        cases = [
            ({"title": "", "prompt": "p"}, "title - String should have at least 1 character"),
            ({"title": "   ", "prompt": "p"}, "title - String should have at least 1 character"),
            ({"title": "t", "prompt": " \n "}, "prompt - String should have at least 1 character"),
            ({"title": "t" * 161, "prompt": "p"}, "title - String should have at most 160 characters"),
            ({"title": "t", "prompt": "p" * 4001}, "prompt - String should have at most 4000 characters"),
            ({"prompt": "p"}, "title - Field required"),
            ({"title": "t"}, "prompt - Field required"),
            ({"title": None, "prompt": "p"}, "title - Input should be a valid string"),
            ({"title": 5, "prompt": "p"}, "title - Input should be a valid string"),
            ({"title": "t", "prompt": "p", "favorite": "maybe"}, "favorite - Input should be a valid boolean"),
            ({"title": "t", "prompt": "p", "favorite": None}, "favorite - Input should be a valid boolean"),
            ({"title": "t", "prompt": "p", "favorite": "true"}, "favorite - Input should be a valid boolean"),
            ({"title": "t", "prompt": "p", "favorite": 1}, "favorite - Input should be a valid boolean"),
            ({"title": "t", "prompt": "p", "unexpected": True}, "unexpected - Extra inputs are not permitted"),
            ([], "Input should be a valid dictionary"),
        ]
        for body, fragment in cases:
            with self.subTest(body=str(body)[:60]):
                detail = self.assertError(self.call("POST", BASE, body), 422, code="validation_error")["detail"]
                self.assertIn(fragment, detail)
        self.assertError(self.call("POST", BASE, "{not json"), 422)
        self.assertEqual(self.list(), [])

    def test_all_problems_are_reported_together(self):
        detail = self.call("POST", BASE, {"title": "", "prompt": ""}).json()["detail"]
        self.assertIn("title - ", detail)
        self.assertIn("prompt - ", detail)

    # -- order and search ------------------------------------------------------------------
    def test_favourite_first_then_newest(self):
        a = self.create("first", "p")
        b = self.create("second", "p", favorite=True)
        c = self.create("third", "p")
        self.assertEqual([s["id"] for s in self.list()], [b["id"], c["id"], a["id"]])
        # A change moves a snippet up among the non-favourites.
        r = self.call("PATCH", f"{BASE}/{a['id']}", {"prompt": "changed"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual([s["id"] for s in self.list()], [b["id"], a["id"], c["id"]])

    def test_query_filters_title_or_prompt(self):
        self.create("Sunset", "orange sky over the SEA")
        self.create("Portrait", "a face, 50% in shadow")
        self.create("snake_case", "under_score")
        self.create("Forest", "tall trees")
        self.assertEqual([s["title"] for s in self.list("sea")], ["Sunset"])
        self.assertEqual([s["title"] for s in self.list("PORT")], ["Portrait"])
        self.assertEqual([s["title"] for s in self.list("50%25")], ["Portrait"])  # "50%"
        self.assertEqual([s["title"] for s in self.list("%25")], ["Portrait"])  # a literal %
        self.assertEqual([s["title"] for s in self.list("e_c")], ["snake_case"])  # a literal _
        self.assertEqual([s["title"] for s in self.list("tall+trees")], ["Forest"])
        self.assertEqual(self.list("nothing-like-this"), [])
        self.assertEqual(len(self.list("")), 4)
        self.assertEqual(len(self.list("+")), 4)  # whitespace only: no filter

    def test_query_length_limit(self):
        self.assertEqual(self.call("GET", f"{BASE}?query={'q' * 4000}").status, 200)
        r = self.call("GET", f"{BASE}?query={'q' * 4001}")
        self.assertIn("query - String should have at most 4000 characters",
                      self.assertError(r, 422)["detail"])

    # -- patch and delete ------------------------------------------------------------------
    def test_patch_changes_only_given_fields(self):
        s = self.create("Title", "Prompt")
        time.sleep(0.01)
        r = self.call("PATCH", f"{BASE}/{s['id']}", {"title": "  New title ", "favorite": True})
        self.assertEqual(r.status, 200, r)
        u = r.json()
        self.assertSnippet(u)
        self.assertEqual((u["id"], u["title"], u["prompt"], u["favorite"]), (s["id"], "New title", "Prompt", True))
        self.assertEqual(u["created_at"], s["created_at"])
        self.assertGreater(u["updated_at"], s["updated_at"])
        self.assertEqual(self.list(), [u])

    def test_patch_with_nulls_or_nothing_changes_nothing(self):
        s = self.create("Title", "Prompt")
        for body in ({}, {"title": None, "prompt": None, "favorite": None}, {"title": "Title"}):
            with self.subTest(body=body):
                r = self.call("PATCH", f"{BASE}/{s['id']}", body)
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.json(), s)

    def test_patch_validation(self):
        s = self.create("Title", "Prompt")
        for body, fragment in (({"title": "  "}, "title - String should have at least 1 character"),
                               ({"prompt": "p" * 4001}, "prompt - String should have at most 4000"),
                               ({"favorite": "perhaps"}, "favorite - Input should be a valid boolean"),
                               ({"id": "x"}, "id - Extra inputs are not permitted")):
            with self.subTest(body=body):
                self.assertIn(fragment, self.assertError(self.call("PATCH", f"{BASE}/{s['id']}", body), 422)["detail"])
        self.assertEqual(self.list(), [s])

    def test_unknown_ids(self):
        self.assertError(self.call("PATCH", f"{BASE}/missing", {"title": "x"}), 404, "Prompt snippet not found")
        self.assertError(self.call("DELETE", f"{BASE}/missing"), 404, "Prompt snippet not found")

    def test_delete(self):
        s = self.create("Title", "Prompt")
        r = self.call("DELETE", f"{BASE}/{s['id']}")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json(), {"status": "ok", "message": "Deleted prompt snippet"})
        self.assertEqual(self.list(), [])
        self.assertError(self.call("DELETE", f"{BASE}/{s['id']}"), 404, "Prompt snippet not found")


class SnippetsPersist(PanelCase):
    """Snippets live in the database: a restarted panel on the same DATA_DIR still has them."""

    env = {"ALLOW_UNAUTHENTICATED": "true"}

    def test_survive_a_restart(self):
        r = self.panel.post(BASE, {"title": "kept", "prompt": "across restarts", "favorite": True})
        self.assertEqual(r.status, 200, r)
        saved = r.json()
        rc, err = self.panel.stop()
        self.assertEqual(rc, 0, err)
        from .panel import Panel
        type(self).panel = Panel(self.panel.env, tmp=self.tmp).start()
        self.assertEqual(self.panel.get(BASE).json(), {"snippets": [saved]})
