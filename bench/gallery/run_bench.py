#!/usr/bin/python3
"""Gallery benchmark (issue 5; scripts/bench-gallery.sh runs it, `make bench` too).

Measured in one run, every baseline started by this script on loopback:

1. GET /api/gallery page 1 on a generated 100,000-row gallery (make_gallery.py):
   unfiltered, with an FTS prompt filter (a word in ~1 % of the rows) and with a
   one-month date filter; wrk at 32 connections, p50/p99 latency and req/s.
   Targets: p99 < 10 ms unfiltered, < 25 ms with FTS.
2. GET /api/image/<~500 KB PNG> from the panel and from Debian's nginx serving
   the same IMAGES_DIR (sendfile, no access log). Target: panel >= 70 % of nginx.
3. GET /api/gallery page 1 from the panel and from a minimal FastAPI app
   (fastapi_ceiling.py, one uvicorn worker per core) running the same SQL on
   the same database. Target: panel >= 5x FastAPI.
4. Export memory: a gallery of 1 GiB of images leaves as a ZIP through
   /api/download-all and through a tracked export job; the panel's peak RSS
   increase. Target: < 64 MiB. Each ZIP is checked complete (every member's
   size and CRC against the source files, testzip, metadata.json).

The table goes to stdout and to bench/results/gallery.md. GALLERY_BENCH_QUICK=1
runs 3 s per scenario and a 256 MiB export (a smoke run, not the figures).
"""
import argparse
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import baselines  # noqa: E402
import export_bench  # noqa: E402
import make_gallery  # noqa: E402
import report  # noqa: E402
from common import ROOT, Panel, request  # noqa: E402


def probe(port, path):
    return request(port, "GET", path)


def check_total(port, path, want, label, problems):
    status, _, body = probe(port, path)
    if status != 200:
        problems.append(f"{label}: GET {path} answered {status} {body[:120]!r}")
        return None
    page = json.loads(body)
    if page.get("total") != want:
        problems.append(f"{label}: total {page.get('total')}, the generator made {want}")
    return page


def listing_phase(args, man, work, results, problems):
    run = f"{work}/run"
    shutil.rmtree(run, ignore_errors=True)
    shutil.copytree(f"{args.gallery}/data", f"{run}/data")
    images = f"{args.gallery}/images"
    panel = Panel(args.panel, run, f"{run}/data", images, {"THUMBNAILS_DIR": f"{run}/thumbs"}).start()
    load = dict(duration=args.duration, warmup=args.warmup, connections=args.connections, threads=args.threads)
    base = f"http://127.0.0.1:{panel.port}"
    month = man["month"]
    scenarios = [
        ("unfiltered", "/api/gallery?page=1", man["rows"]),
        ("fts", "/api/gallery?page=1&prompt=" + urllib.parse.quote(man["needle"]), man["needle_rows"]),
        ("date", f"/api/gallery?page=1&date_from={month[0]}&date_to={month[1]}", man["month_rows"]),
    ]
    try:
        time.sleep(1.0)  # startup tasks (reconciliation, backfill) settle
        page1 = None
        for key, path, want in scenarios:
            page = check_total(panel.port, path, want, key, problems)
            if page is None:
                results[key] = {"unavailable": True}
                continue
            page1 = page1 or (page if key == "unfiltered" else None)
            results[key] = {"path": path, "matches": want, **baselines.wrk(base + path, panel.pid, **load)}
            print(f"  {key}: {report.brief(results[key])}", flush=True)
            if key == "unfiltered":
                results["fastapi"] = fastapi(args, run, page1, load, problems)
                # Every page of the gallery at random: most answers are made
                # afresh (each reader keeps ~800 pages), deep ones walk far.
                pages = page["total_pages"]
                results["random_page"] = {"path": path, "pages": pages,
                                          **baselines.wrk(base + path, panel.pid, **load, pages=pages)}
                print(f"  random_page: {report.brief(results['random_page'])}", flush=True)
        image_phase(args, man, run, panel, load, results, problems)
    finally:
        panel.stop()


def sql_drift():
    """Warnings when fastapi_ceiling.py's SQL no longer matches the panel's
    source (gallery_columns, the COUNT, the ORDER BY, the loose index scan)."""
    import fastapi_ceiling as fc  # only its SQL strings; the app is not started here
    src = {}
    for rel in ("src/store/gallery_repo.hpp", "src/store/gallery_list.cpp"):
        try:
            # Adjacent C++ string literals joined, as the compiler does.
            text = open(os.path.join(ROOT, rel)).read()
            src[rel] = re.sub(r'"\s*\n\s*"', "", text)
        except OSError:
            src[rel] = ""
    checks = [("src/store/gallery_repo.hpp", f'"{fc.COLUMNS}"'),
              ("src/store/gallery_list.cpp", "SELECT COUNT(*) FROM gallery_entries"),
              ("src/store/gallery_list.cpp", " ORDER BY created_at DESC, rowid DESC"),
              ("src/store/gallery_list.cpp", "LIMIT ? OFFSET ?"),
              ("src/store/gallery_list.cpp", "WITH RECURSIVE v(x) AS (SELECT (SELECT MIN(")]
    return [f"fastapi_ceiling.py may have drifted from the panel's SQL: {rel} no longer contains {frag!r}"
            for rel, frag in checks if frag not in src[rel]]


def fastapi(args, run, page1, load, problems):
    problems += sql_drift()
    with baselines.FastApiCeiling(run, f"{run}/data/app.sqlite3", args.workers) as api:
        status, _, body = probe(api.port, "/api/gallery?page=1")
        theirs = json.loads(body) if status == 200 else {}
        ids = [e["id"] for e in theirs.get("images", [])]
        if ids != [e["id"] for e in page1["images"]] or theirs.get("total") != page1["total"] or \
                theirs.get("filter_options") != page1["filter_options"]:
            problems.append("FastAPI ceiling's page 1 differs from the panel's (ids, total or filter_options)")
        r = baselines.wrk(f"http://127.0.0.1:{api.port}/api/gallery?page=1", api.proc.pid, **load)
        r["command"] = " ".join(api.cmd[1:])
    print(f"  fastapi: {report.brief(r)}", flush=True)
    return r


def image_phase(args, man, run, panel, load, results, problems):
    name, size = man["image_500k"], man["image_500k_bytes"]
    path = f"/api/image/{name}"
    status, headers, body = probe(panel.port, path)
    if status != 200 or len(body) != size:
        problems.append(f"panel GET {path}: {status}, {len(body)} bytes (want {size})")
        results["image"] = {"unavailable": True}
        return
    results["image"] = {"path": path, "bytes_per_response": size,
                        **baselines.wrk(f"http://127.0.0.1:{panel.port}{path}", panel.pid, **load)}
    print(f"  image (panel): {report.brief(results['image'])}", flush=True)
    with baselines.Nginx(run, f"{args.gallery}/images", args.workers) as nginx:
        status, _, body = probe(nginx.port, path)
        if status != 200 or len(body) != size:
            problems.append(f"nginx GET {path}: {status}, {len(body)} bytes (want {size})")
        results["nginx"] = baselines.wrk(f"http://127.0.0.1:{nginx.port}{path}", nginx.proc.pid, **load)
    print(f"  image (nginx): {report.brief(results['nginx'])}", flush=True)


def export_phase(args, work, results, problems):
    print(f"generating the export gallery ({args.export_count} x {args.export_kib} KiB)...", flush=True)
    man = make_gallery.export(argparse.Namespace(panel=args.export_panel, out=args.export_gallery,
                                                 count=args.export_count, file_kib=args.export_kib))
    results["export_gallery"] = {"count": man["count"], "image_bytes": man["image_bytes"]}
    for key, fn in (("download_all", export_bench.download_all), ("export_job", export_bench.export_job)):
        r = fn(args.export_panel, args.export_gallery, man, f"{work}/{key}")
        results[key] = r
        if r.get("error"):
            problems.append(f"{key}: {r['error']}")
        elif not r["zip"]["ok"]:
            problems.append(f"{key}: ZIP incomplete: {'; '.join(r['zip']['problems'])}")
        print(f"  {key}: {report.brief_export(r)}", flush=True)


def machine():
    cpu = "?"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    rev = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"], capture_output=True,
                           text=True)
    return {"nproc": os.cpu_count(), "cpu": cpu, "kernel": platform.release(),
            "loadavg": " ".join(open("/proc/loadavg").read().split()[:3]),
            "commit": rev.stdout.strip() + ("+dirty" if dirty.stdout.strip() else ""),
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            **baselines.tool_versions()}


def main():
    quick = os.environ.get("GALLERY_BENCH_QUICK", "") not in ("", "0", "false")
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--panel", default=os.path.join(ROOT, "build", "image-panel"),
                    help="image-panel binary for the listing and image scenarios")
    ap.add_argument("--export-panel", default=None, help="image-panel binary for the export phase (default --panel)")
    ap.add_argument("--workdir", default="/tmp/panel-bench-gallery")
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--duration", type=int, default=3 if quick else 10, help="seconds per wrk scenario")
    ap.add_argument("--warmup", type=int, default=1 if quick else 2)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--threads", type=int, default=min(4, os.cpu_count() or 1), help="wrk threads")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="nginx and uvicorn workers")
    ap.add_argument("--export-count", type=int, default=256 if quick else 1024)
    ap.add_argument("--export-kib", type=int, default=1024)
    ap.add_argument("--phase", choices=["all", "listing", "export"], default="all")
    ap.add_argument("--results", default=os.path.join(ROOT, "bench", "results", "gallery.md"),
                    help="markdown report ('' to skip)")
    args = ap.parse_args()
    args.panel = os.path.abspath(args.panel)
    args.export_panel = os.path.abspath(args.export_panel or args.panel)
    args.quick = quick
    for tool in ("wrk", baselines.NGINX, "curl"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing: run `bash scripts/setup-deps.sh --bench`")
    work = os.path.abspath(args.workdir)
    os.makedirs(work, exist_ok=True)
    # One directory per size, so a quick run does not replace the full galleries.
    args.gallery = f"{work}/listing-{args.rows}"
    args.export_gallery = f"{work}/export-{args.export_count}x{args.export_kib}k"
    info = machine()
    results, problems = {"machine": info, "quick": quick, "args": {
        k: getattr(args, k) for k in ("duration", "warmup", "connections", "threads", "workers", "rows",
                                      "export_count", "export_kib", "panel", "export_panel")}}, []
    for k in ("panel", "export_panel"):
        if results["args"][k].startswith(ROOT + os.sep):
            results["args"][k] = os.path.relpath(results["args"][k], ROOT)
    t0 = time.monotonic()
    if args.phase in ("all", "listing"):
        print(f"generating the listing gallery ({args.rows:,} rows; reused when unchanged)...", flush=True)
        man = make_gallery.listing(argparse.Namespace(panel=args.panel, out=args.gallery, rows=args.rows,
                                                      files=200, seed=5))
        results["gallery"] = {k: v for k, v in man.items() if k != "files"}
        results["gallery"]["file_count"] = len(man["files"])
        listing_phase(args, man, work, results, problems)
    if args.phase in ("all", "export"):
        export_phase(args, work, results, problems)
    results["seconds"] = time.monotonic() - t0
    results["problems"] = problems
    text = report.markdown(results)
    print()
    print(text)
    if args.results:
        os.makedirs(os.path.dirname(args.results), exist_ok=True)
        with open(args.results, "w") as f:
            f.write(text)
        with open(os.path.join(work, "results.json"), "w") as f:
            json.dump(results, f, indent=1)
        print(f"written to {os.path.relpath(args.results, ROOT)} (raw figures: {work}/results.json)")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
