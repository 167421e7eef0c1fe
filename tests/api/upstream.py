"""Harness for the job-system API tests: the real mock-upstream over HTTPS, small Python HTTPS
servers (fake upstream, image host, redirector, webhook receiver), and a PanelCase wired to them.

Everything listens on 127.0.0.0/8 and uses one throw-away test CA made by
scripts/make-test-certs.sh (plus one extra certificate for 127.0.0.2 signed by the same CA).
The panel trusts the CA through EXTRA_CA_FILE and exempts 127.0.0.1 through
PRIVATE_NETWORK_ALLOWLIST, so 127.0.0.2 stays "private" and must be refused.
"""

import atexit
import http.client
import http.server
import json
import os
import ssl
import struct
import subprocess
import tempfile
import threading
import time
import uuid
import zlib
from pathlib import Path

from .panel import ACCESS_KEY, REPO, Panel, PanelCase, mint_token

MOCK_BIN = Path(os.environ.get("MOCK_UPSTREAM_BIN") or REPO / "build" / "mock-upstream")
MOCK_API_KEY = "test-key"
TERMINAL = {"success", "error", "upstream_error", "cancelled", "interrupted"}
JOB_TIMEOUT = 20.0

_certs = None


def certs():
    """Directory with ca.crt, server.crt/key (127.0.0.1, localhost) and alt.crt/key (also 127.0.0.2)."""
    global _certs
    if _certs is None:
        tmp = tempfile.TemporaryDirectory(prefix="panel-jobs-certs-")
        atexit.register(tmp.cleanup)
        d = Path(tmp.name)
        subprocess.run([str(REPO / "scripts" / "make-test-certs.sh"), str(d)], check=True, capture_output=True)
        ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        run = dict(cwd=d, check=True, capture_output=True)
        subprocess.run(["openssl", "req", *ec, "-keyout", "alt.key", "-out", "alt.csr", "-subj", "/CN=127.0.0.2"],
                       **run)
        (d / "alt.cnf").write_text("subjectAltName=IP:127.0.0.1,IP:127.0.0.2\nbasicConstraints=CA:FALSE\n"
                                   "extendedKeyUsage=serverAuth\n")
        subprocess.run(["openssl", "x509", "-req", "-in", "alt.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                        "-CAcreateserial", "-out", "alt.crt", "-days", "2", "-extfile", "alt.cnf"], **run)
        _certs = (tmp, d)
    return _certs[1]


def client_tls():
    return ssl.create_default_context(cafile=str(certs() / "ca.crt"))


# -- images ------------------------------------------------------------------------------------

def png_bytes(width=16, height=16, noise=False, seed=1):
    """A valid RGB PNG; noise=True makes it incompressible (stored deflate), for size tests."""
    if noise:
        raw = b"".join(b"\x00" + os.urandom(width * 3) for _ in range(height))
        data = zlib.compress(raw, 0)
    else:
        row = b"\x00" + bytes((x * 7 + seed * 31) % 256 for x in range(width * 3))
        data = zlib.compress(row * height, 9)

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>'


def multipart(fields=(), files=()):
    """(content type, body). fields: [(name, value)]; files: [(field, filename, content_type, bytes)]."""
    boundary = "----panel-test-" + uuid.uuid4().hex
    out = []
    for name, value in fields:
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for field, filename, ctype, data in files:
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
                   f'Content-Type: {ctype}\r\n\r\n'.encode() + data + b"\r\n")
    out.append(f"--{boundary}--\r\n".encode())
    return f"multipart/form-data; boundary={boundary}", b"".join(out)


def wait_until(predicate, timeout=JOB_TIMEOUT, interval=0.05, what="condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


# -- the real mock upstream --------------------------------------------------------------------

class MockUpstream:
    """build/mock-upstream on HTTPS with the test certificate; port from --port-file."""

    def __init__(self, *args):
        self._dir = tempfile.TemporaryDirectory(prefix="panel-jobs-mock-")
        d = Path(self._dir.name)
        if not MOCK_BIN.exists():
            raise RuntimeError(f"{MOCK_BIN} not found; build mock-upstream or set MOCK_UPSTREAM_BIN")
        c = certs()
        self._stderr = open(d / "stderr", "w")
        self.proc = subprocess.Popen([str(MOCK_BIN), "--port", "0", "--port-file", str(d / "port"), "--threads", "2",
                                      "--tls-cert", str(c / "server.crt"), "--tls-key", str(c / "server.key"), *args],
                                     stdout=subprocess.DEVNULL, stderr=self._stderr)
        wait_until(lambda: (d / "port").exists() or self.proc.poll() is not None, 15, what="mock port file")
        if self.proc.poll() is not None:
            raise RuntimeError("mock-upstream exited: " + (d / "stderr").read_text())
        self.port = int((d / "port").read_text().strip())
        self.url = f"https://127.0.0.1:{self.port}"

    def call(self, method, path, body=None):
        c = http.client.HTTPSConnection("127.0.0.1", self.port, context=client_tls(), timeout=10)
        try:
            data = json.dumps(body).encode() if body is not None else None
            c.request(method, path, body=data, headers={"Content-Type": "application/json"} if data else {})
            r = c.getresponse()
            return json.loads(r.read() or b"null")
        finally:
            c.close()

    def stats(self):
        return self.call("GET", "/mock/stats")

    def reset(self):
        return self.call("POST", "/mock/reset", {})

    def requests(self, marker=None, endpoint=None):
        """Recorded requests (last 32, oldest first) whose prompt contains `marker`."""
        out = []
        for r in self.stats()["requests"]:
            if marker is not None and marker not in (r.get("prompt") or ""):
                continue
            if endpoint is not None and r.get("endpoint") != endpoint:
                continue
            out.append(r)
        return out

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._stderr.close()
        self._dir.cleanup()


# -- small Python HTTPS servers ----------------------------------------------------------------

class Recorded:
    def __init__(self, method, path, headers, body):
        self.method, self.path, self.headers, self.body = method, path, headers, body
        self.time = time.time()

    def json(self):
        return json.loads(self.body)


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        rec = Recorded(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body)
        srv = self.server.owner
        with srv.lock:
            srv.log.append(rec)
        status, headers, payload = srv.respond(rec)
        chunked = headers.pop("__chunked__", False)
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(0, len(payload), 65536):
                part = payload[i:i + 65536]
                self.wfile.write(b"%x\r\n" % len(part) + part + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_HEAD = _any


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass  # the panel may hang up mid-body on purpose (size limits); not a test failure


class PyServer:
    """An HTTP(S) server on host (127.0.0.1 or 127.0.0.2). `handler(rec)` returns (status, headers, body);
    every request is logged in `log` with its arrival time."""

    def __init__(self, handler=None, host="127.0.0.1", tls=True):
        self.handler = handler or (lambda rec: (404, {}, b"not found"))
        self.lock = threading.Lock()
        self.log = []
        self.httpd = _Server((host, 0), _Handler)
        self.httpd.owner = self
        self.host = host
        self.port = self.httpd.server_address[1]
        scheme = "http"
        if tls:
            scheme = "https"
            c = certs()
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(str(c / "alt.crt"), str(c / "alt.key"))
            self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True)
        self.url = f"{scheme}://{host}:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def respond(self, rec):
        try:
            return self.handler(rec)
        except Exception as e:  # a test bug must show up, not hang the panel
            return 500, {"Content-Type": "text/plain"}, repr(e).encode()

    def requests(self, path_part=""):
        with self.lock:
            return [r for r in self.log if path_part in r.path]

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def json_reply(obj, status=200, ctype="application/json"):
    return status, {"Content-Type": ctype}, json.dumps(obj).encode()


# -- the test case base ------------------------------------------------------------------------

class JobsCase(PanelCase):
    """A panel pointed at one mock-upstream started for the class. Subclasses add `env`."""

    env = {}
    use_mock = True
    mock = None

    @classmethod
    def upstream_url(cls):
        return cls.mock.url

    @classmethod
    def base_env(cls, tmp):
        return {"ACCESS_KEY": ACCESS_KEY, "DEFAULT_API_URL": cls.upstream_url(),
                "DEFAULT_API_KEY": "${MOCK_API_KEY}", "MOCK_API_KEY": MOCK_API_KEY,
                "EXTRA_CA_FILE": str(certs() / "ca.crt"), "PRIVATE_NETWORK_ALLOWLIST": "127.0.0.1"}

    @classmethod
    def configure(cls, tmp):
        env = cls.base_env(tmp)
        env.update(cls.env)
        return env

    @classmethod
    def setUpClass(cls):
        if cls.use_mock:
            cls.mock = MockUpstream()
            cls.addClassCleanup(cls.mock.stop)
        cls.start_servers()
        super().setUpClass()

    @classmethod
    def start_servers(cls):
        """Hook for extra Python servers; started before the panel."""

    @classmethod
    def tearDownClass(cls):
        # After every job of the class ran (failures and cancels included), the
        # resolved upstream key must not appear anywhere in the panel's log.
        super().tearDownClass()
        if MOCK_API_KEY in cls.panel.stderr:
            raise AssertionError(f"the upstream API key leaked into the panel's log:\n{cls.panel.stderr}")

    # -- HTTP helpers ------------------------------------------------------------------------
    @property
    def cookie(self):
        return ("Cookie", "gpt_image_access=" + mint_token(ACCESS_KEY, time.time() + 3600))

    def api(self, method, path, body=None, headers=(), panel=None):
        p = panel or self.panel
        items = [self.cookie, *headers]
        if method != "GET":
            items.append(("Origin", p.origin))
        return p.request(method, path, items, body)

    def generate(self, prompt, panel=None, **fields):
        return self.api("POST", "/api/generate", {"prompt": prompt, **fields}, panel=panel)

    def start_job(self, prompt, **fields):
        r = self.generate(prompt, **fields)
        self.assertEqual(r.status, 202, r)
        return r.json()["job_id"]

    def job(self, job_id, panel=None):
        r = self.api("GET", f"/api/generate/{job_id}", panel=panel)
        self.assertEqual(r.status, 200, r)
        return r.json()

    def wait_job(self, job_id, statuses=TERMINAL, timeout=JOB_TIMEOUT, panel=None):
        last = {}

        def check():
            last["job"] = self.job(job_id, panel)
            return last["job"]["status"] in statuses

        try:
            wait_until(check, timeout, what=f"job {job_id} in {sorted(statuses)}")
        except AssertionError as e:
            raise AssertionError(f"{e}; last state: {last.get('job')}") from None
        return last["job"]

    def run_job(self, prompt, **fields):
        return self.wait_job(self.start_job(prompt, **fields))

    def active_jobs(self, panel=None):
        r = self.api("GET", "/api/generate/jobs", panel=panel)
        self.assertEqual(r.status, 200, r)
        return r.json()

    def wait_idle(self, timeout=JOB_TIMEOUT):
        wait_until(lambda: self.active_jobs() == [], timeout, what="no active jobs")

    def edit(self, prompt=None, files=(), fields=(), path="/api/edits"):
        all_fields = ([("prompt", prompt)] if prompt is not None else []) + list(fields)
        ctype, body = multipart(all_fields, files)
        return self.api("POST", path, body, headers=[("Content-Type", ctype)])

    @property
    def images_dir(self):
        return self.tmp / "images"

    @property
    def staging_dir(self):
        return self.tmp / "data" / "edit-sources"

    def staged_files(self):
        d = self.staging_dir
        return sorted(p.name for p in d.iterdir()) if d.exists() else []

    def wait_no_staged(self, timeout=5.0):
        try:
            wait_until(lambda: not self.staged_files(), timeout, what="empty edit-sources")
        except AssertionError:
            self.fail(f"staged edit sources left behind: {self.staged_files()}")


def tag():
    """A unique word to put in a prompt, so the mock's request log can be filtered per test."""
    return "t" + uuid.uuid4().hex[:10]


__all__ = ["ACCESS_KEY", "JOB_TIMEOUT", "JobsCase", "MockUpstream", "Panel", "PyServer", "SVG", "TERMINAL",
           "certs", "client_tls", "json_reply", "multipart", "png_bytes", "tag", "wait_until"]
