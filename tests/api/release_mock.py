"""An in-process HTTPS server standing in for api.github.com / raw.githubusercontent.com.

The certificates come from the `openssl` CLI: a throwaway CA and a server certificate for
127.0.0.1/localhost. The panel trusts the CA through EXTRA_CA_FILE.
"""

import atexit
import http.server
import json
import ssl
import subprocess
import tempfile
import threading
from pathlib import Path

_certs = None


def make_certificates():
    """(directory, ca.crt, server.crt, server.key), made once per test run."""
    global _certs
    if _certs is None:
        tmp = tempfile.TemporaryDirectory(prefix="panel-api-certs-")
        atexit.register(tmp.cleanup)
        d = Path(tmp.name)
        ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]

        def openssl(*args):
            subprocess.run(["openssl", *args], cwd=d, check=True, capture_output=True)

        openssl("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=Panel Test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
        openssl("req", *ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1")
        (d / "ext.cnf").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
                                   "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n")
        openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "server.crt", "-days", "2", "-extfile", "ext.cnf")
        _certs = (tmp, d / "ca.crt", d / "server.crt", d / "server.key")
    return _certs[1:]


class ReleaseMock:
    """routes: path -> (status, body) or "hang". Every request is recorded as (path, headers)."""

    def __init__(self):
        ca, cert, key = make_certificates()
        self.ca_file = ca
        self.routes = {}
        self.requests = []
        self.hang = threading.Event()
        mock = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                mock.requests.append((self.path, dict(self.headers)))
                route = mock.routes.get(self.path, (404, '{"message":"Not Found"}'))
                if route == "hang":
                    mock.hang.wait(15)
                    route = (200, "{}")
                status, body = route
                data = (body if isinstance(body, str) else json.dumps(body)).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                pass  # the panel hangs up on purpose in the timeout tests

        self.server = Server(("127.0.0.1", 0), Handler)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        self.server.socket = ctx.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def paths(self):
        return [p for p, _ in self.requests]

    def reset(self):
        self.hang.set()
        self.hang = threading.Event()
        self.routes = {}
        self.requests = []

    def close(self):
        self.hang.set()
        self.server.shutdown()
        self.server.server_close()
