"""The baselines of the gallery benchmark, each started on loopback by the
benchmark itself: nginx serving IMAGES_DIR, the FastAPI ceiling under uvicorn,
and the wrk runs that measure everything."""
import grp
import json
import os
import pwd
import shutil
import subprocess
import sys
import time

from common import cpu_tree_s, free_port, request

HERE = os.path.dirname(os.path.abspath(__file__))
REPORT_LUA = os.path.join(HERE, "report.lua")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PYTHON = "/usr/bin/python3"  # Debian's, where python3-fastapi and python3-uvicorn live


def wait_http(port, path, proc, what, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"{what} exited early (rc={proc.returncode})")
        try:
            status = request(port, "GET", path, timeout=5)[0]
            if status < 500:
                return
        except OSError:
            pass
        time.sleep(0.1)
    sys.exit(f"{what} did not answer within {timeout}s")


def stop(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Nginx:
    """Debian's nginx with a minimal configuration of our own: one location
    mapping /api/image/ onto IMAGES_DIR, sendfile on, access_log off, one
    worker per core, keep-alive as long as the panel's (wrk never reconnects)."""

    def __init__(self, work, images_dir, workers):
        self.dir = os.path.join(work, "nginx")
        self.images_dir = os.path.abspath(images_dir)
        self.workers = workers

    def __enter__(self):
        os.makedirs(os.path.join(self.dir, "tmp"), exist_ok=True)
        self.port = free_port()
        user = ""
        if os.geteuid() == 0:
            # Workers would run as nobody; the generated files belong to root.
            u = pwd.getpwuid(0)
            user = f"user {u.pw_name} {grp.getgrgid(u.pw_gid).gr_name};"
        tmp = os.path.join(self.dir, "tmp")
        conf = f"""
{user}
worker_processes {self.workers};
pid {self.dir}/nginx.pid;
error_log {self.dir}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  keepalive_timeout 120s;
  client_body_temp_path {tmp}/body;
  proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi;
  scgi_temp_path {tmp}/scgi;
  types {{ image/png png; image/jpeg jpg jpeg; image/webp webp; }}
  server {{
    listen 127.0.0.1:{self.port};
    location /api/image/ {{
      alias {self.images_dir}/;
      add_header Cache-Control "public, max-age=31536000";
    }}
  }}
}}
"""
        path = os.path.join(self.dir, "nginx.conf")
        with open(path, "w") as f:
            f.write(conf)
        self.proc = subprocess.Popen([NGINX, "-p", self.dir, "-c", path, "-g", "daemon off;"],
                                     stdout=subprocess.DEVNULL, stderr=open(os.path.join(self.dir, "stderr.log"), "w"))
        wait_http(self.port, "/", self.proc, "nginx")
        return self

    def __exit__(self, *exc):
        stop(self.proc)


class FastApiCeiling:
    """bench/gallery/fastapi_ceiling.py under uvicorn: `workers` processes
    sharing the port, uvloop and httptools when present, no access log."""

    def __init__(self, work, db_path, workers):
        self.work, self.db_path, self.workers = work, db_path, workers

    def __enter__(self):
        self.port = free_port()
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "GALLERY_DB": self.db_path, "PYTHONPATH": HERE}
        cmd = [PYTHON, "-m", "uvicorn", "fastapi_ceiling:app", "--host", "127.0.0.1", "--port", str(self.port),
               "--workers", str(self.workers), "--no-access-log", "--log-level", "warning"]
        for module, flag in (("uvloop", ["--loop", "uvloop"]), ("httptools", ["--http", "httptools"])):
            if subprocess.run([PYTHON, "-c", f"import {module}"], capture_output=True).returncode == 0:
                cmd += flag
        self.cmd = cmd
        self.proc = subprocess.Popen(cmd, env=env, cwd=HERE, stdout=subprocess.DEVNULL,
                                     stderr=open(os.path.join(self.work, "uvicorn.log"), "w"))
        wait_http(self.port, "/api/gallery?page_size=1", self.proc, "uvicorn")
        return self

    def __exit__(self, *exc):
        stop(self.proc)


def wrk(url, server_pid, duration, warmup, connections, threads, pages=None):
    """wrk at `connections` for `duration` s after a discarded `warmup` s run;
    returns report.lua's JSON (latencies in microseconds) plus the CPU time the
    server's process tree used per request during the measured run. `pages`:
    each request asks for a random page of 1..pages (report.lua)."""
    env = dict(os.environ, GALLERY_BENCH_PAGES=str(pages)) if pages else None
    base = ["wrk", f"-t{threads}", f"-c{connections}", "--timeout", "10s", "-s", REPORT_LUA]
    if warmup > 0:
        subprocess.run(base + [f"-d{warmup}s", url], capture_output=True, timeout=warmup + 60, env=env)
    cpu0 = cpu_tree_s(server_pid)
    out = subprocess.run(base + [f"-d{duration}s", url], capture_output=True, text=True, timeout=duration + 60,
                         env=env)
    cpu = cpu_tree_s(server_pid) - cpu0
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if out.returncode != 0 or not lines:
        sys.exit(f"wrk failed on {url}: {out.stdout}{out.stderr}")
    result = json.loads(lines[-1])
    result["server_cpu_s"] = cpu
    result["cpu_ms_per_req"] = cpu * 1000 / max(1, result["requests"])
    result["errors"] = sum(result[k] for k in ("status_errors", "connect_errors", "read_errors", "write_errors",
                                               "timeouts"))
    return result


def tool_versions():
    def first_line(cmd):
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
            return (p.stdout + p.stderr).strip().splitlines()[0]
        except (OSError, IndexError, subprocess.TimeoutExpired):
            return "?"
    py = subprocess.run([PYTHON, "-c", "import fastapi, uvicorn, sqlite3; "
                         "print(fastapi.__version__, uvicorn.__version__, sqlite3.sqlite_version)"],
                        capture_output=True, text=True).stdout.split()
    return {
        "wrk": first_line(["wrk", "-v"]).split(" [")[0],
        "nginx": first_line([NGINX, "-v"]).replace("nginx version: ", ""),
        "fastapi": py[0] if py else "?", "uvicorn": py[1] if len(py) > 1 else "?",
        "sqlite": py[2] if len(py) > 2 else "?",
    }
