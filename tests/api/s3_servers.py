"""Real S3 servers for the R2 backup tests, on loopback, speaking HTTPS with the shared test CA.

* S3rver: the npm package `s3rver` (tests/s3/package.json, installed with `npm ci` when
  missing). A real S3 implementation (listing, paging, XML errors); it does not check
  signatures beyond the access key ID "S3RVER".
* StandIn: tests/s3/sigv4_stand_in.py run by Debian's /usr/bin/python3 with python3-botocore.
  It checks every request's SigV4 signature with botocore's signer and refuses a mismatch
  with 403 SignatureDoesNotMatch; /__control/* drives its faults and shows its objects.

Both are reached as https://localhost:<port>, so the panel needs
R2_ENDPOINT_HOST_ALLOWLIST=localhost, PRIVATE_NETWORK_ALLOWLIST=127.0.0.1,localhost and
EXTRA_CA_FILE=<test CA> (see R2Case.panel_env).
"""

import base64
import datetime
import hashlib
import http.client
import json
import os
import re
import subprocess
import tempfile
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path

from .panel import REPO
from .upstream import certs, client_tls, wait_until

S3_DIR = REPO / "tests" / "s3"
SYSTEM_PYTHON = "/usr/bin/python3"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


def ensure_s3rver():
    """npm ci in tests/s3 when node_modules is missing or older than the lockfile."""
    marker = S3_DIR / "node_modules" / ".package-lock.json"
    lock = S3_DIR / "package-lock.json"
    if not marker.exists() or lock.stat().st_mtime > marker.stat().st_mtime:
        done = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=S3_DIR, capture_output=True, text=True,
                              timeout=300)
        if done.returncode != 0:
            raise RuntimeError(f"npm ci in {S3_DIR} failed:\n{done.stdout}\n{done.stderr}")
    return S3_DIR / "node_modules" / "s3rver" / "bin" / "s3rver.js"


class _Server:
    """Common process handling: output pumped to a list, stop() by pid."""

    def _pump(self, stream):
        for line in iter(stream.readline, b""):
            self.output.append(line.decode("utf-8", "replace"))

    def _start(self, argv, cwd=None):
        self.output = []
        self.proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        threading.Thread(target=self._pump, args=(self.proc.stdout,), daemon=True).start()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._tmp.cleanup()

    @property
    def endpoint(self):
        return f"https://localhost:{self.port}"

    def connect(self):
        return http.client.HTTPSConnection("localhost", self.port, context=client_tls(), timeout=20)


class StandIn(_Server):
    """The botocore-checked stand-in. Credentials STANDINKEY / stand-in-secret, region `auto`."""

    access_key = "STANDINKEY"
    secret_key = "stand-in-secret"
    region = "auto"

    def __init__(self, buckets=("backup",)):
        self._tmp = tempfile.TemporaryDirectory(prefix="panel-s3-standin-")
        d = Path(self._tmp.name)
        c = certs()
        argv = [SYSTEM_PYTHON, str(S3_DIR / "sigv4_stand_in.py"), "--port-file", str(d / "port"),
                "--cert", str(c / "server.crt"), "--key", str(c / "server.key"),
                "--access-key", self.access_key, "--secret-key", self.secret_key, "--region", self.region]
        for b in buckets:
            argv += ["--bucket", b]
        self._start(argv)
        wait_until(lambda: (d / "port").exists() or self.proc.poll() is not None, 30, what="stand-in port file")
        if self.proc.poll() is not None:
            raise RuntimeError("sigv4 stand-in exited:\n" + "".join(self.output))
        self.port = int((d / "port").read_text())

    def _control(self, method, path, body=None):
        c = self.connect()
        try:
            data = json.dumps(body).encode() if body is not None else None
            c.request(method, "/__control/" + path, body=data)
            r = c.getresponse()
            return json.loads(r.read() or b"null")
        finally:
            c.close()

    def objects(self, bucket="backup"):
        return {o["key"]: o for o in self._control("GET", "objects") if o["bucket"] == bucket}

    def log(self):
        return self._control("GET", "log")

    def faults(self, **faults):
        return self._control("POST", "faults", faults)

    def reset(self):
        return self._control("POST", "reset", {})

    def seed(self, items, bucket="backup"):
        """items: {key: bytes}"""
        return self._control("POST", "seed", [{"bucket": bucket, "key": k, "body_b64": base64.b64encode(v).decode()}
                                              for k, v in items.items()])


class S3rver(_Server):
    """s3rver 3.7.1 over HTTPS; access key and secret are both S3RVER."""

    access_key = "S3RVER"
    secret_key = "S3RVER"
    region = "us-east-1"

    def __init__(self, buckets=("backup",)):
        script = ensure_s3rver()
        self._tmp = tempfile.TemporaryDirectory(prefix="panel-s3rver-")
        d = Path(self._tmp.name)
        (d / "data").mkdir()
        c = certs()
        # s3rver encrypts its continuation tokens with DES, which OpenSSL 3 keeps in the legacy provider.
        argv = ["node", "--openssl-legacy-provider", str(script), "-d", str(d / "data"), "-a", "127.0.0.1", "-p", "0",
                "--key", str(c / "server.key"), "--cert", str(c / "server.crt"), "--no-vhost-buckets", "--silent"]
        for b in buckets:
            argv += ["--configure-bucket", b]
        self._start(argv, cwd=S3_DIR)
        pattern = re.compile(r"S3rver listening on [\d.]+:(\d+)")

        def listening():
            if self.proc.poll() is not None:
                return True
            return any(pattern.search(line) for line in self.output)

        wait_until(listening, 30, what="s3rver to listen")
        if self.proc.poll() is not None:
            raise RuntimeError("s3rver exited:\n" + "".join(self.output))
        self.port = int(next(pattern.search(line) for line in self.output if pattern.search(line)).group(1))

    def request(self, method, path, body=b"", headers=None, query=None):
        """A request s3rver accepts (it checks the key ID and the content hash, not the signature)."""
        now = datetime.datetime.utcnow().strftime("%Y%m%dT%H%M%SZ")
        h = {"x-amz-date": now, "x-amz-content-sha256": hashlib.sha256(body).hexdigest(),
             "Authorization": f"AWS4-HMAC-SHA256 Credential={self.access_key}/{now[:8]}/{self.region}/s3/"
                              "aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=00"}
        h.update(headers or {})
        target = urllib.parse.quote(path) + ("?" + urllib.parse.urlencode(query) if query else "")
        c = self.connect()
        try:
            c.request(method, target, body=body or None, headers=h)
            r = c.getresponse()
            return r.status, dict(r.getheaders()), r.read()
        finally:
            c.close()

    def put(self, key, data, bucket="backup", content_type="application/octet-stream"):
        status, _, body = self.request("PUT", f"/{bucket}/{key}", data, {"Content-Type": content_type})
        if status != 200:
            raise AssertionError(f"s3rver PUT {key}: {status} {body[:200]!r}")

    def objects(self, bucket="backup", prefix=""):
        """{key: {"size", "etag"}} of the whole listing (all pages)."""
        out, token = {}, None
        while True:
            q = {"list-type": "2", "prefix": prefix}
            if token:
                q["continuation-token"] = token
            status, _, body = self.request("GET", f"/{bucket}", query=q)
            if status != 200:
                raise AssertionError(f"s3rver list: {status} {body[:200]!r}")
            root = ET.fromstring(body)
            # s3rver's namespace differs from AWS's; match on local names.
            ns = root.tag[:root.tag.index("}") + 1] if root.tag.startswith("{") else ""
            for c in root.iter(ns + "Contents"):
                out[c.find(ns + "Key").text] = {"size": int(c.find(ns + "Size").text),
                                                "etag": c.find(ns + "ETag").text.strip('"')}
            if root.findtext(ns + "IsTruncated") != "true":
                return out
            token = root.findtext(ns + "NextContinuationToken")

    def put_many(self, items, bucket="backup", connections=4):
        """{key: bytes}, over a few keep-alive connections in parallel."""
        keys = list(items)
        errors = []
        threads = [threading.Thread(target=self._put_some, args=({k: items[k] for k in keys[i::connections]},
                                                                  bucket, errors))
                   for i in range(connections)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            raise AssertionError(errors[0])

    def _put_some(self, items, bucket, errors):
        try:
            self._put_serial(items, bucket)
        except Exception as e:  # reported by put_many
            errors.append(repr(e))

    def _put_serial(self, items, bucket):
        c = self.connect()
        try:
            for key, data in items.items():
                now = datetime.datetime.utcnow().strftime("%Y%m%dT%H%M%SZ")
                h = {"x-amz-date": now, "x-amz-content-sha256": hashlib.sha256(data).hexdigest(),
                     "Authorization": f"AWS4-HMAC-SHA256 Credential={self.access_key}/{now[:8]}/{self.region}/"
                                      "s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=00"}
                c.request("PUT", urllib.parse.quote(f"/{bucket}/{key}"), body=data, headers=h)
                r = c.getresponse()
                r.read()
                if r.status != 200:
                    raise AssertionError(f"s3rver PUT {key}: {r.status}")
        finally:
            c.close()

    def head(self, key, bucket="backup"):
        status, headers, _ = self.request("HEAD", f"/{bucket}/{key}")
        return status, {k.lower(): v for k, v in headers.items()}

    def get(self, key, bucket="backup"):
        status, _, body = self.request("GET", f"/{bucket}/{key}")
        return status, body


def r2_env(server, bucket="backup", prefix="gallery/", enabled=True, env_settings=True):
    """The panel environment for `server`: allowlists, the test CA, and either the R2_* settings
    with env-ref credentials (`env_settings`, the env-only configuration of §11.1) or only the
    credentials, as S3_TEST_ACCESS_KEY / S3_TEST_SECRET_KEY for settings stored in SQLite."""
    env = {
        "R2_ENDPOINT_HOST_ALLOWLIST": "localhost",
        # ::1 too, for hosts whose localhost also resolves to IPv6 (every resolved address is checked).
        "PRIVATE_NETWORK_ALLOWLIST": "127.0.0.1,::1,localhost",
        "EXTRA_CA_FILE": str(certs() / "ca.crt"),
    }
    if not env_settings:
        env.update({"S3_TEST_ACCESS_KEY": server.access_key, "S3_TEST_SECRET_KEY": server.secret_key})
        return env
    env.update({
        "R2_BACKUP_ENABLED": "true" if enabled else "false",
        "R2_ENDPOINT_URL": server.endpoint,
        "R2_BUCKET_NAME": bucket,
        "R2_REGION": server.region,
        "R2_KEY_PREFIX": prefix,
        "R2_ACCESS_KEY_ID": server.access_key,
        "R2_SECRET_ACCESS_KEY": server.secret_key,
    })
    return env
