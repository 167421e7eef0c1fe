"""Helpers for the gallery and media API tests: gallery rows written straight into the panel's
SQLite file (the panel runs in WAL mode, so a second process may write while it serves), image
files in IMAGES_DIR, and a PanelCase that speaks with an access cookie."""

import sqlite3
import time
import uuid

from .panel import ACCESS_KEY, PanelCase, mint_token
from .upstream import png_bytes, wait_until

COLUMNS = ("id", "prompt", "size", "filename", "thumbnail_filename", "created_at", "completed_at", "image_width",
           "image_height", "model", "quality", "output_format", "output_compression", "response_format", "n",
           "api_path", "api_preset_name", "duration", "favorite", "bytes", "sha256")

ENTRY_KEYS = {"id", "prompt", "size", "filename", "image_url", "thumbnail_filename", "thumbnail_url", "created_at",
              "completed_at", "image_width", "image_height", "model", "quality", "output_format",
              "output_compression", "response_format", "n", "api_path", "api_preset_name", "duration", "favorite",
              "bytes"}


def row(prompt="a prompt", created_at="2026-01-01T00:00:00+00:00", **fields):
    """A gallery_entries row with plausible defaults; `filename` defaults to <id>.png."""
    r = {"id": str(uuid.uuid4()), "prompt": prompt, "size": "1024x1024", "thumbnail_filename": None,
         "created_at": created_at, "completed_at": None, "image_width": 16, "image_height": 16,
         "model": "gpt-image-2", "quality": "auto", "output_format": "png", "output_compression": None,
         "response_format": "url", "n": 1, "api_path": "/v1/images/generations", "api_preset_name": "Default",
         "duration": "1.00s", "favorite": 0, "bytes": None, "sha256": None}
    r.update(fields)
    r.setdefault("filename", r["id"] + ".png")
    return r


def insert_rows(db_path, rows):
    db = sqlite3.connect(str(db_path), timeout=30)
    try:
        db.executemany(f"INSERT INTO gallery_entries ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
                       [tuple(r[c] for c in COLUMNS) for r in rows])
        db.commit()
    finally:
        db.close()


def query(db_path, sql, args=()):
    db = sqlite3.connect(str(db_path), timeout=30)
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


class GalleryCase(PanelCase):
    """A panel with an access key; rows and files are added by the tests themselves."""

    env = {}

    @classmethod
    def configure(cls, tmp):
        env = {"ACCESS_KEY": ACCESS_KEY}
        env.update(cls.env)
        return env

    @property
    def cookie(self):
        return ("Cookie", "gpt_image_access=" + mint_token(ACCESS_KEY, time.time() + 3600))

    def api(self, method, path, body=None, headers=(), panel=None):
        p = panel or self.panel
        items = [self.cookie, *headers]
        if method not in ("GET", "HEAD"):
            items.append(("Origin", p.origin))
        return p.request(method, path, items, body)

    @property
    def images_dir(self):
        return self.tmp / "images"

    @property
    def thumbs_dir(self):
        return self.images_dir / "thumbs"

    @property
    def db_path(self):
        return self.tmp / "data" / "app.sqlite3"

    def add(self, *rows, content=None, files=True):
        """Inserts rows, writing each row's file first (unless files=False); returns the rows."""
        for r in rows:
            path = self.images_dir / r["filename"]
            if files and not path.exists():
                data = content if content is not None else png_bytes(16, 16, seed=hash(r["filename"]) % 97)
                path.write_bytes(data)
        insert_rows(self.db_path, rows)
        return rows

    def gallery(self, query_string="", status=200):
        r = self.api("GET", "/api/gallery" + (("?" + query_string) if query_string else ""))
        self.assertEqual(r.status, status, r)
        return r.json()

    def ids(self, query_string=""):
        return [e["id"] for e in self.gallery(query_string)["images"]]

    def clear_gallery(self):
        r = self.api("DELETE", "/api/gallery")
        self.assertEqual(r.status, 200, r)

    def log_count(self, text):
        return self.panel.stderr.count(text)

    def wait_log(self, text, timeout=15.0):
        wait_until(lambda: text in self.panel.stderr, timeout, what=f"log line {text!r}")


__all__ = ["ENTRY_KEYS", "GalleryCase", "insert_rows", "query", "row", "png_bytes", "wait_until"]
