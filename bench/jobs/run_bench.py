#!/usr/bin/python3
"""Job pipeline and SSE fan-out benchmark (scripts/bench-jobs.sh runs it).

Starts the real mock upstream (HTTPS, answering at once) and the real panel on
loopback, then measures, in one run:

1. Pipeline: J jobs (n=1) submitted at once to an upstream that answers at once
   with a prepared b64_json body; jobs/s end to end, and the panel's CPU time per
   image against the codec baseline (bench-validate: codec::validate of the same
   bytes, the codec work every job image needs). Overhead = panel CPU per image /
   codec CPU per image - 1 (target: under 20 %). Two images: a photo-like
   1024x1024 PNG (bench-codec's generator; what real upstreams return) served by
   a tiny in-process HTTPS upstream, and the mock upstream's own synthetic PNG
   (flat gradients, tiny, so the fixed per-job cost dominates).
2. SSE fan-out: N streams on /api/generate/jobs/events (bench-sse), the panel's RSS
   growth per stream (target: under 20 KB), and the time from one POST to the
   `jobs` event reaching every stream (target: p99 under 100 ms).
"""
import argparse
import base64
import http.client
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROMPT = "bench pipeline lighthouse"


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def cpu_s(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / tick


def wait_port_file(path, proc, what):
    for _ in range(200):
        if os.path.exists(path) and os.path.getsize(path) > 0:
            return int(open(path).read().strip())
        if proc.poll() is not None:
            sys.exit(f"{what} exited early")
        time.sleep(0.05)
    sys.exit(f"{what} did not start")


def request(port, method, path, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Origin": f"http://127.0.0.1:{port}"}
    if body is not None:
        headers["Content-Type"] = "application/json"
        body = json.dumps(body)
    conn.request(method, path, body=body, headers=headers)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, data


def start_panel(build, work, mock_port, certs, extra):
    os.makedirs(work, exist_ok=True)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOST": "127.0.0.1",
        "PORT": "0",
        "DATA_DIR": f"{work}/data",
        "IMAGES_DIR": f"{work}/images",
        "ALLOW_UNAUTHENTICATED": "true",
        "MOCK_API_KEY": "bench",
        "DEFAULT_API_URL": f"https://127.0.0.1:{mock_port}",
        "DEFAULT_API_KEY": "${MOCK_API_KEY}",
        "EXTRA_CA_FILE": f"{certs}/ca.crt",
        "PRIVATE_NETWORK_ALLOWLIST": "127.0.0.1",
    }
    env.update(extra)
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    env["PORT"] = str(port)
    proc = subprocess.Popen([f"{build}/image-panel"], env=env, cwd=work, stdout=subprocess.DEVNULL,
                            stderr=open(f"{work}/panel.log", "w"))
    for _ in range(200):
        try:
            if request(port, "GET", "/health")[0] == 200:
                return proc, port
        except OSError:
            pass
        if proc.poll() is not None:
            sys.exit("panel exited early; see " + f"{work}/panel.log")
        time.sleep(0.05)
    sys.exit("panel did not start")


class PhotoUpstream:
    """An HTTPS upstream that answers every POST with the same prepared body."""

    def __init__(self, certs, png_path):
        import http.server
        import threading
        with open(png_path, "rb") as f:
            body = json.dumps({"created": 0, "data": [{"b64_json": base64.b64encode(f.read()).decode()}]}).encode()

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(f"{certs}/server.crt", f"{certs}/server.key")
        self.server.socket = ctx.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


def photo_png(build, work):
    """A photo-like 1024x1024 PNG from bench-codec's input generator."""
    inputs = f"{work}/photos"
    subprocess.run([f"{build}/bench-codec", "generate", inputs, "4"], check=True, stdout=subprocess.DEVNULL)
    for name in sorted(os.listdir(inputs)):
        if name.endswith(".png") and "1024" in name:
            return f"{inputs}/{name}"
    sys.exit("bench-codec generated no 1024x1024 PNG")


def fetch_png(mock_port, certs, path):
    ctx = ssl.create_default_context(cafile=f"{certs}/ca.crt")
    conn = http.client.HTTPSConnection("127.0.0.1", mock_port, context=ctx, timeout=60)
    body = json.dumps({"model": "gpt-image-2", "prompt": PROMPT, "size": "1024x1024", "n": 1,
                       "quality": "auto", "output_format": "png"})
    conn.request("POST", "/v1/images/generations", body=body,
                  headers={"Authorization": "Bearer bench", "Content-Type": "application/json"})
    data = json.loads(conn.getresponse().read())
    with open(path, "wb") as f:
        f.write(base64.b64decode(data["data"][0]["b64_json"]))


def pipeline(args, build, work, upstream_port, certs, png, label):
    base = json.loads(subprocess.check_output([f"{build}/bench-validate", png, "30"]))
    panel, port = start_panel(build, work, upstream_port, certs, {
        "MAX_ACTIVE_GENERATE_JOBS": str(args.active), "MAX_QUEUED_GENERATE_JOBS": str(args.jobs + 10)})
    try:
        body = {"prompt": PROMPT, "size": "1024x1024", "output_format": "png", "response_format": "b64_json"}
        # Warm-up job: connections, caches, the SQLite file.
        status, data = request(port, "POST", "/api/generate", body)
        if status != 202:
            sys.exit(f"POST /api/generate answered {status}: {data[:200]!r}")
        wait_idle(port)
        cpu0, t0 = cpu_s(panel.pid), time.monotonic()
        ids = []
        for _ in range(args.jobs):
            status, data = request(port, "POST", "/api/generate", body)
            if status != 202:
                sys.exit(f"POST /api/generate answered {status}: {data[:200]!r}")
            ids.append(json.loads(data)["job_id"])
        wait_idle(port)
        wall, cpu = time.monotonic() - t0, cpu_s(panel.pid) - cpu0
        # History keeps the newest 100 jobs; the saved files count every success.
        ok = len(os.listdir(f"{work}/images")) - 1
    finally:
        panel.terminate()
        panel.wait(10)
    per_image_ms = cpu * 1000 / args.jobs
    return {
        "image": label, "png_bytes": os.path.getsize(png), "jobs": args.jobs, "succeeded": ok, "active_slots": args.active,
        "jobs_per_s": args.jobs / wall, "panel_cpu_ms_per_image": per_image_ms,
        "codec_cpu_ms_per_image": base["cpu_ms_per_call"],
        "overhead_pct": (per_image_ms / base["cpu_ms_per_call"] - 1) * 100,
    }


def wait_idle(port, timeout=600):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        status, data = request(port, "GET", "/api/generate/jobs")
        if status == 200 and json.loads(data) == []:
            return
        time.sleep(0.02)
    sys.exit("jobs did not finish")


def fanout(args, build, work, mock_port, certs):
    n = args.subscribers
    panel, port = start_panel(build, work, mock_port, certs, {
        "MAX_SSE_SUBSCRIBERS_GLOBAL": str(n + 100), "MAX_SSE_SUBSCRIBERS_PER_IP": str(n + 100),
        "MAX_QUEUED_GENERATE_JOBS": "100"})
    try:
        time.sleep(0.3)
        rss0 = rss_kb(panel.pid)
        sse = subprocess.Popen([f"{build}/bench-sse", "--port", str(port), "--connections", str(n)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        ready = sse.stdout.readline().split()
        time.sleep(0.5)
        rss1 = rss_kb(panel.pid)
        sse.stdin.write("go\n")
        sse.stdin.flush()
        result = json.loads(sse.stdout.readline())
        sse.wait(60)
        wait_idle(port)
    finally:
        panel.terminate()
        panel.wait(10)
    result["streams_ready"] = int(ready[1]) if len(ready) > 1 else 0
    result["rss_kb_before"], result["rss_kb_with_streams"] = rss0, rss1
    result["bytes_per_subscriber"] = (rss1 - rss0) * 1024 / max(1, result["streams_ready"])
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--jobs", type=int, default=200)
    ap.add_argument("--active", type=int, default=2)
    ap.add_argument("--subscribers", type=int, default=5000)
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--phase", choices=["all", "pipeline", "fanout"], default="all")
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    work = args.workdir or tempfile.mkdtemp(prefix="panel-bench-jobs-")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    certs = f"{work}/certs"
    subprocess.run([os.path.join(ROOT, "scripts/make-test-certs.sh"), certs], check=True, stdout=subprocess.DEVNULL)
    mock = subprocess.Popen([f"{build}/mock-upstream", "--port", "0", "--port-file", f"{work}/mock-port",
                             "--tls-cert", f"{certs}/server.crt", "--tls-key", f"{certs}/server.key",
                             "--threads", "1"], stdout=subprocess.DEVNULL)
    results = {"pipeline": [], "fanout": None}
    try:
        mock_port = wait_port_file(f"{work}/mock-port", mock, "mock-upstream")
        if args.phase in ("all", "pipeline"):
            photo = PhotoUpstream(certs, photo_png(build, work))
            try:
                results["pipeline"].append(pipeline(args, build, f"{work}/photo", photo.port, certs,
                                                    photo_png(build, work), "photo-like PNG"))
            finally:
                photo.close()
            synthetic = f"{work}/synthetic.png"
            fetch_png(mock_port, certs, synthetic)
            results["pipeline"].append(pipeline(args, build, f"{work}/mock", mock_port, certs, synthetic,
                                                "mock synthetic PNG"))
        if args.phase in ("all", "fanout"):
            results["fanout"] = fanout(args, build, f"{work}/fanout", mock_port, certs)
    finally:
        mock.terminate()
        mock.wait(10)
    for p in results["pipeline"]:
        print(f"pipeline ({p['image']}, {p['png_bytes'] // 1024} KiB): {p['succeeded']}/{p['jobs']} jobs ok, "
              f"{p['jobs_per_s']:.1f} jobs/s with {p['active_slots']} run slots")
        print(f"  panel CPU per image {p['panel_cpu_ms_per_image']:.2f} ms vs codec validate "
              f"{p['codec_cpu_ms_per_image']:.2f} ms -> pipeline adds {p['overhead_pct']:.1f} % (target < 20 %)")
    f = results["fanout"]
    if f:
        print(f"sse fan-out: {f['streams_ready']} streams, {f['received']} got the event, "
              f"{f['bytes_per_subscriber'] / 1024:.1f} KiB RSS per subscriber (target < 20 KB)")
        print(f"  POST -> event at every stream: p50 {f['p50_ms']:.1f} ms, p99 {f['p99_ms']:.1f} ms, "
              f"max {f['max_ms']:.1f} ms (target p99 < 100 ms)")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
