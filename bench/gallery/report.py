"""The gallery benchmark's table: one line per figure, its baseline and ratio,
the target and PASS/MISS, written as markdown (stdout and bench/results/gallery.md)."""

MIB = 1024 * 1024


def ms(us):
    return f"{us / 1000:.2f} ms"


def cpu(r):
    return f"{r['cpu_ms_per_req']:.2f} ms CPU/req"


def brief(r):
    return (f"p50 {ms(r['p50_us'])}, p99 {ms(r['p99_us'])}, {r['rps']:,.0f} req/s, {cpu(r)} "
            f"({r['requests']:,} requests, {r['errors']} errors)")


def brief_export(r):
    if r.get("error"):
        return r["error"]
    return (f"+{r['extra_kib'] / 1024:.1f} MiB peak RSS over {r['rss_before_kib'] / 1024:.1f} MiB, "
            f"{r['bytes'] / MIB:,.0f} MiB in {r['seconds']:.1f} s, ZIP {'complete' if r['zip']['ok'] else 'BAD'}")


def verdict(ok, valid=True):
    if not valid:
        return "INVALID"
    return "PASS" if ok else "MISS"


def latency_row(label, r, target_ms):
    if r is None or r.get("unavailable"):
        return [label, "endpoint not available", "", "", f"p99 < {target_ms} ms" if target_ms else "", "MISS"
                if target_ms else "-"]
    cell = f"p50 {ms(r['p50_us'])} · p99 **{ms(r['p99_us'])}** · {r['rps']:,.0f} req/s · {cpu(r)}"
    if not target_ms:
        return [label, cell, "", "", "-", "-" if r["errors"] == 0 else "INVALID"]
    return [label, cell, "", "", f"p99 < {target_ms} ms", verdict(r["p99_us"] < target_ms * 1000, r["errors"] == 0)]


def ratio_row(label, ours, theirs, their_name, target):
    if ours is None or ours.get("unavailable") or theirs is None:
        return [label, "endpoint not available", "", "", f">= {target}", "MISS"]
    ratio = ours["rps"] / theirs["rps"] if theirs["rps"] else 0
    shown = f"{ratio * 100:.0f} %" if target.endswith("%") else f"{ratio:.1f}x"
    goal = float(target.rstrip("%x")) / (100 if target.endswith("%") else 1)
    cpu_ratio = ours["cpu_ms_per_req"] / theirs["cpu_ms_per_req"] if theirs["cpu_ms_per_req"] else 0
    return [label, f"{ours['rps']:,.0f} req/s · p99 {ms(ours['p99_us'])} · {cpu(ours)}",
            f"{their_name} {theirs['rps']:,.0f} req/s · p99 {ms(theirs['p99_us'])} · {cpu(theirs)}",
            f"**{shown}** (panel CPU/req = {cpu_ratio:.2f}x {their_name}'s)", f">= {target}",
            verdict(ratio >= goal, ours["errors"] == 0 and theirs["errors"] == 0)]


def export_row(label, r):
    target = "< 64 MiB extra RSS"
    if r is None:
        return [label, "not run", "", "", target, "-"]
    if r.get("error"):
        return [label, r["error"], "", "", target, "MISS"]
    cell = (f"+**{r['extra_kib'] / 1024:.1f} MiB** (RSS {r['rss_before_kib'] / 1024:.1f} → "
            f"{r['rss_peak_kib'] / 1024:.1f} MiB peak) · {r['bytes'] / MIB:,.0f} MiB ZIP in {r['seconds']:.1f} s")
    zip_ok = r["zip"]["ok"]
    note = f"{r['zip']['entries']:,} images, {'complete' if zip_ok else 'INCOMPLETE'}"
    return [label, cell, note, "", target, verdict(r["extra_kib"] < 64 * 1024, zip_ok)]


def table(rows):
    head = ["Scenario", "Panel", "Baseline (same run)", "Ratio", "Target", "Result"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def markdown(res):
    m, a = res["machine"], res["args"]
    g = res.get("gallery", {})
    rows = []
    if g:
        month = g["month"]
        rows += [
            latency_row(f"`/api/gallery` page 1, unfiltered ({g['rows']:,} rows)", res.get("unfiltered"), 10),
            latency_row(f"`/api/gallery` random page of 1..{res.get('random_page', {}).get('pages', 0):,} "
                        "(mostly not kept: made afresh)", res.get("random_page"), None),
            latency_row(f"`/api/gallery` page 1, FTS prompt `{g['needle']}` ({g['needle_rows']:,} matches)",
                        res.get("fts"), 25),
            latency_row(f"`/api/gallery` page 1, date {month[0]}..{month[1]} ({g['month_rows']:,} matches)",
                        res.get("date"), None),
            ratio_row(f"`/api/image` {g['image_500k_bytes'] / 1024:,.0f} KiB PNG vs nginx", res.get("image"),
                      res.get("nginx"), "nginx", "70%"),
            ratio_row("`/api/gallery` page 1 vs FastAPI ceiling, same SQL", res.get("unfiltered"),
                      res.get("fastapi"), "FastAPI", "5x"),
        ]
    eg = res.get("export_gallery")
    if eg:
        size = f"{eg['image_bytes'] / MIB / 1024:.2f} GiB" if eg["image_bytes"] >= 1 << 30 else \
            f"{eg['image_bytes'] / MIB:.0f} MiB"
        rows += [export_row(f"`/api/download-all`, {eg['count']:,} images, {size}", res.get("download_all")),
                 export_row(f"export job (POST, poll, download), {size}", res.get("export_job"))]
    out = ["# Gallery benchmark", ""]
    if res["quick"]:
        out += ["**Quick mode (GALLERY_BENCH_QUICK=1): a smoke run, not the reference figures.**", ""]
    out += [
        "Command: `make bench` (all benchmarks) or `scripts/bench-gallery.sh` (this one).",
        "",
        f"Machine: {m['nproc']} cores, {m['cpu']}, Linux {m['kernel']}, load average {m['loadavg']} at start; "
        f"{m['date']}; commit {m['commit']}.",
        f"Tools: wrk {m['wrk'].replace('wrk ', '')}, nginx {m['nginx']}, FastAPI {m['fastapi']} + uvicorn "
        f"{m['uvicorn']}, SQLite {m['sqlite']} (Python).",
        f"Load: wrk, {a['connections']} connections, {a['threads']} threads, {a['duration']} s per scenario after a "
        f"{a['warmup']} s warm-up; nginx and uvicorn with {a['workers']} workers; everything on loopback, on the "
        "same cores as wrk.",
        f"Panel: {a['panel']}" + ("" if a["export_panel"] == a["panel"] else f" (export phase: {a['export_panel']})")
        + ".",
        "",
    ]
    if float(m["loadavg"].split()[0]) > m["nproc"]:
        out += [f"**The machine was busy** (load average {m['loadavg'].split()[0]} on {m['nproc']} cores): the "
                "latencies include waiting for a core, and a server with more threads gets a larger share of a "
                "contended CPU, which favours the panel over nginx's and uvicorn's few worker processes. "
                "CPU per request (the server's process tree, user + system, during the measured run) is the "
                "figure that load changes least.", ""]
    if g:
        out += [f"Gallery: {g['rows']:,} generated rows sharing {g['file_count']} PNG files "
                f"({g['image_bytes'] / MIB:,.0f} MiB), {g['favorites']:,} favourites, dates over 2024-2025.", ""]
    out += [table(rows), ""]
    fa = res.get("fastapi")
    if fa:
        out += [f"FastAPI ceiling: `{fa['command']}` (bench/gallery/fastapi_ceiling.py: same COUNT, page and "
                "filter_options SQL, one connection per worker, no auth; it counts on every request, the panel "
                "caches counts per reader connection until a write).", ""]
    if res["problems"]:
        out += ["Problems:", ""] + [f"* {p}" for p in res["problems"]] + [""]
    out += [f"Total run time {res['seconds']:.0f} s.", ""]
    return "\n".join(out)
