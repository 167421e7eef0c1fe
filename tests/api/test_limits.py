"""Pre-parse request body limits (spec §1.5)."""

import socket
import threading
import time
import unittest

from .panel import ACCESS_KEY, PanelCase, read_response

MIB = 1024 * 1024
TOO_LARGE = "Request body too large"


class LimitCase(PanelCase):
    def head(self, path, content_type, extra=""):
        ctype = f"Content-Type: {content_type}\r\n" if content_type else ""
        return (f"POST {path} HTTP/1.1\r\nHost: {self.panel.host}\r\nOrigin: {self.panel.origin}\r\n"
                f"{ctype}{extra}").encode()

    def exchange(self, head, body_chunks=(), timeout=10):
        """Sends the head, streams the body from a thread (errors ignored: the server may stop
        reading), and reads the response on the main thread."""
        sock = socket.create_connection(("127.0.0.1", self.panel.port), timeout=timeout)
        sock.sendall(head + b"\r\n")

        def pump():
            try:
                for chunk in body_chunks:
                    sock.sendall(chunk)
            except OSError:
                pass

        sender = threading.Thread(target=pump, daemon=True)
        sender.start()
        try:
            return read_response(sock, "POST")
        finally:
            sender.join(timeout)
            sock.close()

    def post_sized(self, path, content_type, size, fill=b"a"):
        head = self.head(path, content_type, f"Content-Length: {size}\r\n")
        return self.exchange(head, [fill * size])

    def post_chunked(self, path, content_type, size, chunk=64 * 1024):
        head = self.head(path, content_type, "Transfer-Encoding: chunked\r\n")
        chunks = []
        left = size
        while left > 0:
            n = min(chunk, left)
            chunks.append(b"%x\r\n" % n + b"a" * n + b"\r\n")
            left -= n
        chunks.append(b"0\r\n\r\n")
        return self.exchange(head, chunks)

    def headers_only(self, path, content_type, length):
        """Announces `length` bytes but sends none: the answer must come from the headers alone."""
        sock = socket.create_connection(("127.0.0.1", self.panel.port), timeout=5)
        try:
            sock.sendall(self.head(path, content_type, f"Content-Length: {length}\r\n") + b"\r\n")
            started = time.monotonic()
            r = read_response(sock, "POST")
            self.assertLess(time.monotonic() - started, 3)
            self.assertEqual(sock.recv(1), b"", "connection must close after an early 413")
            return r
        finally:
            sock.close()


class BodyLimits(LimitCase):
    env = {"ACCESS_KEY": ACCESS_KEY, "MAX_FILE_SIZE_MB": "1"}

    def test_json_over_the_limit_with_content_length(self):
        r = self.post_sized("/api/access", "application/json", MIB + 1)
        self.assertError(r, 413, TOO_LARGE, "request_too_large")
        self.assertEqual(r.header("Connection"), "close")

    def test_json_over_the_limit_chunked(self):
        self.assertError(self.post_chunked("/api/access", "application/json", MIB + 1), 413, TOO_LARGE)

    def test_non_json_over_the_file_limit(self):
        for ctype in ("application/octet-stream", "text/plain", None):
            with self.subTest(content_type=ctype):
                self.assertError(self.post_sized("/api/access", ctype, MIB + 1), 413, TOO_LARGE)
        self.assertError(self.post_chunked("/api/access", "application/octet-stream", MIB + 1), 413, TOO_LARGE)

    def test_limit_is_checked_before_the_body_is_read(self):
        for path, ctype in (("/api/access", "application/json"), ("/api/access", "image/png"),
                            ("/api/nonexistent", "application/json"), ("/api/import", "application/zip"),
                            ("/api/edits", "multipart/form-data; boundary=x")):
            with self.subTest(path=path):
                self.assertError(self.headers_only(path, ctype, 10 ** 12), 413, TOO_LARGE)

    def test_gate_rejects_before_the_body_is_read(self):
        # A request the gate refuses must not make the server wait for (and buffer) its body:
        # otherwise anyone can park MAX_FILE_SIZE_MB..IMPORT_ARCHIVE_MAX_MB of RAM per connection.
        cases = [("/api/import", "application/zip", 10 * MIB, self.panel.origin, 401, "Access key required"),
                 ("/api/access", "application/json", 512 * 1024, "https://evil.example", 403,
                  "CSRF origin check failed")]
        for path, ctype, length, origin, status, detail in cases:
            with self.subTest(path=path):
                sock = socket.create_connection(("127.0.0.1", self.panel.port), timeout=3)
                try:
                    sock.sendall((f"POST {path} HTTP/1.1\r\nHost: {self.panel.host}\r\nOrigin: {origin}\r\n"
                                  f"Content-Type: {ctype}\r\nContent-Length: {length}\r\n\r\n").encode())
                    try:
                        r = read_response(sock, "POST")
                    except TimeoutError:
                        self.fail(f"no answer without the body: the gate waited for {length} bytes")
                    self.assertError(r, status, detail)
                finally:
                    sock.close()

    def test_exactly_at_the_limit_is_accepted(self):
        body = b'{"access_key":"' + b"k" * (MIB - 17) + b'"}'
        self.assertEqual(len(body), MIB)
        r = self.exchange(self.head("/api/access", "application/json", f"Content-Length: {MIB}\r\n"), [body])
        self.assertError(r, 422, "access_key - String should have at most 4096 characters")
        r = self.post_chunked("/api/access", "application/octet-stream", MIB)
        self.assertError(r, 422, code="validation_error")

    def test_expect_100_continue(self):
        sock = socket.create_connection(("127.0.0.1", self.panel.port), timeout=5)
        try:
            body = b'{"access_key":"wrong-key"}'
            sock.sendall(self.head("/api/access", "application/json",
                                   f"Expect: 100-continue\r\nContent-Length: {len(body)}\r\n") + b"\r\n")
            interim = b""
            while not interim.endswith(b"\r\n\r\n"):
                interim += sock.recv(1)
            self.assertEqual(interim, b"HTTP/1.1 100 Continue\r\n\r\n")
            sock.sendall(body)
            self.assertError(read_response(sock, "POST"), 401, "Invalid access key")
        finally:
            sock.close()
        # Over the limit: the final 413 comes at once, with no 100 Continue.
        sock = socket.create_connection(("127.0.0.1", self.panel.port), timeout=5)
        try:
            sock.sendall(self.head("/api/access", "application/json",
                                   f"Expect: 100-continue\r\nContent-Length: {MIB + 1}\r\n") + b"\r\n")
            self.assertError(read_response(sock, "POST"), 413, TOO_LARGE)
        finally:
            sock.close()


class LimitClassification(LimitCase):
    # JSON 1 MiB, everything else 3 MiB; edits multipart 16*3+1 MiB; import 20*3 MiB + 64 KiB.
    env = {"ACCESS_KEY": ACCESS_KEY, "MAX_FILE_SIZE_MB": "3", "MAX_JSON_BODY_MB": "1"}

    def test_json_content_types_use_the_json_limit(self):
        for ctype in ("application/json", "Application/JSON; charset=utf-8", "application/merge-patch+json"):
            with self.subTest(content_type=ctype):
                self.assertError(self.headers_only("/api/access", ctype, MIB + 1), 413, TOO_LARGE)

    def test_other_types_use_the_file_limit(self):
        # Bodies over 1 MiB but under the limit are read and reach the handler.
        r = self.post_sized("/api/access", "application/octet-stream", 2 * MIB)
        self.assertError(r, 422, "body - JSON decode error")
        self.assertError(self.headers_only("/api/access", "application/octet-stream", 3 * MIB + 1), 413, TOO_LARGE)

    def test_edits_limits(self):
        self.assertError(self.headers_only("/api/edits", "application/json", MIB + 1), 413, TOO_LARGE)
        self.assertError(self.headers_only("/api/edits/from-gallery/x", "application/x-www-form-urlencoded",
                                           MIB + 1), 413, TOO_LARGE)
        ctype = "multipart/form-data; boundary=x"
        self.assertError(self.headers_only("/api/edits", ctype, 49 * MIB + 1), 413, TOO_LARGE)
        # Under the limit, the body is read and the request goes on to the gate (no cookie: 401).
        self.assertError(self.post_sized("/api/edits", ctype, 4 * MIB), 401, "Access key required")

    def test_import_limit(self):
        self.assertError(self.headers_only("/api/import", "application/zip", 60 * MIB + 64 * 1024 + 1), 413,
                         TOO_LARGE)
        r = self.post_sized("/api/import", "multipart/form-data; boundary=x", 4 * MIB)
        self.assertError(r, 401, "Access key required")


if __name__ == "__main__":
    unittest.main()
