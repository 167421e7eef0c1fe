#!/usr/bin/python3
"""Black-box tests of bench/mock_upstream (the mock OpenAI-compatible image API).

Standard library only. Run with /usr/bin/python3; the binary comes from
$MOCK_UPSTREAM_BIN (default <repo>/build/mock-upstream).
"""
import base64
import hashlib
import http.client
import json
import os
import socket
import ssl
import struct
import subprocess
import tempfile
import time
import unittest
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("MOCK_UPSTREAM_BIN", REPO / "build" / "mock-upstream"))
AUTH = {"Authorization": "Bearer test-key"}

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class MockProcess:
    """One running mock-upstream; the port comes from --port-file."""

    def __init__(self, workdir, *args):
        stem = Path(workdir) / f"mock-{time.monotonic_ns()}"
        self.port_file = stem.with_suffix(".port")
        # stderr goes to a file: a pipe nobody reads could fill up under --log.
        self.stderr_path = stem.with_suffix(".stderr")
        self.stderr_file = open(self.stderr_path, "w")
        self.proc = subprocess.Popen([str(BIN), "--port", "0", "--port-file", str(self.port_file), *args],
                                     stdout=subprocess.PIPE, stderr=self.stderr_file, text=True)
        deadline = time.monotonic() + 15
        while not self.port_file.exists():
            if self.proc.poll() is not None:
                raise RuntimeError("mock-upstream exited: " + self.stderr_path.read_text())
            if time.monotonic() > deadline:
                self.proc.kill()
                raise RuntimeError("mock-upstream did not write its port file")
            time.sleep(0.02)
        self.port = int(self.port_file.read_text().strip())
        self.banner = self.proc.stdout.readline().strip()

    def stop(self):
        """Stops the mock; raises if it did not exit cleanly or a sanitizer complained."""
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()
        self.stderr_file.close()
        stderr = self.stderr_path.read_text()
        if self.proc.returncode != 0 or "Sanitizer" in stderr:
            raise AssertionError(f"mock-upstream exit {self.proc.returncode}: {stderr[-4000:]}")


WORK = None
CERTS = None
MOCK = None
TLS = None


def setUpModule():
    global WORK, CERTS, MOCK, TLS
    if not BIN.exists():
        # A missing binary is a failure, not a skip: a green run must mean tested.
        raise RuntimeError(f"{BIN} not found; build the mock-upstream target or set MOCK_UPSTREAM_BIN")
    WORK = tempfile.TemporaryDirectory(prefix="mock-upstream-test-")
    CERTS = Path(WORK.name) / "certs"
    subprocess.run([str(REPO / "scripts" / "make-test-certs.sh"), str(CERTS)], check=True)
    TLS = ssl.create_default_context(cafile=str(CERTS / "ca.crt"))
    MOCK = MockProcess(WORK.name, "--tls-cert", str(CERTS / "server.crt"), "--tls-key", str(CERTS / "server.key"),
                       "--threads", "2")


def tearDownModule():
    try:
        if MOCK:
            MOCK.stop()
    finally:
        if WORK:
            WORK.cleanup()


def connect(timeout=30, host="127.0.0.1"):
    return http.client.HTTPSConnection(host, MOCK.port, context=TLS, timeout=timeout)


def call(method, path, body=None, headers=None, auth=True, timeout=30, conn=None):
    """One request; returns (status, lower-cased headers, body bytes)."""
    hdrs = dict(AUTH) if auth else {}
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode()
        hdrs["Content-Type"] = "application/json"
    hdrs.update(headers or {})
    own = conn is None
    conn = conn or connect(timeout)
    try:
        conn.request(method, path, body=body, headers=hdrs)
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
    finally:
        if own:
            conn.close()


def call_json(method, path, body=None, **kw):
    status, headers, data = call(method, path, body, **kw)
    return status, headers, json.loads(data)


def generate(prompt="a red fox", **fields):
    return call_json("POST", "/v1/images/generations", {"model": "gpt-image-1", "prompt": prompt, **fields})


def png_size(data):
    assert data[:8] == PNG_MAGIC, data[:8]
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def jpeg_size(data):
    assert data[:3] == b"\xff\xd8\xff", data[:3]
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            raise AssertionError("bad JPEG marker")
        marker = data[i + 1]
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            h, w = struct.unpack(">HH", data[i + 5:i + 9])
            return w, h
        i += 2 + length
    raise AssertionError("no SOF marker")


def webp_size(data):
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP", data[:12]
    chunk = data[12:16]
    if chunk == b"VP8 ":
        assert data[23:26] == b"\x9d\x01\x2a"
        w, h = struct.unpack("<HH", data[26:30])
        return w & 0x3FFF, h & 0x3FFF
    if chunk == b"VP8L":
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X":
        return int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1
    raise AssertionError(f"unknown WebP chunk {chunk!r}")


def fetch_url(url, method="GET"):
    parsed = urllib.parse.urlsplit(url)
    conn = http.client.HTTPSConnection(parsed.hostname, parsed.port, context=TLS, timeout=30)
    try:
        conn.request(method, parsed.path)
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def stats():
    return call_json("GET", "/mock/stats", auth=False)[2]


def reset():
    status, _, body = call_json("POST", "/mock/reset", b"", auth=False)
    assert status == 200 and body == {"ok": True}


def multipart(parts, boundary="----mockboundary7MA4YWxkTrZu0gW"):
    """parts: list of (name, value) or (name, filename, content_type, bytes)."""
    out = []
    for part in parts:
        out.append(f"--{boundary}\r\n".encode())
        if len(part) == 2:
            out.append(f'Content-Disposition: form-data; name="{part[0]}"\r\n\r\n'.encode())
            out.append(str(part[1]).encode())
        else:
            name, filename, ctype, data = part
            out.append(f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'.encode())
            out.append(f"Content-Type: {ctype}\r\n\r\n".encode())
            out.append(data)
        out.append(b"\r\n")
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out), f"multipart/form-data; boundary={boundary}"


def sse_events(body):
    """data: payloads of a text/event-stream body, in order."""
    events = []
    for block in body.decode().split("\n\n"):
        lines = [ln[5:].strip() for ln in block.split("\n") if ln.startswith("data:")]
        if lines:
            events.append("\n".join(lines))
    return events


class StartupTest(unittest.TestCase):
    def test_banner_names_scheme_host_and_port(self):
        self.assertEqual(MOCK.banner, f"listening on https://127.0.0.1:{MOCK.port}")

    def test_help_and_bad_flag(self):
        help_run = subprocess.run([str(BIN), "--help"], capture_output=True, text=True, timeout=10)
        self.assertEqual(help_run.returncode, 0)
        self.assertIn("--fail-rate", help_run.stdout)
        bad = subprocess.run([str(BIN), "--no-such-flag"], capture_output=True, text=True, timeout=10)
        self.assertEqual(bad.returncode, 2)
        self.assertIn("unknown flag", bad.stderr)
        half_tls = subprocess.run([str(BIN), "--tls-cert", "x.crt"], capture_output=True, text=True, timeout=10)
        self.assertEqual(half_tls.returncode, 2)


class GenerationsTest(unittest.TestCase):
    def test_b64_png_has_requested_size_and_openai_shape(self):
        status, headers, body = generate("a lighthouse", size="320x200", n=1, output_format="png")
        self.assertEqual(status, 200)
        self.assertTrue(headers["content-type"].startswith("application/json"))
        self.assertIsInstance(body["created"], int)
        self.assertEqual(len(body["data"]), 1)
        item = body["data"][0]
        self.assertEqual(item["revised_prompt"], "a lighthouse")
        self.assertEqual(png_size(base64.b64decode(item["b64_json"])), (320, 200))
        self.assertEqual(body["size"], "320x200")
        self.assertEqual(body["output_format"], "png")
        usage = body["usage"]
        self.assertEqual(usage["total_tokens"], usage["input_tokens"] + usage["output_tokens"])
        self.assertIn("text_tokens", usage["input_tokens_details"])

    def test_auto_size_is_1024_square(self):
        status, _, body = generate("auto sized", size="auto")
        self.assertEqual(status, 200)
        self.assertEqual(png_size(base64.b64decode(body["data"][0]["b64_json"])), (1024, 1024))

    def test_n_returns_n_distinct_images(self):
        status, _, body = generate("three cats", size="64x64", n=3)
        self.assertEqual(status, 200)
        images = [base64.b64decode(d["b64_json"]) for d in body["data"]]
        self.assertEqual(len(images), 3)
        for img in images:
            self.assertEqual(png_size(img), (64, 64))
        self.assertEqual(len(set(images)), 3)

    def test_jpeg_and_webp_outputs(self):
        status, _, body = generate("jpeg please", size="256x128", output_format="jpeg", output_compression=80)
        self.assertEqual(status, 200)
        self.assertEqual(jpeg_size(base64.b64decode(body["data"][0]["b64_json"])), (256, 128))
        status, _, body = generate("webp please", size="200x120", output_format="webp", output_compression=70)
        self.assertEqual(status, 200)
        self.assertEqual(webp_size(base64.b64decode(body["data"][0]["b64_json"])), (200, 120))
        self.assertEqual(body["output_format"], "webp")

    def test_prompt_decides_the_picture(self):
        a1 = generate("prompt A", size="64x64")[2]["data"][0]["b64_json"]
        a2 = generate("prompt A", size="64x64")[2]["data"][0]["b64_json"]
        b = generate("prompt B", size="64x64")[2]["data"][0]["b64_json"]
        self.assertEqual(a1, a2)
        self.assertNotEqual(a1, b)

    def test_url_result_is_served_under_files(self):
        status, _, body = generate("url please", size="96x48", response_format="url")
        self.assertEqual(status, 200)
        url = body["data"][0]["url"]
        self.assertNotIn("b64_json", body["data"][0])
        self.assertTrue(url.startswith(f"https://127.0.0.1:{MOCK.port}/files/"), url)
        self.assertTrue(url.endswith(".png"))
        status, headers, data = fetch_url(url)
        self.assertEqual(status, 200)
        self.assertEqual(headers["content-type"], "image/png")
        self.assertEqual(int(headers["content-length"]), len(data))
        self.assertEqual(png_size(data), (96, 48))
        status, headers, data = fetch_url(url, "HEAD")
        self.assertEqual(status, 200)
        self.assertEqual(data, b"")
        self.assertGreater(int(headers["content-length"]), 0)
        self.assertEqual(fetch_url(url.rsplit("/", 1)[0] + "/img_missing.png")[0], 404)

    def test_url_host_follows_the_host_header(self):
        conn = connect(host="localhost")
        status, _, data = call("POST", "/v1/images/generations",
                               {"prompt": "host", "size": "32x32", "response_format": "url"}, conn=conn)
        conn.close()
        self.assertEqual(status, 200)
        self.assertTrue(json.loads(data)["data"][0]["url"].startswith(f"https://localhost:{MOCK.port}/files/"))

    def test_any_prefix_ending_in_the_real_path(self):
        for path in ("/v1/images/generations", "/openai/v1/images/generations", "/images/generations"):
            status, _, body = call_json("POST", path, {"prompt": "prefix", "size": "32x32"})
            self.assertEqual(status, 200, path)
            self.assertEqual(len(body["data"]), 1)
        status, _, body = call_json("POST", "/v1/images/nothing", {"prompt": "x"})
        self.assertEqual(status, 404)
        self.assertIn("Invalid URL", body["error"]["message"])

    def test_validation_errors_are_openai_shaped(self):
        cases = [({"prompt": "x", "size": "12x9999"}, "size"), ({"size": "64x64"}, "prompt"),
                 ({"prompt": "x", "n": 0}, "n"), ({"prompt": "x", "output_format": "gif"}, "output_format"),
                 ({"prompt": "x", "response_format": "blob"}, "response_format")]
        for payload, param in cases:
            status, _, body = call_json("POST", "/v1/images/generations", payload)
            self.assertEqual(status, 400, payload)
            self.assertEqual(body["error"]["param"], param)
            self.assertEqual(body["error"]["type"], "invalid_request_error")
        status, _, body = call_json("POST", "/v1/images/generations", b"{not json", headers={"Content-Type": "application/json"})
        self.assertEqual(status, 400)
        self.assertIn("parse the JSON body", body["error"]["message"])

    def test_wrong_method_is_405(self):
        status, headers, _ = call("GET", "/v1/images/generations")
        self.assertEqual(status, 405)
        self.assertIn("POST", headers["allow"])


class AuthTest(unittest.TestCase):
    EXPECTED = {"error": {"message": "Missing bearer authentication in header", "type": "invalid_request_error",
                          "code": None, "param": None}}

    def test_missing_or_empty_bearer_is_401(self):
        for headers in ({}, {"Authorization": "Bearer "}, {"Authorization": "Basic dXNlcjpwdw=="}):
            status, _, body = call_json("POST", "/v1/images/generations", {"prompt": "x"}, auth=False,
                                        headers=headers)
            self.assertEqual(status, 401, headers)
            self.assertEqual(body, self.EXPECTED)

    def test_every_api_path_needs_it(self):
        for path in ("/v1/images/edits", "/v1/responses", "/v1/chat/completions"):
            self.assertEqual(call("POST", path, {"prompt": "x"}, auth=False)[0], 401, path)
        self.assertEqual(call("GET", "/v1/models", auth=False)[0], 401)
        self.assertEqual(call("GET", "/v1/models", headers={"Authorization": "bearer lower-case-ok"},
                              auth=False)[0], 200)


def tiny_png():
    status, _, body = generate("edit source", size="16x16")
    assert status == 200
    return base64.b64decode(body["data"][0]["b64_json"])


class EditsTest(unittest.TestCase):
    def test_two_image_parts_with_filenames(self):
        reset()
        src = tiny_png()
        body, ctype = multipart([("image[]", "first.png", "image/png", src),
                                 ("image[]", "second.png", "image/png", src + b"x"),
                                 ("model", "gpt-image-1"), ("prompt", "merge them"), ("size", "128x64"),
                                 ("n", "2"), ("quality", "high"), ("output_format", "png")])
        status, _, data = call("POST", "/v1/images/edits", body, headers={"Content-Type": ctype})
        self.assertEqual(status, 200, data[:300])
        result = json.loads(data)
        self.assertEqual(len(result["data"]), 2)
        for item in result["data"]:
            self.assertEqual(png_size(base64.b64decode(item["b64_json"])), (128, 64))
        last = stats()["last_request"]
        self.assertEqual(last["endpoint"], "images/edits")
        files = last["body"]["files"]
        self.assertEqual([(f["field"], f["filename"], f["content_type"]) for f in files],
                         [("image[]", "first.png", "image/png"), ("image[]", "second.png", "image/png")])
        self.assertEqual(files[0]["bytes"], len(src))
        self.assertEqual(files[1]["bytes"], len(src) + 1)
        self.assertEqual(last["body"]["fields"]["prompt"], "merge them")
        self.assertEqual(last["body"]["fields"]["n"], "2")
        self.assertEqual(last["prompt"], "merge them")

    def test_single_image_part_with_mask_and_url_result(self):
        src = tiny_png()
        body, ctype = multipart([("image", "only.png", "image/png", src), ("mask", "mask.png", "image/png", src),
                                 ("prompt", "one"), ("size", "48x48"), ("response_format", "url"),
                                 ("output_format", "jpeg"), ("output_compression", "60")])
        status, _, data = call("POST", "/v1/images/edits", body, headers={"Content-Type": ctype})
        self.assertEqual(status, 200, data[:300])
        url = json.loads(data)["data"][0]["url"]
        self.assertTrue(url.endswith(".jpg"))
        status, headers, img = fetch_url(url)
        self.assertEqual(headers["content-type"], "image/jpeg")
        self.assertEqual(jpeg_size(img), (48, 48))

    def test_different_sources_give_different_results(self):
        a, b = tiny_png(), generate("another source", size="16x16")[2]["data"][0]["b64_json"]
        outs = []
        for src in (a, base64.b64decode(b)):
            body, ctype = multipart([("image", "s.png", "image/png", src), ("prompt", "same"), ("size", "32x32")])
            outs.append(json.loads(call("POST", "/v1/images/edits", body, headers={"Content-Type": ctype})[2]))
        self.assertNotEqual(outs[0]["data"][0]["b64_json"], outs[1]["data"][0]["b64_json"])

    def test_no_image_part_is_400(self):
        body, ctype = multipart([("prompt", "nothing to edit"), ("model", "gpt-image-1")])
        status, _, data = call("POST", "/v1/images/edits", body, headers={"Content-Type": ctype})
        self.assertEqual(status, 400)
        err = json.loads(data)["error"]
        self.assertEqual(err["param"], "image")
        self.assertEqual(err["type"], "invalid_request_error")
        self.assertIn("image", err["message"])

    def test_not_multipart_is_400(self):
        status, _, body = call_json("POST", "/v1/images/edits", {"prompt": "json is wrong here"})
        self.assertEqual(status, 400)
        self.assertIn("multipart/form-data", body["error"]["message"])

    def test_quoted_boundary_and_unterminated_body(self):
        src = tiny_png()
        body, _ = multipart([("image", "q.png", "image/png", src), ("prompt", "quoted"), ("size", "16x16")],
                            boundary="b o u n d")
        status, _, _ = call("POST", "/v1/images/edits", body,
                            headers={"Content-Type": 'multipart/form-data; boundary="b o u n d"'})
        self.assertEqual(status, 200)
        status, _, data = call("POST", "/v1/images/edits", body[:-20],
                               headers={"Content-Type": 'multipart/form-data; boundary="b o u n d"'})
        self.assertEqual(status, 400)
        self.assertIn("multipart", json.loads(data)["error"]["message"])

    def test_expect_100_continue_is_answered_before_the_body(self):
        body, ctype = multipart([("image", "e.png", "image/png", tiny_png()), ("prompt", "expect"),
                                 ("size", "16x16")])
        raw = socket.create_connection(("127.0.0.1", MOCK.port), timeout=10)
        sock = TLS.wrap_socket(raw, server_hostname="127.0.0.1")
        try:
            head = (f"POST /v1/images/edits HTTP/1.1\r\nHost: 127.0.0.1:{MOCK.port}\r\n"
                    f"Authorization: Bearer k\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n"
                    "Expect: 100-continue\r\nConnection: close\r\n\r\n")
            sock.sendall(head.encode())
            interim = sock.recv(64)
            self.assertTrue(interim.startswith(b"HTTP/1.1 100 Continue"), interim)
            sock.sendall(body)
            rest = b""
            while chunk := sock.recv(65536):
                rest += chunk
            self.assertIn(b"HTTP/1.1 200 OK", rest)
        finally:
            sock.close()


class ResponsesTest(unittest.TestCase):
    def test_panel_shaped_request(self):
        status, _, body = call_json("POST", "/v1/responses", {"prompt": "a teapot", "model": "gpt-5.4"})
        self.assertEqual(status, 200)
        self.assertEqual(body["object"], "response")
        self.assertEqual(body["status"], "completed")
        self.assertEqual(body["model"], "gpt-5.4")
        calls = [o for o in body["output"] if o["type"] == "image_generation_call"]
        messages = [o for o in body["output"] if o["type"] == "message"]
        self.assertEqual(len(calls), 1)
        self.assertEqual(len(messages), 1)
        self.assertEqual(calls[0]["status"], "completed")
        self.assertTrue(calls[0]["id"].startswith("ig_"))
        self.assertEqual(png_size(base64.b64decode(calls[0]["result"])), (1024, 1024))
        self.assertEqual(messages[0]["content"][0]["type"], "output_text")

    def test_official_input_and_tool_options(self):
        payload = {"model": "gpt-4.1", "input": [{"role": "user", "content": [
            {"type": "input_text", "text": "a kite"}]}],
            "tools": [{"type": "image_generation", "size": "160x96", "output_format": "webp"}]}
        status, _, body = call_json("POST", "/v1/responses", payload)
        self.assertEqual(status, 200)
        result = [o for o in body["output"] if o["type"] == "image_generation_call"][0]
        self.assertEqual(result["output_format"], "webp")
        self.assertEqual(webp_size(base64.b64decode(result["result"])), (160, 96))
        self.assertEqual(result["revised_prompt"], "a kite")

    def test_url_result_and_count_markers(self):
        status, _, body = call_json("POST", "/v1/responses",
                                    {"model": "m", "input": "two [mock:count=2][mock:result=url][mock:size=40x40]"})
        self.assertEqual(status, 200)
        results = [o["result"] for o in body["output"] if o["type"] == "image_generation_call"]
        self.assertEqual(len(results), 2)
        for url in results:
            self.assertEqual(png_size(fetch_url(url)[2]), (40, 40))

    def test_missing_input_is_400(self):
        status, _, body = call_json("POST", "/v1/responses", {"model": "m"})
        self.assertEqual(status, 400)
        self.assertEqual(body["error"]["param"], "input")


LINK = "![image](https://127.0.0.1:{port}/files/"


class ChatTest(unittest.TestCase):
    def chat(self, content, stream=False, headers=None):
        return call("POST", "/v1/chat/completions",
                    {"model": "gpt-4o", "messages": [{"role": "user", "content": content}], "stream": stream},
                    headers=headers)

    def link_target(self, text):
        start = text.index("![image](") + len("![image](")
        return text[start:text.index(")", start)]

    def test_json_completion_with_markdown_link(self):
        status, headers, data = self.chat("draw a boat")
        self.assertEqual(status, 200)
        self.assertTrue(headers["content-type"].startswith("application/json"))
        body = json.loads(data)
        self.assertEqual(body["object"], "chat.completion")
        message = body["choices"][0]["message"]
        self.assertEqual(message["role"], "assistant")
        self.assertIn(LINK.format(port=MOCK.port), message["content"])
        self.assertEqual(body["choices"][0]["finish_reason"], "stop")
        url = self.link_target(message["content"])
        self.assertTrue(url.endswith(".png"))
        self.assertEqual(png_size(fetch_url(url)[2]), (1024, 1024))

    def check_sse(self, status, headers, data):
        self.assertEqual(status, 200)
        self.assertTrue(headers["content-type"].startswith("text/event-stream"))
        self.assertEqual(headers.get("transfer-encoding"), "chunked")
        events = sse_events(data)
        self.assertEqual(events[-1], "[DONE]")
        chunks = [json.loads(e) for e in events[:-1]]
        self.assertTrue(all(c["object"] == "chat.completion.chunk" for c in chunks))
        self.assertGreater(len(chunks), 3)
        text = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks)
        self.assertIn(LINK.format(port=MOCK.port), text)
        # The link is split over several deltas, so a client must concatenate them.
        self.assertFalse(any(LINK.format(port=MOCK.port) in (c["choices"][0]["delta"].get("content") or "")
                             for c in chunks))
        self.assertEqual(chunks[-1]["choices"][0]["finish_reason"], "stop")
        return text

    def test_stream_true_gives_sse(self):
        self.check_sse(*self.chat("stream a boat", stream=True))

    def test_sse_header_forces_stream(self):
        text = self.check_sse(*self.chat("header boat", headers={"X-Mock-Chat-SSE": "1"}))
        self.assertEqual(png_size(fetch_url(self.link_target(text))[2]), (1024, 1024))

    def test_data_url_and_format_markers(self):
        status, _, data = self.chat("inline [mock:chat=dataurl][mock:size=24x24]")
        content = json.loads(data)["choices"][0]["message"]["content"]
        prefix = "![image](data:image/png;base64,"
        self.assertIn(prefix, content)
        b64 = content[content.index(prefix) + len(prefix):content.rindex(")")]
        self.assertEqual(png_size(base64.b64decode(b64)), (24, 24))
        status, _, data = self.chat("jpeg link [mock:format=jpeg][mock:size=24x24]")
        url = self.link_target(json.loads(data)["choices"][0]["message"]["content"])
        self.assertTrue(url.endswith(".jpg"))
        self.assertEqual(jpeg_size(fetch_url(url)[2]), (24, 24))

    def test_missing_messages_is_400(self):
        status, _, body = call_json("POST", "/v1/chat/completions", {"model": "m"})
        self.assertEqual(status, 400)
        self.assertEqual(body["error"]["param"], "messages")


class ModelsAndProbeTest(unittest.TestCase):
    def tearDown(self):
        reset()

    def test_models_list(self):
        status, _, body = call_json("GET", "/v1/models")
        self.assertEqual(status, 200)
        self.assertEqual(body["object"], "list")
        ids = {m["id"] for m in body["data"]}
        self.assertIn("gpt-image-1", ids)
        self.assertTrue(all(m["object"] == "model" for m in body["data"]))

    def test_options_probe_needs_no_key(self):
        for path in ("/v1/images/generations", "/v1/models", "/v1/chat/completions"):
            status, headers, data = call("OPTIONS", path, auth=False)
            self.assertEqual(status, 204, path)
            self.assertEqual(data, b"")
            self.assertIn("OPTIONS", headers["allow"])

    def test_head_probe(self):
        status, headers, _ = call("HEAD", "/v1/images/generations")
        self.assertEqual(status, 405)
        self.assertIn("POST", headers["allow"])
        self.assertEqual(call("HEAD", "/v1/images/generations", auth=False)[0], 401)
        self.assertEqual(call("HEAD", "/v1/models")[0], 200)

    def test_probe_statuses_can_be_forced(self):
        status, _, cfg = call_json("POST", "/mock/config", {"options_status": 404, "head_status": 503}, auth=False)
        self.assertEqual(status, 200)
        self.assertEqual(cfg["options_status"], 404)
        self.assertEqual(call("OPTIONS", "/v1/images/generations", auth=False)[0], 404)
        self.assertEqual(call("HEAD", "/v1/images/generations")[0], 503)
        reset()
        self.assertEqual(call("OPTIONS", "/v1/images/generations", auth=False)[0], 204)
        # Interim (1xx) statuses would break HTTP framing, so they are ignored.
        self.assertEqual(call_json("POST", "/mock/config", {"options_status": 100}, auth=False)[2]["options_status"], 0)
        self.assertEqual(call("OPTIONS", "/v1/images/generations", auth=False)[0], 204)


class MarkersTest(unittest.TestCase):
    def setUp(self):
        reset()

    def test_status_marker(self):
        for code, etype, ecode in ((503, "server_error", "service_unavailable"),
                                   (429, "requests", "rate_limit_exceeded"), (400, "invalid_request_error", None)):
            status, headers, body = generate(f"fail [mock:status={code}]")
            self.assertEqual(status, code)
            self.assertEqual(body["error"]["type"], etype)
            if ecode:
                self.assertEqual(body["error"]["code"], ecode)
            self.assertIsNone(body["error"]["param"])
            self.assertIn(str(code), body["error"]["message"])
        self.assertEqual(headers.get("retry-after"), None)
        self.assertEqual(generate("[mock:status=429]")[1]["retry-after"], "1")

    def test_interim_status_marker_is_ignored(self):
        self.assertEqual(generate("x [mock:status=101]", size="16x16")[0], 200)

    def test_error_message_marker(self):
        status, _, body = call_json("POST", "/v1/chat/completions", {"model": "m", "messages": [
            {"role": "user", "content": "x [mock:status=404][mock:error-message=This endpoint is not supported]"}]})
        self.assertEqual(status, 404)
        self.assertEqual(body["error"]["message"], "This endpoint is not supported")

    def test_header_markers(self):
        status, _, body = call_json("POST", "/v1/images/generations", {"prompt": "plain prompt"},
                                    headers={"X-Mock-Status": "502"})
        self.assertEqual(status, 502)
        self.assertEqual(body["error"]["code"], "bad_gateway")
        started = time.monotonic()
        status, headers, data = call("POST", "/v1/images/generations", {"prompt": "plain", "size": "16x16"},
                                     headers={"X-Mock-Delay-Ms": "300", "X-Mock-Text-Plain": "1"})
        self.assertEqual(status, 200)
        self.assertGreaterEqual(time.monotonic() - started, 0.3)
        self.assertTrue(headers["content-type"].startswith("text/plain"))

    def test_delay_marker(self):
        started = time.monotonic()
        status, _, _ = generate("slow [mock:delay=400]", size="16x16")
        self.assertEqual(status, 200)
        self.assertGreaterEqual(time.monotonic() - started, 0.4)

    def test_timeout_marker_holds_the_connection(self):
        started = time.monotonic()
        with self.assertRaises((TimeoutError, socket.timeout)):
            generate_with_timeout = call("POST", "/v1/images/generations", {"prompt": "hang [mock:timeout]"},
                                         timeout=1.0)
            self.fail(f"got an answer: {generate_with_timeout[0]}")
        self.assertGreaterEqual(time.monotonic() - started, 0.9)
        self.assertEqual(stats()["last_request"]["outcome"], "timeout")

    def test_close_marker_drops_the_connection(self):
        with self.assertRaises((http.client.RemoteDisconnected, ConnectionError, ssl.SSLError)):
            generate("drop [mock:close]")

    def test_malformed_marker(self):
        status, headers, data = call("POST", "/v1/images/generations", {"prompt": "broken [mock:malformed]",
                                                                        "size": "16x16"})
        self.assertEqual(status, 200)
        self.assertTrue(headers["content-type"].startswith("application/json"))
        with self.assertRaises(json.JSONDecodeError):
            json.loads(data)
        self.assertTrue(data.startswith(b'{"created":'))

    def test_text_plain_marker(self):
        status, headers, data = call("POST", "/v1/images/generations", {"prompt": "plain [mock:text-plain]",
                                                                        "size": "16x16"})
        self.assertEqual(status, 200)
        self.assertTrue(headers["content-type"].startswith("text/plain"))
        self.assertEqual(len(json.loads(data)["data"]), 1)

    def test_fail_every_counts_globally(self):
        statuses = [generate("every third [mock:fail-every=3]", size="16x16")[0] for _ in range(6)]
        self.assertEqual(statuses, [200, 200, 500, 200, 200, 500])
        self.assertEqual(stats()["fail_every_counter"], 6)

    def test_markers_do_not_change_the_picture(self):
        plain = generate("same picture", size="32x32")[2]["data"][0]
        marked = generate("same picture [mock:delay=1]", size="32x32")[2]["data"][0]
        self.assertEqual(plain["b64_json"], marked["b64_json"])
        self.assertEqual(marked["revised_prompt"], "same picture")


class StatsTest(unittest.TestCase):
    def test_last_request_and_counts(self):
        reset()
        empty = stats()
        self.assertEqual(empty["total"], 0)
        self.assertIsNone(empty["last_request"])
        payload = {"model": "gpt-image-1", "prompt": "stats please", "size": "16x16", "n": 1, "quality": "auto",
                   "output_format": "png", "response_format": "b64_json"}
        call("POST", "/v1/images/generations", payload, headers={"User-Agent": "opencode",
                                                                  "Authorization": "Bearer sk-secret-value"})
        call("GET", "/v1/models")
        s = stats()
        self.assertEqual(s["total"], 2)
        self.assertEqual(s["endpoints"], {"images/generations": 1, "models": 1})
        self.assertEqual(s["statuses"], {"200": 2})
        first = s["requests"][0]
        self.assertEqual(first["body"], payload)
        self.assertEqual(first["headers"]["authorization"], "Bearer ***")
        self.assertEqual(first["headers"]["user-agent"], "opencode")
        self.assertEqual(first["prompt"], "stats please")
        self.assertEqual(first["auth_sha256"], hashlib.sha256(b"sk-secret-value").hexdigest())
        self.assertEqual(s["requests"][1]["auth_sha256"], hashlib.sha256(b"test-key").hexdigest())
        self.assertNotIn("sk-secret-value", json.dumps(s))
        self.assertEqual(s["last_request"]["path"], "/v1/models")
        reset()
        self.assertEqual(stats()["total"], 0)

    def test_file_downloads_do_not_replace_last_request(self):
        reset()
        url = generate("download me", size="16x16", response_format="url")[2]["data"][0]["url"]
        self.assertEqual(fetch_url(url)[0], 200)
        s = stats()
        self.assertEqual(s["endpoints"], {"images/generations": 1, "files": 1})
        self.assertEqual(s["last_request"]["endpoint"], "images/generations")
        self.assertEqual(s["requests"][-1]["endpoint"], "files")

    def test_control_endpoints_are_not_counted_and_unknown_is_404(self):
        reset()
        stats()
        self.assertEqual(stats()["total"], 0)
        self.assertEqual(call("GET", "/mock/nope", auth=False)[0], 404)


class ConnectionTest(unittest.TestCase):
    def test_keep_alive_reuses_one_connection(self):
        conn = connect()
        try:
            call("GET", "/v1/models", conn=conn)
            sock = conn.sock
            for _ in range(5):
                self.assertEqual(call("POST", "/v1/images/generations", {"prompt": "ka", "size": "16x16"},
                                      conn=conn)[0], 200)
            self.assertIs(conn.sock, sock)
        finally:
            conn.close()

    def test_many_concurrent_connections(self):
        def worker(i):
            conn = connect()
            try:
                return [call("POST", "/v1/images/generations", {"prompt": f"c{i % 4}", "size": "64x64"},
                             conn=conn)[0] for _ in range(4)]
            finally:
                conn.close()

        with ThreadPoolExecutor(max_workers=24) as pool:
            results = [s for batch in pool.map(worker, range(24)) for s in batch]
        self.assertEqual(results, [200] * 96)


class PlainHttpFailRateTest(unittest.TestCase):
    """A second instance: plain HTTP, --fail-rate 1 and --latency-ms."""

    @classmethod
    def setUpClass(cls):
        cls.mock = MockProcess(WORK.name, "--fail-rate", "1", "--latency-ms", "150", "--seed", "7", "--log")

    @classmethod
    def tearDownClass(cls):
        cls.mock.stop()

    def request(self, method, path, body=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.mock.port, timeout=10)
        try:
            conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=AUTH)
            resp = conn.getresponse()
            return resp.status, resp.read()
        finally:
            conn.close()

    def test_log_lines_go_to_stderr(self):
        self.request("GET", "/mock/stats")
        deadline = time.monotonic() + 5
        while "GET /mock/stats -> 200" not in self.mock.stderr_path.read_text():
            self.assertLess(time.monotonic(), deadline, "no --log line")
            time.sleep(0.05)

    def test_plain_http_banner(self):
        self.assertEqual(self.mock.banner, f"listening on http://127.0.0.1:{self.mock.port}")

    def test_fail_rate_one_fails_every_api_call_after_latency(self):
        started = time.monotonic()
        status, data = self.request("POST", "/v1/images/generations", {"prompt": "x"})
        self.assertGreaterEqual(time.monotonic() - started, 0.15)
        self.assertEqual(status, 500)
        self.assertIn("fail-rate", json.loads(data)["error"]["message"])
        self.assertEqual(self.request("GET", "/v1/models")[0], 500)
        status, data = self.request("GET", "/mock/stats")
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(data)["config"]["fail_rate"], 1)

    def test_config_can_switch_failures_off(self):
        self.assertEqual(self.request("POST", "/mock/config", {"fail_rate": 0, "latency_ms": 0})[0], 200)
        try:
            status, data = self.request("POST", "/v1/images/generations", {"prompt": "ok now", "size": "16x16"})
            self.assertEqual(status, 200)
            url_status, _ = self.request("GET", "/v1/models")
            self.assertEqual(url_status, 200)
        finally:
            self.request("POST", "/mock/reset", {})


if __name__ == "__main__":
    unittest.main(verbosity=2)
