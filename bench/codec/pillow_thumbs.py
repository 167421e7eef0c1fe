#!/usr/bin/python3
"""Pillow side of scripts/bench-codec.sh: the thumbnail path of the original
panel (gpt-image-linux): open, first frame, EXIF transpose, RGB/RGBA,
Image.thumbnail((S, S)) with Pillow's defaults (bicubic, reducing_gap=2.0,
JPEG draft), save WebP quality 82 (Pillow's default method 4).

usage: pillow_thumbs.py OUT_DIR WORKERS SIDE FILE...
Prints one JSON line. Workers are processes (multiprocessing), one image per
task, so every core is used as in our pool.
"""
import json
import multiprocessing
import os
import sys
import time

from PIL import Image, ImageOps


def thumb(job):
    path, out_dir, side = job
    with Image.open(path) as im:
        im.seek(0)
        im = ImageOps.exif_transpose(im)
        if im.mode not in ("RGB", "RGBA"):
            im = im.convert("RGBA" if "A" in im.getbands() else "RGB")
        im.thumbnail((side, side))
        im.save(os.path.join(out_dir, os.path.basename(path) + ".webp"), "WEBP", quality=82)
    return 1


def main():
    out_dir, workers, side = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    files = sys.argv[4:]
    os.makedirs(out_dir, exist_ok=True)
    start = time.perf_counter()
    jobs = [(f, out_dir, side) for f in files]
    if workers <= 1:
        done = sum(map(thumb, jobs))
    else:
        with multiprocessing.Pool(workers) as pool:
            done = sum(pool.imap_unordered(thumb, jobs, chunksize=1))
    seconds = time.perf_counter() - start
    print(json.dumps({"images": done, "seconds": round(seconds, 4), "thumbs_per_s": round(done / seconds, 2)}))


if __name__ == "__main__":
    main()
