#!/usr/bin/python3
"""Generates the galleries of the gallery benchmark (run_bench.py calls it).

Both galleries are made the same way: the real panel starts once on an empty
DATA_DIR (so the schema, indexes and FTS objects are exactly the panel's), stops,
and the rows go in with one Python sqlite3 transaction.

* `listing`: ROWS rows (default 100,000) with realistic prompts of varied length
  (about 10 % Chinese), models, presets, sizes and dates spread over two years,
  ~5 % favourites, bytes/sha256/dimensions set. The rows share FILES real PNG
  files (default 200, 200 KB - 2 MB, one of them ~500 KB for the /api/image
  scenario). The word NEEDLE is in ~1 % of the prompts and nowhere else. The
  FTS index is dropped before the insert and the settings_kv version key
  removed, so the panel's own startup path (ensure_gallery_fts) rebuilds it; the
  generator starts the panel a second time to let it do that.
* `export`: COUNT rows (default 1,024), each with its own ~1 MiB PNG of random
  pixels stored uncompressed (valid files, incompressible bytes): 1 GiB of
  images. A manifest records every file's size and CRC-32 so the benchmark can
  prove a downloaded ZIP complete and intact.

A stamp file records the parameters; a directory whose stamp matches is reused.
"""
import argparse
import datetime
import hashlib
import json
import os
import random
import shutil
import sqlite3
import struct
import sys
import uuid
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Panel  # noqa: E402

GENERATOR_VERSION = 3
NEEDLE = "lighthouse"
EPOCH = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
SPAN_DAYS = 730  # 2024-01-01 .. 2025-12-31

SUBJECTS = [
    "a red fox", "an old fisherman", "a tabby cat", "a cyberpunk street vendor", "two astronauts", "a paper crane",
    "a mountain village", "a vintage car", "a glass teapot", "a snowy owl", "a knight in silver armor",
    "a bowl of ramen", "a desert caravan", "a floating island", "a steam locomotive", "a koi pond", "a robot gardener",
    "a street musician", "a sunflower field", "a medieval library", "an orange tabby kitten", "a wooden sailboat",
    "a neon noodle bar", "a bamboo forest", "a hot air balloon", "a marble statue", "a city skyline", "a wolf pack",
    "a cozy reading nook", "an ancient temple", "a jellyfish swarm", "a watchmaker's bench", "a rainy bus stop",
]
ACTIONS = [
    "standing on a cliff", "reading by candlelight", "walking through fog", "under a starry sky", "at golden hour",
    "in heavy rain", "surrounded by fireflies", "at the edge of a frozen lake", "in a crowded market",
    "beneath cherry blossoms", "during a thunderstorm", "in the early morning mist", "on a quiet beach",
    "inside a greenhouse", "over rolling hills", "next to a crackling fireplace", "in an abandoned factory",
]
STYLES = [
    "photorealistic", "oil painting", "watercolor", "studio ghibli style", "isometric 3d render", "ukiyo-e woodblock",
    "cinematic still", "35mm film photograph", "pixel art", "charcoal sketch", "low poly", "art nouveau poster",
    "double exposure", "macro photography", "concept art", "flat vector illustration", "claymation",
]
DETAILS = [
    "soft volumetric lighting", "shallow depth of field", "highly detailed", "8k resolution", "dramatic shadows",
    "pastel color palette", "muted earth tones", "rim light", "wide angle lens", "bokeh background",
    "symmetrical composition", "rule of thirds", "warm color grading", "film grain", "intricate textures",
    "long exposure", "teal and orange", "moody atmosphere", "sharp focus", "subsurface scattering",
    "ray traced reflections", "soft pastel sky", "golden ratio framing", "hand-drawn linework", "high contrast",
]
ZH = [
    "一只在雪地里奔跑的狐狸", "夜晚的霓虹街道", "水墨风格的山水画", "赛博朋克城市的雨夜", "樱花树下的少女",
    "复古胶片质感的海边小镇", "宫崎骏风格的田园风光", "精致的中式庭院", "月光下的古老寺庙", "热气腾腾的拉面",
]
ZH_DETAILS = ["电影质感", "柔和的光线", "高细节", "暖色调", "景深效果", "极简构图", "油画风格", "超现实主义"]

MODELS = [("gpt-image-2", 55), ("gpt-image-1", 25), ("gpt-image-1-mini", 12), ("dall-e-3", 8)]
PRESETS = [("Default", 50), ("OpenAI", 20), ("Azure East", 12), ("Local Proxy", 10), ("Backup Relay", 8)]
SIZES = [("1024x1024", 40), ("auto", 20), ("1536x1024", 15), ("1024x1536", 15), ("2048x2048", 6), ("3840x2160", 4)]
QUALITIES = ["auto", "high", "medium", "low"]
PATHS = [("/v1/images/generations", 80), ("/v1/responses", 12), ("/v1/chat/completions", 8)]
FILE_DIMENSIONS = [(1024, 1024), (1536, 1024), (1024, 1536)]


def weighted(rng, table):
    total = sum(w for _, w in table)
    x = rng.uniform(0, total)
    for value, w in table:
        x -= w
        if x <= 0:
            return value
    return table[-1][0]


def prompt_text(rng, needle):
    if rng.random() < 0.1:
        words = [rng.choice(ZH)] + rng.sample(ZH_DETAILS, rng.randint(1, 5))
        if needle:
            words.insert(rng.randint(1, len(words)), NEEDLE)
        return "，".join(words)
    parts = [rng.choice(SUBJECTS), rng.choice(ACTIONS)]
    parts += rng.sample(STYLES, rng.randint(0, 2))
    # Lengths from a short line to a long paragraph (2 .. 200+ words).
    n_details = min(len(DETAILS), int(rng.expovariate(1 / 5)))
    parts += rng.sample(DETAILS, n_details)
    if rng.random() < 0.15:
        parts.append(" ".join(rng.choice(DETAILS) for _ in range(rng.randint(10, 40))))
    if needle:
        parts.insert(rng.randint(0, len(parts)), f"a {NEEDLE}" if rng.random() < 0.5 else NEEDLE)
    return ", ".join(parts)


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def make_png(width, height, target_bytes, level):
    """A valid RGB PNG: the first rows random noise (incompressible), the rest a
    smooth gradient (compresses to almost nothing), so the file is ~target_bytes."""
    row = width * 3 + 1
    noise_rows = max(1, min(height, target_bytes // row))
    z = zlib.compressobj(level)
    parts = [z.compress(b"".join(b"\x00" + os.urandom(width * 3) for _ in range(noise_rows)))]
    ramp = bytes(range(256)) * (width // 256 + 2)
    smooth = b"".join(b"\x00" + ramp[y % 256:y % 256 + width] * 3 for y in range(noise_rows, height))
    parts.append(z.compress(smooth))
    parts.append(z.flush())
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", b"".join(parts)) +
            png_chunk(b"IEND", b""))


def write_file(images, name, data):
    with open(os.path.join(images, name), "wb") as f:
        f.write(data)
    return {"filename": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(),
            "crc32": zlib.crc32(data) & 0xFFFFFFFF}


def iso(t, offset_hours=0):
    tz = datetime.timezone(datetime.timedelta(hours=offset_hours))
    return t.astimezone(tz).isoformat(timespec="microseconds")


def make_schema(panel_bin, out):
    """Starts the real panel once on an empty DATA_DIR and stops it; returns the
    database path and a fingerprint of the schema it made."""
    shutil.rmtree(out, ignore_errors=True)
    data, images = f"{out}/data", f"{out}/images"
    os.makedirs(images, exist_ok=True)
    with Panel(panel_bin, out, data, images):
        pass
    db = sqlite3.connect(f"{data}/app.sqlite3")
    rows = sorted(db.execute("SELECT type, name, COALESCE(sql, '') FROM sqlite_schema"))
    db.close()
    return f"{data}/app.sqlite3", hashlib.sha256(repr(rows).encode()).hexdigest()[:16]


def reuse_or_start(args, stamp):
    """Makes the current panel's schema in a scratch directory; when the cached
    gallery was made with the same schema and parameters, keeps it (returns its
    manifest), else puts the scratch directory in its place (returns None)."""
    scratch = args.out + ".new"
    _, stamp["schema"] = make_schema(args.panel, scratch)
    if stamp_ok(args.out, stamp):
        shutil.rmtree(scratch)
        with open(f"{args.out}/manifest.json") as f:
            return json.load(f)
    shutil.rmtree(args.out, ignore_errors=True)
    os.rename(scratch, args.out)
    return None


def columns(db):
    return [r[1] for r in db.execute("PRAGMA table_info(gallery_entries)")]


def insert_rows(db, rows):
    cols = list(rows[0].keys())
    missing = set(cols) - set(columns(db))
    if missing:
        sys.exit(f"gallery_entries lacks the columns {sorted(missing)}")
    sql = f"INSERT INTO gallery_entries ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})"
    db.executemany(sql, ([r[c] for c in cols] for r in rows))


def row_for(rng, i, t, f, prompt):
    model = weighted(rng, MODELS)
    duration = rng.uniform(4, 90)
    return {
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "prompt": prompt,
        "size": weighted(rng, SIZES),
        "filename": f["filename"],
        "thumbnail_filename": None,
        "created_at": iso(t),
        "completed_at": iso(t + datetime.timedelta(seconds=duration), 8),
        "image_width": f["width"], "image_height": f["height"],
        "model": model,
        "quality": rng.choice(QUALITIES),
        "output_format": "png",
        "output_compression": None,
        "response_format": "b64_json" if rng.random() < 0.6 else "url",
        "n": rng.choice([1, 1, 1, 2, 4]),
        "api_path": weighted(rng, PATHS),
        "api_preset_name": weighted(rng, PRESETS),
        "duration": f"{duration:.2f}s",
        "favorite": 1 if rng.random() < 0.05 else 0,
        "bytes": f["bytes"],
        "sha256": f["sha256"],
        "sort_seq": i + 1,
    }


def stamp_ok(out, stamp):
    try:
        with open(f"{out}/stamp.json") as f:
            return json.load(f) == stamp
    except (OSError, ValueError):
        return False


def listing(args):
    stamp = {"kind": "listing", "version": GENERATOR_VERSION, "rows": args.rows, "files": args.files,
             "seed": args.seed}
    cached = reuse_or_start(args, stamp)
    if cached:
        return cached
    db_path = f"{args.out}/data/app.sqlite3"
    rng = random.Random(args.seed)
    images = f"{args.out}/images"
    files = []
    for k in range(args.files):
        w, h = FILE_DIMENSIONS[k % len(FILE_DIMENSIONS)]
        # Log-uniform 200 KB .. 2 MB; file 0 is the ~500 KB one /api/image fetches.
        target = 500 * 1024 if k == 0 else int(200_000 * 10 ** rng.uniform(0, 1))
        f = write_file(images, f"{uuid.UUID(int=rng.getrandbits(128), version=4)}.png", make_png(w, h, target, 1))
        f.update(width=w, height=h)
        files.append(f)
    times = sorted(EPOCH + datetime.timedelta(seconds=rng.uniform(0, SPAN_DAYS * 86400)) for _ in range(args.rows))
    rows = []
    for i, t in enumerate(times):
        rows.append(row_for(rng, i, t, rng.choice(files), prompt_text(rng, rng.random() < 0.01)))
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("BEGIN")
    # The panel rebuilds a missing index at startup (store::ensure_gallery_fts);
    # without the triggers the bulk insert does not feed it row by row.
    for trigger in ("ai", "ad", "au"):
        db.execute(f"DROP TRIGGER IF EXISTS gallery_entries_fts_{trigger}")
    db.execute("DROP TABLE IF EXISTS gallery_entries_fts")
    db.execute("DELETE FROM settings_kv WHERE key = 'gallery_fts_version'")
    insert_rows(db, rows)
    db.execute("COMMIT")
    needle_rows = db.execute("SELECT count(*) FROM gallery_entries WHERE prompt LIKE ?", (f"%{NEEDLE}%",)).fetchone()[0]
    db.close()
    # Second start: the panel builds the FTS index over the 100,000 rows.
    with Panel(args.panel, args.out, f"{args.out}/data", images):
        pass
    db = sqlite3.connect(db_path)
    fts_rows = db.execute("SELECT count(*) FROM gallery_entries_fts WHERE gallery_entries_fts MATCH ?",
                          (f'"{NEEDLE}"',)).fetchone()[0]
    db.close()
    if fts_rows != needle_rows:
        sys.exit(f"FTS index finds {fts_rows} rows with '{NEEDLE}', LIKE finds {needle_rows}")
    month = ("2025-06-01", "2025-06-30")
    manifest = {
        "rows": args.rows, "files": files, "needle": NEEDLE, "needle_rows": needle_rows,
        "image_500k": files[0]["filename"], "image_500k_bytes": files[0]["bytes"],
        "month": month,
        "month_rows": sum(1 for r in rows if month[0] <= r["created_at"][:10] <= month[1]),
        "favorites": sum(r["favorite"] for r in rows),
        "image_bytes": sum(f["bytes"] for f in files),
    }
    json.dump(manifest, open(f"{args.out}/manifest.json", "w"), indent=1)
    json.dump(stamp, open(f"{args.out}/stamp.json", "w"))
    return manifest


def export(args):
    stamp = {"kind": "export", "version": GENERATOR_VERSION, "count": args.count, "file_kib": args.file_kib}
    cached = reuse_or_start(args, stamp)
    if cached:
        return cached
    db_path = f"{args.out}/data/app.sqlite3"
    rng = random.Random(7)
    images = f"{args.out}/images"
    width = 512
    height = -(-args.file_kib * 1024 // (width * 3 + 1))
    files, rows = [], []
    for i in range(args.count):
        # Stored deflate blocks (level 0): random pixels, no compression work.
        f = write_file(images, f"{uuid.UUID(int=rng.getrandbits(128), version=4)}.png",
                       make_png(width, height, height * (width * 3 + 1), 0))
        f.update(width=width, height=height)
        files.append(f)
        t = EPOCH + datetime.timedelta(minutes=i)
        rows.append(row_for(rng, i, t, f, prompt_text(rng, False)))
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("BEGIN")
    insert_rows(db, rows)
    db.execute("COMMIT")
    db.close()
    manifest = {"count": args.count, "files": files, "image_bytes": sum(f["bytes"] for f in files)}
    json.dump(manifest, open(f"{args.out}/manifest.json", "w"), indent=1)
    json.dump(stamp, open(f"{args.out}/stamp.json", "w"))
    return manifest


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("kind", choices=["listing", "export"])
    ap.add_argument("--panel", required=True, help="the image-panel binary (makes the schema)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--files", type=int, default=200)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--count", type=int, default=1024)
    ap.add_argument("--file-kib", type=int, default=1024)
    args = ap.parse_args()
    manifest = (listing if args.kind == "listing" else export)(args)
    summary = {k: v for k, v in manifest.items() if k != "files"}
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
