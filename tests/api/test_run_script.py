"""`make run`'s launcher (scripts/run.sh): a first start without configuration is
protected by a generated key that is kept (0600) and printed, and reused later."""

import json
import os
import re
import signal
import stat
import subprocess
import tempfile
import time
import unittest
import urllib.request
from pathlib import Path

from tests.api.panel import BIN, REPO, clean_env, free_port


class RunScript(unittest.TestCase):
    def start(self, tmp, port):
        env = clean_env({"DATA_DIR": f"{tmp}/data", "IMAGES_DIR": f"{tmp}/images", "PORT": port,
                         "BUILD_DIR": str(BIN.parent), "HOME": tmp})
        proc = subprocess.Popen(["bash", str(REPO / "scripts" / "run.sh")], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        key = None
        deadline = time.time() + 20
        while time.time() < deadline and key is None:
            line = proc.stdout.readline()
            if not line:
                break
            m = re.search(r"Access key:\s+(\S+)", line)
            if m:
                key = m.group(1)
        self.assertIsNotNone(key, "run.sh did not print an access key")
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        return proc, key

    def stop(self, proc):
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(timeout=15), 0)
        proc.stdout.close()
        proc.stderr.close()

    def unlock(self, port, key):
        req = urllib.request.Request(f"http://127.0.0.1:{port}/api/access", method="POST",
                                     data=json.dumps({"access_key": key}).encode(),
                                     headers={"Content-Type": "application/json",
                                              "Origin": f"http://127.0.0.1:{port}"})
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.status, r.headers.get("Set-Cookie")

    def test_first_start_generates_keeps_and_reuses_a_key(self):
        with tempfile.TemporaryDirectory(prefix="panel-run-") as tmp:
            port = free_port()
            proc, key = self.start(tmp, port)
            try:
                key_file = Path(tmp) / "data" / "access_key"
                self.assertEqual(key_file.read_text().strip(), key)
                self.assertEqual(stat.S_IMODE(os.stat(key_file).st_mode), 0o600)
                self.assertEqual(stat.S_IMODE(os.stat(Path(tmp) / "data").st_mode), 0o700)
                self.assertGreaterEqual(len(key), 32)
                status, cookie = self.unlock(port, key)
                self.assertEqual(status, 200)
                self.assertIn("gpt_image_access=", cookie)
                self.assertNotIn("Secure", cookie)  # plain-HTTP loopback
                with self.assertRaises(urllib.error.HTTPError) as locked:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/api/version", timeout=5)
                self.assertEqual(locked.exception.code, 401)
            finally:
                self.stop(proc)
            proc2, key2 = self.start(tmp, port)
            try:
                self.assertEqual(key2, key)
            finally:
                self.stop(proc2)


if __name__ == "__main__":
    unittest.main()
