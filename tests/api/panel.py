"""Test harness: starts the real image-panel binary and speaks raw HTTP/1.1 to it.

Every panel runs with a CLEAN environment (PATH plus what the test sets), a fresh
temporary DATA_DIR/IMAGES_DIR, and the temporary directory as its working
directory (so no stray .env is read). `stop()` sends SIGTERM and reports the exit
code; PanelCase.tearDownClass fails unless it is 0 and "stopped cleanly" was logged.
"""

import base64
import hashlib
import hmac
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("PANEL_BIN") or REPO / "build" / "image-panel")
ACCESS_KEY = "test-access-key"
START_TIMEOUT = 20.0
DEFAULT = object()  # "use the default Host header"
ERROR_KEYS = {"status", "error_code", "correlation_id", "detail", "message", "error"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env(extra):
    env = {"PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin")}
    env.update({k: str(v) for k, v in extra.items()})
    return env


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def mint_token(key, exp, scope="access"):
    """An access token exactly as spec §2.5 describes it."""
    payload = b64url(json.dumps({"exp": int(exp), "scope": scope}, separators=(",", ":")).encode())
    mac = hmac.new(key.encode(), payload.encode(), hashlib.sha256).digest()
    return payload + "." + b64url(mac)


def run_binary(args=(), env=None, timeout=10, cwd=None):
    """Runs the binary to completion (startup refusals, --help, --version)."""
    with tempfile.TemporaryDirectory(prefix="panel-api-run-") as tmp:
        base = {"DATA_DIR": f"{tmp}/data", "IMAGES_DIR": f"{tmp}/images"}
        base.update(env or {})
        return subprocess.run([str(BIN), *args], env=clean_env(base), cwd=cwd or tmp, capture_output=True,
                              text=True, timeout=timeout)


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name):
        return self.headers.get(name)

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)

    @property
    def detail(self):
        return self.json().get("detail")

    def __repr__(self):
        return f"<Response {self.status} {self.body[:300]!r}>"


class Panel:
    def __init__(self, env=None, args=(), tmp=None):
        self._tmpdir = None if tmp else tempfile.TemporaryDirectory(prefix="panel-api-")
        self.tmp = Path(tmp or self._tmpdir.name)
        self.env = dict(env or {})
        self.args = list(args)
        self.proc = None
        self.port = None
        self._err = []
        self._out = []

    # -- process -----------------------------------------------------------
    def start(self):
        env = {"DATA_DIR": str(self.tmp / "data"), "IMAGES_DIR": str(self.tmp / "images")}
        env.update(self.env)
        for _ in range(3):
            self.port = free_port()
            self._err, self._out = [], []
            self.proc = subprocess.Popen([str(BIN), "--host", "127.0.0.1", "--port", str(self.port), *self.args],
                                         env=clean_env(env), cwd=self.tmp, stdout=subprocess.PIPE,
                                         stderr=subprocess.PIPE)
            self._readers = [threading.Thread(target=self._pump, args=(self.proc.stderr, self._err), daemon=True),
                             threading.Thread(target=self._pump, args=(self.proc.stdout, self._out), daemon=True)]
            for t in self._readers:
                t.start()
            if self._wait_ready():
                return self
            if "cannot listen" not in self.stderr:  # a port race is retried, anything else is fatal
                break
        raise RuntimeError(f"panel did not start (rc={self.proc.returncode}):\n{self.stderr}")

    @staticmethod
    def _pump(stream, sink):
        for line in iter(stream.readline, b""):
            sink.append(line.decode("utf-8", "replace"))

    def _wait_ready(self):
        deadline = time.monotonic() + START_TIMEOUT
        marker = f"listening on http://127.0.0.1:{self.port}"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                for t in self._readers:
                    t.join(2)
                return False
            if marker in self.stderr:
                try:
                    self.get("/health")
                    return True
                except OSError:
                    pass
            time.sleep(0.02)
        self.proc.kill()
        self.proc.wait()
        raise RuntimeError(f"panel not ready after {START_TIMEOUT}s:\n{self.stderr}")

    @property
    def stderr(self):
        return "".join(self._err)

    def stop(self, timeout=10):
        """SIGTERM, wait, return (exit code, stderr)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for t in self._readers:
            t.join(5)
        self.proc.stdout.close()
        self.proc.stderr.close()
        if self._tmpdir:
            self._tmpdir.cleanup()
        return self.proc.returncode, self.stderr

    # -- HTTP ----------------------------------------------------------------
    @property
    def host(self):
        return f"127.0.0.1:{self.port}"

    @property
    def origin(self):
        return f"http://{self.host}"

    def connect(self, timeout=15):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method, path, headers=(), body=None, host=DEFAULT, conn=None):
        """One request with exactly the given headers (Host too, unless host=DEFAULT)."""
        c = conn or self.connect()
        try:
            items = list(headers.items() if isinstance(headers, dict) else headers)
            names = {k.lower() for k, _ in items}
            if isinstance(body, (dict, list)):
                body = json.dumps(body).encode()
                if "content-type" not in names:
                    items.append(("Content-Type", "application/json"))
            elif isinstance(body, str):
                body = body.encode()
            c.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            if host is not None:
                c.putheader("Host", self.host if host is DEFAULT else host)
            for k, v in items:
                c.putheader(k, v)
            if body is not None and not names & {"content-length", "transfer-encoding"}:
                c.putheader("Content-Length", str(len(body)))
            c.endheaders(body)
            r = c.getresponse()
            return Response(r.status, r.headers, r.read())
        finally:
            if conn is None:
                c.close()

    def get(self, path, headers=(), **kw):
        return self.request("GET", path, headers, **kw)

    def post(self, path, body=None, headers=(), origin=DEFAULT, **kw):
        """POST with a same-origin Origin header unless origin=None (or another value)."""
        items = list(headers.items() if isinstance(headers, dict) else headers)
        if origin is not None:
            items.append(("Origin", self.origin if origin is DEFAULT else origin))
        return self.request("POST", path, items, body, **kw)

    def unlock(self, key=ACCESS_KEY, headers=()):
        """POST /api/access with the key; returns the Cookie header value to send back."""
        r = self.post("/api/access", {"access_key": key}, headers)
        if r.status != 200:
            raise AssertionError(f"unlock failed: {r!r}")
        return r.header("Set-Cookie").split(";", 1)[0]

    def raw(self, data, timeout=10):
        """Sends raw bytes and parses one response (the socket is then closed)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as s:
            s.sendall(data)
            return read_response(s)


def read_response(sock, method="GET"):
    r = http.client.HTTPResponse(sock, method=method)
    r.begin()
    return Response(r.status, r.headers, r.read())


class PanelCase(unittest.TestCase):
    """One panel per test class; subclasses set `env` or override `configure`."""

    env = {}
    args = ()
    panel = None

    @classmethod
    def configure(cls, tmp):
        """Extra environment for the class's panel; may create files under tmp."""
        return dict(cls.env)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        tmp = tempfile.TemporaryDirectory(prefix="panel-api-")
        cls.addClassCleanup(tmp.cleanup)
        cls.tmp = Path(tmp.name)
        cls.panel = Panel(cls.configure(cls.tmp), cls.args, tmp=cls.tmp).start()

    @classmethod
    def tearDownClass(cls):
        rc, err = cls.panel.stop()
        super().tearDownClass()
        if rc != 0 or "stopped cleanly" not in err:
            raise AssertionError(f"panel exit code {rc} after SIGTERM; stderr:\n{err}")

    def assertError(self, r, status, detail=None, code=None):
        """The §1.2 error envelope with the given status/detail/error_code."""
        self.assertEqual(r.status, status, r)
        self.assertEqual(r.header("Content-Type"), "application/json")
        body = r.json()
        self.assertEqual(set(body), ERROR_KEYS, body)
        self.assertEqual(body["status"], "error")
        if detail is not None:
            self.assertEqual(body["detail"], detail)
        self.assertEqual(body["message"], body["detail"])
        self.assertEqual(body["error"], body["detail"])
        if code is not None:
            self.assertEqual(body["error_code"], code)
        self.assertRegex(body["correlation_id"], r"^[0-9a-f]{32}$")
        self.assertEqual(r.header("X-Correlation-ID"), body["correlation_id"])
        self.assertEqual(r.header("Cache-Control"), "private, no-store")
        self.assertEqual(r.header("Vary"), "Cookie")
        return body


ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?\+00:00$")
