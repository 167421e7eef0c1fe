#!/usr/bin/python3
"""Codec benchmark driver (scripts/bench-codec.sh runs it).

Makes thumbnails of the same generated inputs with our codec (bench-codec),
Pillow (pillow_thumbs.py, multiprocessing) and vipsthumbnail, in one run, and
prints thumbnails per second and peak memory with ratios against ours.

Fairness rules:
* every tool reads the files from disk and writes WebP files at quality 82,
  longest side 512, and uses every core (threads for us, processes for Pillow,
  both vips modes: N single-threaded processes and one process with its own
  threads);
* runs are interleaved (tool A, B, C, A, B, C, ...) so background load hits
  every tool alike; the median wall time of the repeats is reported;
* wall time is end to end (process start to exit), as a user would see it;
* memory: "peak RSS" is the largest single process (/usr/bin/time -v
  "Maximum resident set size"); "tree RSS" is the peak of the summed RSS of
  the whole process tree, sampled every 5 ms from /proc (multi-process tools
  use several address spaces at once; ours uses one).
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def tree_rss_kb(root):
    """Summed VmRSS of `root` and all its descendants, in KiB."""
    children = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                stat = f.read()
            ppid = int(stat[stat.rindex(")") + 2:].split()[1])
            children.setdefault(ppid, []).append(int(name))
        except (OSError, ValueError):
            continue
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            pass
    return total


def run_measured(cmd, env=None):
    """Runs cmd under /usr/bin/time -v; returns (seconds, peak_rss_kb, tree_peak_kb, cpu_seconds)."""
    timing = "/tmp/bench-codec-time.txt"
    full = (["/usr/bin/time", "-v", "-o", timing] if os.path.exists("/usr/bin/time") else []) + cmd
    import resource
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_before = before.ru_utime + before.ru_stime
    start = time.perf_counter()
    proc = subprocess.Popen(full, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss_kb(proc.pid))
            done.wait(0.005)

    sampler = threading.Thread(target=sample)
    sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{err}")
    max_rss, cpu = 0, 0.0
    if os.path.exists(timing):
        with open(timing) as f:
            for line in f:
                if "Maximum resident set size" in line:
                    max_rss = int(line.split(":")[1])
                elif "User time (seconds)" in line or "System time (seconds)" in line:
                    cpu += float(line.split(":")[1])
        os.remove(timing)
    else:
        import resource
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        max_rss, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime - cpu_before
    return seconds, max_rss, peak[0], cpu


def split(files, n):
    return [files[i::n] for i in range(n)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench-bin", required=True, help="path to bench-codec")
    ap.add_argument("--workdir", default="/tmp/panel-bench-codec")
    ap.add_argument("--count", type=int, default=50)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--side", type=int, default=512)
    ap.add_argument("--methods", default="4,2", help="WebP methods to run ours with (first is the reference)")
    args = ap.parse_args()

    inputs = os.path.join(args.workdir, "inputs")
    stamp = os.path.join(inputs, f".generated-{args.count}")
    if not os.path.exists(stamp):
        shutil.rmtree(inputs, ignore_errors=True)
        print(f"generating {args.count} inputs in {inputs} ...", flush=True)
        subprocess.run([args.bench_bin, "generate", inputs, str(args.count)], check=True)
        open(stamp, "w").close()
    files = sorted(os.path.join(inputs, f) for f in os.listdir(inputs) if not f.startswith("."))
    n, w, side = len(files), args.workers, args.side
    out = lambda name: os.path.join(args.workdir, "out-" + name)

    tools = []
    for m in [int(x) for x in args.methods.split(",") if x]:
        tools.append((f"ours (threads={w}, webp method {m})",
                      [args.bench_bin, "run", inputs, out(f"ours{m}"), "--threads", str(w), "--method", str(m),
                       "--side", str(side)], None))
    tools.append((f"Pillow {pillow_version()} ({w} processes)",
                  ["/usr/bin/python3", os.path.join(HERE, "pillow_thumbs.py"), out("pillow"), str(w), str(side)] + files,
                  None))
    vips = shutil.which("vipsthumbnail")
    if vips:
        pattern = os.path.join(out("vips"), "%s.webp[Q=82]")
        os.makedirs(out("vips"), exist_ok=True)
        script = " & ".join(f"{vips} -s {side} -o '{pattern}' " + " ".join(part) for part in split(files, w)) + " & wait"
        env1 = dict(os.environ, VIPS_CONCURRENCY="1")
        tools.append((f"vipsthumbnail ({w} processes x 1 thread)", ["/bin/sh", "-c", script], env1))
        tools.append(("vipsthumbnail (1 process, vips threads)", [vips, "-s", str(side), "-o", pattern] + files, None))

    results = {name: [] for name, _, _ in tools}
    for r in range(args.repeat):
        for name, cmd, env in tools:
            results[name].append(run_measured(cmd, env))
        print(f"round {r + 1}/{args.repeat} done", flush=True)

    for name, _, _ in tools:
        outdir = next(d for d in os.listdir(args.workdir) if d.startswith("out-") and name_matches(name, d))
        made = len([f for f in os.listdir(os.path.join(args.workdir, outdir)) if f.endswith(".webp")])
        if made != n:
            sys.exit(f"{name}: produced {made} thumbnails for {n} inputs")

    rows = []
    for name, _, _ in tools:
        runs = results[name]
        seconds = statistics.median(r[0] for r in runs)
        cpu_ms = statistics.median(r[3] for r in runs) * 1000 / n
        rows.append((name, n / seconds, max(r[1] for r in runs), max(r[2] for r in runs), cpu_ms))
    scores = quality_check(files, args.workdir, side, tools)
    ref = rows[0]
    print()
    print(f"{n} inputs ({count_kinds(files)}), longest side {side}, WebP q82, {w} workers, "
          f"median of {args.repeat} interleaved runs, load average now {os.getloadavg()[0]:.2f}")
    print()
    print("| tool | thumbs/s | ours x faster | CPU ms/thumb | ours x less CPU | peak RSS (largest process) | "
          "peak RSS (process tree) | ours x less memory (tree) | PSNR vs Lanczos ref | mean WebP size |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, tps, rss, tree, cpu_ms in rows:
        psnr, size = scores[name]
        print(f"| {name} | {tps:.1f} | {ref[1] / tps:.2f} | {cpu_ms:.0f} | {cpu_ms / ref[4]:.2f} | {rss / 1024:.0f} MiB | "
              f"{tree / 1024:.0f} MiB | {tree / max(ref[3], 1):.2f} | {psnr:.2f} dB | {size / 1024:.1f} KiB |")


def quality_check(files, workdir, side, tools, sample=8):
    """Mean PSNR of each tool's thumbnails against a reference: Pillow's
    Lanczos resize of the full decoded image (no JPEG draft, no reducing gap),
    so every tool is judged against the same ideal. Higher is better."""
    from PIL import Image, ImageChops, ImageStat
    import math
    picked = files[:: max(1, len(files) // sample)][:sample]
    refs = {}
    for f in picked:
        with Image.open(f) as im:
            im = im.convert("RGB")
            scale = side / max(im.size)
            size = (max(1, round(im.size[0] * scale)), max(1, round(im.size[1] * scale)))
            refs[f] = im.resize(size, Image.LANCZOS)
    scores = {}
    for name, _, _ in tools:
        outdir = os.path.join(workdir, next(d for d in os.listdir(workdir) if d.startswith("out-") and name_matches(name, d)))
        psnrs, sizes = [], []
        for f in picked:
            base = os.path.basename(f)
            candidates = [base + ".webp", base.rsplit(".", 1)[0] + ".webp"]
            path = next(os.path.join(outdir, c) for c in candidates if os.path.exists(os.path.join(outdir, c)))
            sizes.append(os.path.getsize(path))
            with Image.open(path) as out:
                out = out.convert("RGB")
                ref = refs[f]
                if out.size != ref.size:
                    out = out.resize(ref.size, Image.LANCZOS)
                mse = sum(ImageStat.Stat(ImageChops.difference(out, ref)).sum2) / (3 * ref.size[0] * ref.size[1])
                psnrs.append(10 * math.log10(255 * 255 / max(mse, 1e-9)))
        scores[name] = (sum(psnrs) / len(psnrs), sum(sizes) / len(sizes))
    return scores


def name_matches(name, outdir):
    if name.startswith("ours"):
        return outdir == "out-ours" + name.split("method ")[1].rstrip(")")
    if name.startswith("Pillow"):
        return outdir == "out-pillow"
    return outdir == "out-vips"


def count_kinds(files):
    kinds = {}
    for f in files:
        base = os.path.basename(f)
        key = base.split("-")[2].split(".")[0] + " " + base.rsplit(".", 1)[1].upper()
        kinds[key] = kinds.get(key, 0) + 1
    return ", ".join(f"{v} x {k}" for k, v in sorted(kinds.items()))


def pillow_version():
    try:
        return subprocess.run(["/usr/bin/python3", "-c", "import PIL; print(PIL.__version__)"], capture_output=True,
                              text=True).stdout.strip()
    except OSError:
        return "?"


if __name__ == "__main__":
    main()
