"""A small S3 stand-in that checks every request's AWS Signature V4 with botocore.

Run it with Debian's /usr/bin/python3 (python3-botocore). It speaks HTTPS on
127.0.0.1, keeps one or more buckets in memory and implements what the panel's
R2 backup uses: HeadBucket, ListObjectsV2 (prefix, max-keys, continuation
tokens, start-after), HeadObject, GetObject, PutObject and DeleteObject, with
S3's XML error bodies.

Every request is verified the way S3 verifies it: the canonical request is
rebuilt from what arrived (path and query decoded and re-encoded with S3's
rules, the headers named in SignedHeaders) and signed with botocore's
S3SigV4Auth using the secret of the access key in the Credential scope. A
different signature is refused with 403 SignatureDoesNotMatch; so are unsigned
x-amz-* headers, a missing or wrong x-amz-content-sha256, an unknown key, a
wrong region and a skewed clock.

Tests drive it through /__control/* (no signature): the stored objects, a log
of every request, and faults (failing or slow PUTs, failing DELETEs, a failing
listing).

Usage: sigv4_stand_in.py --port-file F --cert C --key K [--access-key A]
       [--secret-key S] [--region R] [--bucket B ...]
"""

import argparse
import base64
import datetime
import hashlib
import hmac
import http.server
import json
import os
import socketserver
import ssl
import threading
import time
from urllib.parse import parse_qsl, quote, unquote, urlsplit
from xml.sax.saxutils import escape

from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
UNSIGNED = "UNSIGNED-PAYLOAD"
MAX_SKEW = datetime.timedelta(minutes=15)


class S3Error(Exception):
    def __init__(self, status, code, message):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


class State:
    def __init__(self, buckets):
        self.lock = threading.Lock()
        self.buckets = {b: {} for b in buckets}
        self.log = []
        self.faults = {}
        self.puts = 0

    def reset(self):
        with self.lock:
            for b in self.buckets:
                self.buckets[b] = {}
            self.log = []
            self.faults = {}
            self.puts = 0


def xml_error(code, message, resource, request_id):
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + escape(code) + "</Code><Message>" +
            escape(message) + "</Message><Resource>" + escape(resource) + "</Resource><RequestId>" + request_id +
            "</RequestId></Error>").encode()


def canonical_url(host, raw_path):
    # S3 decodes the path and encodes it again with its own rules before signing.
    return "https://" + host + quote(unquote(raw_path), safe="/~")


def verify_signature(handler, body, cfg):
    """Raises S3Error unless the request carries a valid SigV4 header signature."""
    h = handler.headers
    auth = h.get("Authorization")
    if not auth:
        raise S3Error(403, "AccessDenied", "Access Denied")
    if not auth.startswith("AWS4-HMAC-SHA256 "):
        raise S3Error(400, "InvalidArgument", "Unsupported Authorization Type")
    parts = {}
    for item in auth[len("AWS4-HMAC-SHA256 "):].split(","):
        k, _, v = item.strip().partition("=")
        parts[k] = v
    try:
        access_key, date, region, service, terminator = parts["Credential"].split("/")
        signed = parts["SignedHeaders"].split(";")
        signature = parts["Signature"]
    except (KeyError, ValueError):
        raise S3Error(400, "AuthorizationHeaderMalformed", "The authorization header is malformed")
    if access_key != cfg.access_key:
        raise S3Error(403, "InvalidAccessKeyId",
                      "The AWS Access Key Id you provided does not exist in our records.")
    if region != cfg.region:
        raise S3Error(400, "AuthorizationHeaderMalformed",
                      f"The authorization header is malformed; the region '{region}' is wrong; "
                      f"expecting '{cfg.region}'")
    if service != "s3" or terminator != "aws4_request":
        raise S3Error(400, "AuthorizationHeaderMalformed", "The authorization header is malformed")
    amz_date = h.get("x-amz-date", "")
    try:
        when = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ")
    except ValueError:
        raise S3Error(403, "AccessDenied", "AWS authentication requires a valid Date or x-amz-date header")
    if abs(datetime.datetime.utcnow() - when) > MAX_SKEW or amz_date[:8] != date:
        raise S3Error(403, "RequestTimeTooSkewed",
                      "The difference between the request time and the current time is too large.")
    present = {k.lower() for k in h.keys()}
    for name in ("host", "x-amz-date", "x-amz-content-sha256"):
        if name not in signed:
            raise S3Error(403, "AccessDenied", f"Header {name} must be signed")
    unsigned = sorted(n for n in present if n.startswith("x-amz-") and n not in signed)
    if unsigned:
        raise S3Error(403, "AccessDenied", "There were headers present in the request which were not signed: " +
                      ", ".join(unsigned))
    content_sha = h.get("x-amz-content-sha256")
    if content_sha is None:
        raise S3Error(400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256")
    if content_sha != UNSIGNED and content_sha != hashlib.sha256(body).hexdigest():
        raise S3Error(400, "XAmzContentSHA256Mismatch",
                      "The provided 'x-amz-content-sha256' header does not match what was computed.")

    split = urlsplit(handler.path)
    request = AWSRequest(method=handler.command, url=canonical_url(h.get("Host", ""), split.path), data=body)
    request.params = parse_qsl(split.query, keep_blank_values=True)
    for name in signed:
        values = h.get_all(name)
        if values is None:
            raise S3Error(403, "AccessDenied", f"Signed header {name} is missing")
        request.headers[name] = ",".join(values)
    request.context["timestamp"] = amz_date
    signer = S3SigV4Auth(Credentials(cfg.access_key, cfg.secret_key), "s3", region)
    canonical = signer.canonical_request(request)
    expected = signer.signature(signer.string_to_sign(request, canonical), request)
    if not hmac.compare_digest(expected, signature):
        handler.server.note(f"signature mismatch; canonical request was:\n{canonical}")
        raise S3Error(403, "SignatureDoesNotMatch",
                      "The request signature we calculated does not match the signature you provided. "
                      "Check your key and signing method.")


def list_objects(bucket_objects, query):
    prefix = query.get("prefix", "")
    try:
        max_keys = max(0, min(1000, int(query.get("max-keys", "1000"))))
    except ValueError:
        raise S3Error(400, "InvalidArgument", "Provided max-keys not an integer or within integer range")
    after = query.get("start-after", "")
    token = query.get("continuation-token")
    if token is not None:
        try:
            after = base64.urlsafe_b64decode(token.encode()).decode()
        except Exception:
            raise S3Error(400, "InvalidArgument", "The continuation token provided is incorrect")
    keys = sorted(k for k in bucket_objects if k.startswith(prefix) and k > after)
    page = keys[:max_keys]
    truncated = len(keys) > len(page)
    out = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
           "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">",
           f"<Name>{escape(query['__bucket'])}</Name><Prefix>{escape(prefix)}</Prefix>",
           f"<KeyCount>{len(page)}</KeyCount><MaxKeys>{max_keys}</MaxKeys>",
           f"<IsTruncated>{'true' if truncated else 'false'}</IsTruncated>"]
    if token is not None:
        out.append(f"<ContinuationToken>{escape(token)}</ContinuationToken>")
    if truncated:
        nxt = base64.urlsafe_b64encode(page[-1].encode()).decode()
        out.append(f"<NextContinuationToken>{escape(nxt)}</NextContinuationToken>")
    for k in page:
        o = bucket_objects[k]
        out.append(f"<Contents><Key>{escape(k)}</Key><LastModified>{o['last_modified']}</LastModified>"
                   f"<ETag>&quot;{o['etag']}&quot;</ETag><Size>{len(o['body'])}</Size>"
                   "<StorageClass>STANDARD</StorageClass></Contents>")
    out.append("</ListBucketResult>")
    return "".join(out).encode()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def send(self, status, body=b"", headers=None, head=False):
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amz-request-id", self.request_id)
        self.end_headers()
        if body and not head:
            self.wfile.write(body)

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        if len(body) < n:
            # The client went away mid-body (a killed panel): S3 stores nothing then.
            self.close_connection = True
            return None
        return body

    def handle_any(self):
        self.request_id = hashlib.md5(f"{time.time_ns()}".encode()).hexdigest()[:16].upper()
        body = self.read_body()
        if body is None:
            return
        split = urlsplit(self.path)
        if split.path.startswith("/__control/"):
            return self.control(split.path, body)
        st = self.server.state
        entry = {"method": self.command, "path": split.path, "query": split.query, "status": None,
                 "signed": None}
        auth = self.headers.get("Authorization", "")
        if "SignedHeaders=" in auth:
            entry["signed"] = auth.split("SignedHeaders=", 1)[1].split(",", 1)[0]
        try:
            verify_signature(self, body, self.server.cfg)
            status, out, headers = self.s3(split, body)
        except S3Error as e:
            status, out, headers = e.status, xml_error(e.code, e.message, split.path, self.request_id), \
                {"Content-Type": "application/xml"}
        entry["status"] = status
        with st.lock:
            st.log.append(entry)
        self.send(status, out, headers, head=self.command == "HEAD")

    def s3(self, split, body):
        st = self.server.state
        path = unquote(split.path)
        bucket, _, key = path.lstrip("/").partition("/")
        query = dict(parse_qsl(split.query, keep_blank_values=True))
        with st.lock:
            objects = st.buckets.get(bucket)
            faults = dict(st.faults)
        if objects is None:
            raise S3Error(404, "NoSuchBucket", "The specified bucket does not exist")
        xml = {"Content-Type": "application/xml"}
        if not key:
            if self.command == "HEAD":
                return 200, b"", {}
            if self.command == "GET" and query.get("list-type") == "2":
                if faults.get("list_fail"):
                    raise S3Error(500, "InternalError", "We encountered an internal error. Please try again.")
                with st.lock:
                    query["__bucket"] = bucket
                    return 200, list_objects(objects, query), xml
            raise S3Error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.")
        if self.command in ("GET", "HEAD"):
            with st.lock:
                o = objects.get(key)
            if o is None:
                raise S3Error(404, "NoSuchKey", "The specified key does not exist.")
            headers = {"ETag": f"\"{o['etag']}\"", "Content-Type": o["content_type"]}
            headers.update({"x-amz-meta-" + k: v for k, v in o["metadata"].items()})
            return 200, o["body"], headers
        if self.command == "PUT":
            with st.lock:
                st.puts += 1
                n = st.puts
            delay = faults.get("put_delay_ms", 0)
            if delay:
                time.sleep(delay / 1000)
            fail_after = faults.get("put_fail_after")
            if fail_after is not None and n > fail_after:
                raise S3Error(faults.get("put_fail_status", 500), faults.get("put_fail_code", "InternalError"),
                              faults.get("put_fail_message", "We encountered an internal error. Please try again."))
            meta = {k.lower()[len("x-amz-meta-"):]: v for k, v in self.headers.items()
                    if k.lower().startswith("x-amz-meta-")}
            o = {"body": body, "etag": hashlib.md5(body).hexdigest(),
                 "content_type": self.headers.get("Content-Type", "binary/octet-stream"), "metadata": meta,
                 "last_modified": datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%S.000Z")}
            with st.lock:
                o["put_count"] = objects.get(key, {}).get("put_count", 0) + 1
                objects[key] = o
            return 200, b"", {"ETag": f"\"{o['etag']}\""}
        if self.command == "DELETE":
            if faults.get("delete_fail"):
                raise S3Error(403, "AccessDenied", "Access Denied")
            with st.lock:
                objects.pop(key, None)
            return 204, b"", {}
        raise S3Error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.")

    def control(self, path, body):
        st = self.server.state
        if path == "/__control/objects":
            with st.lock:
                out = [{"bucket": b, "key": k, "size": len(o["body"]), "etag": o["etag"],
                        "content_type": o["content_type"], "metadata": o["metadata"], "put_count": o["put_count"],
                        "sha256": hashlib.sha256(o["body"]).hexdigest()}
                       for b, objs in st.buckets.items() for k, o in sorted(objs.items())]
            return self.send(200, json.dumps(out).encode(), {"Content-Type": "application/json"})
        if path == "/__control/log":
            with st.lock:
                out = list(st.log)
            return self.send(200, json.dumps(out).encode(), {"Content-Type": "application/json"})
        if path == "/__control/faults" and self.command == "POST":
            with st.lock:
                st.faults = json.loads(body or b"{}")
                st.puts = 0
            return self.send(200, b"{}", {"Content-Type": "application/json"})
        if path == "/__control/seed" and self.command == "POST":
            # [{"bucket","key","body_b64","content_type"}]: objects that exist before a test.
            items = json.loads(body)
            with st.lock:
                for it in items:
                    data = base64.b64decode(it["body_b64"])
                    st.buckets[it["bucket"]][it["key"]] = {
                        "body": data, "etag": hashlib.md5(data).hexdigest(),
                        "content_type": it.get("content_type", "binary/octet-stream"), "metadata": {},
                        "put_count": 0,
                        "last_modified": datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%S.000Z")}
            return self.send(200, b"{}", {"Content-Type": "application/json"})
        if path == "/__control/reset" and self.command == "POST":
            st.reset()
            return self.send(200, b"{}", {"Content-Type": "application/json"})
        return self.send(404, b"{}", {"Content-Type": "application/json"})

    do_GET = do_PUT = do_HEAD = do_DELETE = do_POST = handle_any


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def note(self, text):
        print(text, flush=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port-file", required=True)
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--access-key", default="STANDINKEY")
    p.add_argument("--secret-key", default="stand-in-secret")
    p.add_argument("--region", default="auto")
    p.add_argument("--bucket", action="append", default=[])
    cfg = p.parse_args()
    server = Server(("127.0.0.1", 0), Handler)
    server.cfg = cfg
    server.state = State(cfg.bucket or ["backup"])
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cfg.cert, cfg.key)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    with open(cfg.port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(cfg.port_file + ".tmp", cfg.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
