"""Real local servers for delivery tests: an HTTP receiver (webhooks, LINE) and an SMTP sink."""
import json
import socket
import threading
import time
from email import message_from_bytes
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller


def free_port():
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Receiver:
    """An HTTP server on 127.0.0.1 that records every POST and answers with `status_for(n)` (n from 1)."""

    def __init__(self, *, port=None, status_for=lambda n: 200, delay=0.0, headers_for=lambda n: {}):
        self.port = port or free_port()
        self.requests = []  # dicts: path, headers, body, status
        self.status_for, self.delay, self.headers_for = status_for, delay, headers_for
        self.first_request = threading.Event()
        self._lock = threading.Lock()
        self._server = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver._lock:
                    number = len(receiver.requests) + 1
                    status = receiver.status_for(number)
                    receiver.requests.append({"path": self.path, "headers": dict(self.headers), "body": body,
                                              "status": status})
                receiver.first_request.set()
                if receiver.delay:
                    time.sleep(receiver.delay)
                self.send_response(status)
                for name, value in receiver.headers_for(number).items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"ok": true}' if status < 300 else b'{"error": "test says no"}')

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def accepted(self):
        """Return the requests answered with 2xx."""
        return [r for r in self.requests if 200 <= r["status"] < 300]

    def json(self, request):
        return json.loads(request["body"].decode("utf-8"))


class SmtpSink:
    """An aiosmtpd server on 127.0.0.1 collecting parsed messages; `refuse` answers RCPT with that reply."""

    def __init__(self, *, refuse=None, port=None):
        self.messages, self.refuse = [], refuse
        self.port = port or free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=default_policy))
        return "250 Message accepted"

    def __enter__(self):
        self._controller.start()
        return self

    def __exit__(self, *exc):
        self._controller.stop()
