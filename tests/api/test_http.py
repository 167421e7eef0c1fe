"""HTTP basics: /health, error envelope, 404/405, keep-alive, HEAD, pipelining, malformed input (spec §1)."""

import json
import re
import socket
import time
import unittest
from datetime import datetime, timezone

from .panel import ACCESS_KEY, ISO_UTC, PanelCase, mint_token, read_response


class HttpBasics(PanelCase):
    env = {"ACCESS_KEY": ACCESS_KEY}

    def cookie(self):
        return ("Cookie", "gpt_image_access=" + mint_token(ACCESS_KEY, time.time() + 600))

    def test_health(self):
        r = self.panel.get("/health?probe=1")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.header("Content-Type"), "application/json")
        body = r.json()
        self.assertEqual(set(body), {"status", "time"})
        self.assertEqual(body["status"], "ok")
        self.assertRegex(body["time"], ISO_UTC)
        delta = datetime.now(timezone.utc) - datetime.fromisoformat(body["time"])
        self.assertLess(abs(delta.total_seconds()), 5)

    def test_unknown_paths_are_404(self):
        origin = ("Origin", self.panel.origin)
        for method, path in (("GET", "/api/nope"), ("POST", "/api/nope"), ("DELETE", "/api/nope/x"),
                             ("GET", "/api/access/status/extra")):
            with self.subTest(method=method, path=path):
                r = self.panel.request(method, path, [origin, self.cookie()], b"{}" if method != "GET" else None)
                body = self.assertError(r, 404, code="not_found")
                self.assertIn(body["detail"], ("Not found", "Not Found"))

    def test_method_not_allowed_has_allow(self):
        origin = ("Origin", self.panel.origin)
        for method, path, allow in (("POST", "/api/version", "GET"), ("DELETE", "/api/access", "POST"),
                                    ("PUT", "/api/access/status", "GET"), ("POST", "/health", "GET"),
                                    ("PATCH", "/api/openapi.json", "GET"), ("POST", "/api/version/latest", "GET")):
            with self.subTest(method=method, path=path):
                r = self.panel.request(method, path, [origin, self.cookie()], b"{}")
                self.assertError(r, 405, "Method Not Allowed", "method_not_allowed")
                self.assertEqual(r.header("Allow"), allow)

    def test_error_ids_are_unique(self):
        ids = {self.panel.get("/api/version").json()["correlation_id"] for _ in range(5)}
        self.assertEqual(len(ids), 5)

    def test_keep_alive_reuses_one_connection(self):
        conn = self.panel.connect()
        try:
            r1 = self.panel.get("/health", conn=conn)
            sock = conn.sock
            self.assertIsNotNone(sock)
            r2 = self.panel.get("/api/version", conn=conn)  # an error does not close the connection
            r3 = self.panel.get("/api/version", [self.cookie()], conn=conn)
            r4 = self.panel.request("HEAD", "/health", conn=conn)
            r5 = self.panel.get("/health", conn=conn)
            self.assertIs(conn.sock, sock, "the server closed a keep-alive connection")
            self.assertEqual([r.status for r in (r1, r2, r3, r4, r5)], [200, 401, 200, 200, 200])
            self.assertEqual(r5.json()["status"], "ok")
        finally:
            conn.close()

    def test_head_returns_headers_without_body(self):
        get = self.panel.get("/health")
        with socket.create_connection(("127.0.0.1", self.panel.port), timeout=5) as s:
            s.sendall(f"HEAD /health HTTP/1.1\r\nHost: {self.panel.host}\r\n\r\n"
                      f"GET /health HTTP/1.1\r\nHost: {self.panel.host}\r\nConnection: close\r\n\r\n".encode())
            data = b""
            while chunk := s.recv(65536):
                data += chunk
        head, rest = data.split(b"\r\n\r\n", 1)
        self.assertTrue(head.startswith(b"HTTP/1.1 200 "), head)
        self.assertIn(b"Content-Type: application/json", head)
        self.assertIn(f"Content-Length: {len(get.body)}".encode(), head)
        # The next bytes are the GET's status line: the HEAD sent no body.
        self.assertTrue(rest.startswith(b"HTTP/1.1 200 "), rest[:80])
        self.assertEqual(json.loads(rest.split(b"\r\n\r\n", 1)[1])["status"], "ok")

    def test_pipelined_requests_are_answered_in_order(self):
        paths = ["/health", "/api/version", "/api/access/status"]
        raw = "".join(f"GET {p} HTTP/1.1\r\nHost: {self.panel.host}\r\n\r\n" for p in paths[:-1])
        raw += f"GET {paths[-1]} HTTP/1.1\r\nHost: {self.panel.host}\r\nConnection: close\r\n\r\n"
        data = b""
        with socket.create_connection(("127.0.0.1", self.panel.port), timeout=5) as s:
            s.sendall(raw.encode())
            while chunk := s.recv(65536):
                data += chunk
        statuses = re.findall(rb"HTTP/1\.1 (\d{3}) ", data)
        self.assertEqual(statuses, [b"200", b"401", b"200"])
        self.assertTrue(data.endswith(b'"expires_at":null}'), data[-80:])

    def test_connection_close_is_honoured(self):
        with socket.create_connection(("127.0.0.1", self.panel.port), timeout=5) as s:
            s.sendall(f"GET /health HTTP/1.1\r\nHost: {self.panel.host}\r\nConnection: close\r\n\r\n".encode())
            r = read_response(s)
            self.assertEqual(r.status, 200)
            self.assertEqual(r.header("Connection"), "close")
            self.assertEqual(s.recv(1), b"")

    def test_malformed_request_is_400(self):
        self.assertError(self.panel.raw(b"NOT A REQUEST\r\n\r\n"), 400, "Malformed HTTP request", "bad_request")
        self.assertError(self.panel.raw(b"GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"), 400)

    def test_oversized_headers_are_431(self):
        big = "a" * (40 * 1024)
        r = self.panel.raw(f"GET /health HTTP/1.1\r\nHost: {self.panel.host}\r\nX-Big: {big}\r\n\r\n".encode())
        self.assertError(r, 431, "Request header fields too large", "request_rejected")


if __name__ == "__main__":
    unittest.main()
