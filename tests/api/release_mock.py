"""An in-process HTTPS server standing in for api.github.com / raw.githubusercontent.com.

The certificates are the API tests' shared throwaway CA and server certificate for
127.0.0.1/localhost (upstream.certs()). The panel trusts the CA through EXTRA_CA_FILE.
"""

import http.server
import json
import ssl
import threading

from .upstream import certs

def make_certificates():
    """(ca.crt, server.crt, server.key) for 127.0.0.1/localhost: the API tests' shared test CA."""
    d = certs()
    return d / "ca.crt", d / "server.crt", d / "server.key"


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
