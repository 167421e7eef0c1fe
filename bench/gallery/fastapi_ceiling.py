"""The FastAPI ceiling of the gallery benchmark: GET /api/gallery page 1 on the
original panel's stack (FastAPI + uvicorn + Python's sqlite3), running the same
SQL as the panel (src/store/gallery_list.cpp, gallery_repo.hpp) on the same
database, and answering the same JSON shape.

It is a ceiling, not a port of the original: everything that would cost the
original more is left out. The handler is `async def` and queries SQLite
directly on the event loop (no thread-pool hop), each worker process keeps one
read-only connection open, the body is json.dumps'd straight into a Response
(no response-model validation), and there is no auth, CSRF, host or IP check.
Unlike the panel it does not cache counts between requests: the original runs
the COUNT on every request, and so does this.

Run: GALLERY_DB=/path/app.sqlite3 python3 -m uvicorn fastapi_ceiling:app --workers N
"""
import json
import os
import sqlite3
import urllib.parse

from fastapi import FastAPI
from fastapi.responses import Response

# gallery_columns of src/store/gallery_repo.hpp, in order.
COLUMNS = ("id, prompt, size, filename, thumbnail_filename, created_at, completed_at, image_width, image_height, "
           "model, quality, output_format, output_compression, response_format, n, api_path, api_preset_name, "
           "duration, favorite, bytes, sha256")
NAMES = [c.strip() for c in COLUMNS.split(",")]
# list_gallery() of src/store/gallery_list.cpp for page 1 without filters.
COUNT_SQL = "SELECT COUNT(*) FROM gallery_entries"
PAGE_SQL = f"SELECT {COLUMNS} FROM gallery_entries ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?"


def distinct_sql(c):
    # distinct_values(): the recursive loose index scan, one seek per value.
    return (f"WITH RECURSIVE v(x) AS (SELECT (SELECT MIN({c}) FROM gallery_entries WHERE {c} > '') UNION ALL "
            f"SELECT (SELECT MIN({c}) FROM gallery_entries WHERE {c} > v.x) FROM v WHERE v.x IS NOT NULL) "
            f"SELECT x FROM v WHERE x IS NOT NULL")


OPTIONS = [("models", distinct_sql("model")), ("presets", distinct_sql("api_preset_name")),
           ("sizes", distinct_sql("size"))]

app = FastAPI()
_db = None


def db():
    global _db
    if _db is None:
        _db = sqlite3.connect(f"file:{os.environ['GALLERY_DB']}?mode=ro", uri=True, isolation_level=None,
                              check_same_thread=False)
    return _db


def entry(row):
    e = dict(zip(NAMES, row))
    e.pop("sha256")
    quoted = urllib.parse.quote(e["filename"])
    e["image_url"] = f"/api/image/{quoted}"
    e["thumbnail_url"] = f"/api/thumb/{quoted}"
    e["favorite"] = bool(e["favorite"])
    return e


@app.get("/api/gallery")
async def gallery(page: int = 1, page_size: int = 9):
    page_size = min(max(page_size, 1), 100)
    conn = db()
    conn.execute("BEGIN")
    try:
        total = conn.execute(COUNT_SQL).fetchone()[0]
        total_pages = max(1, -(-total // page_size))
        page = min(max(page, 1), total_pages)
        images = [entry(r) for r in conn.execute(PAGE_SQL, (page_size, (page - 1) * page_size))]
        options = {name: sorted((r[0] for r in conn.execute(sql)), key=str.lower) for name, sql in OPTIONS}
    finally:
        conn.execute("COMMIT")
    body = {"total": total, "total_bytes": 0, "page": page, "page_size": page_size, "total_pages": total_pages,
            "has_prev": page > 1, "has_next": page < total_pages, "images": images, "filter_options": options}
    return Response(json.dumps(body, ensure_ascii=False), media_type="application/json")
