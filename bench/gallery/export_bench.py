"""Export memory of the gallery benchmark: the panel's peak RSS increase while
a 1 GiB gallery leaves as a ZIP, once through GET /api/download-all and once
through a tracked export job (POST, poll, one-shot download). Each way runs on
a freshly started panel, so neither inherits the other's heap."""
import json
import os
import shutil
import subprocess
import threading
import time
import zipfile

from common import Panel, request, rss_kb


class PeakRss:
    """Peak VmRSS of `pid` from now on: VmHWM reset through clear_refs (exact),
    plus a 5 ms sampler in case the reset is not allowed."""

    def __init__(self, pid):
        self.pid = pid
        self.before_kb = rss_kb(pid)
        try:
            with open(f"/proc/{pid}/clear_refs", "w") as f:
                f.write("5")
            self.hwm_reset = True
        except OSError:
            self.hwm_reset = False
        self.sampled_kb = self.before_kb
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self):
        while not self._done.is_set():
            try:
                self.sampled_kb = max(self.sampled_kb, rss_kb(self.pid))
            except OSError:
                return
            self._done.wait(0.005)

    def stop(self):
        self._done.set()
        self._thread.join()
        peak = self.sampled_kb
        if self.hwm_reset:
            peak = max(peak, rss_kb(self.pid, "VmHWM"))
        return {"rss_before_kib": self.before_kb, "rss_peak_kib": peak, "extra_kib": peak - self.before_kb,
                "hwm_reset": self.hwm_reset, "rss_after_kib": rss_kb(self.pid)}


def curl(port, path, out):
    """Downloads with curl (the whole body to disk); returns status, headers, size, seconds."""
    hdr = out + ".headers"
    p = subprocess.run(["curl", "-sS", "--max-time", "900", "-o", out, "-D", hdr, "-w", "%{http_code} %{size_download}",
                        "-H", f"Origin: http://127.0.0.1:{port}", f"http://127.0.0.1:{port}{path}"],
                       capture_output=True, text=True)
    code, size = (p.stdout.split() + ["0", "0"])[:2]
    headers = {}
    if os.path.exists(hdr):
        for line in open(hdr, errors="replace"):
            if ":" in line:
                k, v = line.split(":", 1)
                headers[k.strip().lower()] = v.strip()
        os.remove(hdr)
    return int(code), headers, int(float(size))


def verify_zip(path, manifest):
    """Every image of the manifest is in the ZIP under images/ with its exact
    size and CRC-32, metadata.json is last and lists them all, and testzip()
    re-reads every member against its CRC."""
    want = {f["filename"]: f for f in manifest["files"]}
    problems = []
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
        images = [i for i in infos if i.filename.startswith("images/")]
        seen = set()
        for info in images:
            name = info.filename[len("images/"):]
            f = want.get(name)
            if f is None:
                problems.append(f"unexpected member {info.filename}")
            elif info.file_size != f["bytes"] or info.CRC != f["crc32"]:
                problems.append(f"{name}: size/CRC differ from the source file")
            seen.add(name)
        if len(seen) != len(want):
            problems.append(f"{len(want) - len(seen)} image(s) missing from the ZIP")
        if not infos or infos[-1].filename != "metadata.json":
            problems.append("metadata.json is not the last member")
        else:
            meta = json.loads(z.read("metadata.json"))
            if len(meta.get("images", [])) != len(want):
                problems.append(f"metadata.json lists {len(meta.get('images', []))} images, want {len(want)}")
        bad = z.testzip()
        if bad:
            problems.append(f"CRC mismatch reading {bad}")
    return {"entries": len(images), "zip_bytes": os.path.getsize(path), "ok": not problems,
            "problems": problems[:5]}


def fresh_panel(binary, gallery, work):
    """The panel on a copy of the export gallery's DATA_DIR (the job writes
    DATA_DIR/exports) and the generated IMAGES_DIR, read in place."""
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(f"{gallery}/data", f"{work}/data")
    return Panel(binary, work, f"{work}/data", f"{gallery}/images",
                 {"THUMBNAILS_DIR": f"{work}/thumbs"}).start()


def settle(panel):
    request(panel.port, "GET", "/api/gallery?page_size=1")
    time.sleep(1.0)


def download_all(binary, gallery, manifest, work):
    panel = fresh_panel(binary, gallery, work)
    try:
        settle(panel)
        peak = PeakRss(panel.pid)
        t0 = time.monotonic()
        out = f"{work}/download-all.zip"
        code, headers, size = curl(panel.port, "/api/download-all", out)
        seconds = time.monotonic() - t0
        mem = peak.stop()
    finally:
        panel.stop()
    result = {"status": code, "seconds": seconds, "bytes": size, **mem}
    if code != 200:
        result["error"] = f"GET /api/download-all answered {code}"
        result["body"] = open(out, errors="replace").read(200) if os.path.exists(out) else ""
    else:
        result["zip"] = verify_zip(out, manifest)
    if os.path.exists(out):
        os.remove(out)
    return result


def export_job(binary, gallery, manifest, work):
    panel = fresh_panel(binary, gallery, work)
    out = f"{work}/export-job.zip"
    try:
        settle(panel)
        peak = PeakRss(panel.pid)
        t0 = time.monotonic()
        status, _, body = request(panel.port, "POST", "/api/gallery/export-jobs", body="{}")
        if status != 202:
            peak.stop()
            return {"status": status, "error": f"POST /api/gallery/export-jobs answered {status}",
                    "body": body[:200].decode(errors="replace")}
        job = json.loads(body)
        deadline = time.monotonic() + 900
        while job.get("status") not in ("success", "error") and time.monotonic() < deadline:
            time.sleep(0.1)
            job = json.loads(request(panel.port, "GET", f"/api/gallery/export-jobs/{job['job_id']}")[2])
        packed = time.monotonic() - t0
        if job.get("status") != "success":
            peak.stop()
            return {"status": 0, "error": f"export job ended {job.get('status')}: {job.get('error')}", "job": job}
        code, headers, size = curl(panel.port, job["download_url"], out)
        seconds = time.monotonic() - t0
        mem = peak.stop()
    finally:
        panel.stop()
    result = {"status": code, "seconds": seconds, "pack_seconds": packed, "bytes": size, **mem,
              "content_length": headers.get("content-length"),
              "counts": [headers.get(f"x-gallery-{k}-count") for k in ("requested", "exported", "missing")]}
    if code != 200:
        result["error"] = f"GET {job['download_url']} answered {code}"
    else:
        result["zip"] = verify_zip(out, manifest)
        if result["content_length"] != str(size):
            result["zip"]["ok"] = False
            result["zip"]["problems"].append(f"Content-Length {result['content_length']} != body {size}")
    if os.path.exists(out):
        os.remove(out)
    return result
