"""Shared helpers of the gallery benchmark: the panel process, HTTP, /proc."""
import http.client
import os
import signal
import socket
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kb(pid, field="VmRSS"):
    """VmRSS (or VmHWM) of `pid` in KiB, from /proc/<pid>/status."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def cpu_tree_s(root):
    """User + system CPU seconds of `root` and every live descendant
    (nginx's and uvicorn's workers are children of their master)."""
    stats = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                stats[int(name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
            except (OSError, IndexError, ValueError):
                continue
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += stats.get(pid, (0, 0))[1]
        todo.extend(p for p, (ppid, _) in stats.items() if ppid == pid)
    return total / os.sysconf("SC_CLK_TCK")


def request(port, method, path, body=None, headers=None, timeout=120):
    """One request on a fresh connection; returns (status, headers dict, body bytes)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    h = {"Origin": f"http://127.0.0.1:{port}"}
    if body is not None:
        h["Content-Type"] = "application/json"
    h.update(headers or {})
    conn.request(method, path, body=body, headers=h)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, {k.lower(): v for k, v in r.getheaders()}, data


class Panel:
    """The real image-panel on loopback with its own DATA_DIR and IMAGES_DIR,
    a clean environment (no .env is read: the working directory is `work`),
    no access key (ALLOW_UNAUTHENTICATED) and no outbound version check."""

    def __init__(self, binary, work, data_dir, images_dir, extra_env=None, start_timeout=300):
        self.binary, self.work = binary, work
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "DATA_DIR": data_dir,
            "IMAGES_DIR": images_dir,
            "ALLOW_UNAUTHENTICATED": "true",
            "ENABLE_VERSION_CHECK": "false",
        }
        self.env.update(extra_env or {})
        self.start_timeout = start_timeout
        self.proc = None
        self.port = None

    def start(self):
        os.makedirs(self.work, exist_ok=True)
        self.log = f"{self.work}/panel.log"
        for _ in range(3):
            self.port = free_port()
            with open(self.log, "w") as err:
                self.proc = subprocess.Popen([self.binary, "--host", "127.0.0.1", "--port", str(self.port)],
                                             env=self.env, cwd=self.work, stdout=subprocess.DEVNULL, stderr=err)
            deadline = time.monotonic() + self.start_timeout
            while time.monotonic() < deadline and self.proc.poll() is None:
                try:
                    if request(self.port, "GET", "/health", timeout=5)[0] == 200:
                        return self
                except OSError:
                    pass
                time.sleep(0.05)
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
                sys.exit(f"panel not ready after {self.start_timeout}s; see {self.log}")
            if "cannot listen" not in open(self.log).read():
                break
        sys.exit(f"panel exited early (rc={self.proc.returncode}); see {self.log}")

    @property
    def pid(self):
        return self.proc.pid

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode if self.proc else None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
