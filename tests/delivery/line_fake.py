"""A stand-in for the LINE Messaging API on 127.0.0.1, and LINE's side of the webhook (signed event bodies).

It speaks the documented contract the app uses: POST /v2/bot/message/push and /v2/bot/message/reply (JSON,
Bearer token; push may carry X-Line-Retry-Key and a second push with the same key answers 409), GET
/v2/bot/profile/{userId}. Every request is recorded.
"""
import base64
import hashlib
import hmac
import itertools
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.delivery.receivers import free_port

SECRET = "test-channel-secret"
TOKEN = "test-channel-token"


class FakeLine:
    """The Messaging API: `push_status(n)` answers the n-th push (default 200); profiles from `profiles`."""

    def __init__(self, *, port=None, push_status=lambda n: 200, push_headers=lambda n: {}, profiles=None):
        self.port = port or free_port()
        self.requests = []
        self.push_status, self.push_headers = push_status, push_headers
        self.profiles = profiles or {}
        self._retry_keys = set()
        self._lock = threading.Lock()
        self._server = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, status, document, headers=None):
                body = json.dumps(document).encode()
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _record(self, body=None):
                record = {"method": self.command, "path": self.path, "headers": dict(self.headers),
                          "json": json.loads(body) if body else None}
                with fake._lock:
                    fake.requests.append(record)
                return record

            def do_GET(self):
                record = self._record()
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    return self._answer(401, {"message": "Authentication failed"})
                user_id = record["path"].rpartition("/")[2]
                if record["path"].startswith("/v2/bot/profile/") and user_id in fake.profiles:
                    return self._answer(200, {"userId": user_id, **fake.profiles[user_id]})
                return self._answer(404, {"message": "Not found"})

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                record = self._record(body)
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    record["status"] = 401
                    return self._answer(401, {"message": "Authentication failed"})
                if self.path == "/v2/bot/message/reply":
                    record["status"] = 200
                    return self._answer(200, {})
                if self.path != "/v2/bot/message/push":
                    record["status"] = 404
                    return self._answer(404, {"message": "Not found"})
                with fake._lock:
                    number = sum(1 for r in fake.requests if r["path"] == "/v2/bot/message/push")
                    key = self.headers.get("X-Line-Retry-Key")
                    status = fake.push_status(number)
                    if status == 200 and key in fake._retry_keys:
                        status = 409  # LINE: a request with this retry key was already accepted
                    if status == 200 and key:
                        fake._retry_keys.add(key)
                record["status"] = status
                return self._answer(status, {} if status < 300 else {"message": "test says no"},
                                    fake.push_headers(number) if status >= 300 else None)

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

    def pushes(self, accepted=True):
        return [r for r in self.requests if r["path"] == "/v2/bot/message/push"
                and (not accepted or r.get("status") == 200)]

    def replies(self):
        return [r for r in self.requests if r["path"] == "/v2/bot/message/reply"]

    def reply_texts(self):
        """Return the text of every reply message, in order."""
        return [m.get("text") or m.get("altText") for r in self.replies() for m in r["json"]["messages"]]


_ids = itertools.count(1)


def event(kind, *, user_id=None, group_id=None, event_id=None, **fields):
    """Return one webhook event the way LINE shapes it."""
    source = {"type": "group", "groupId": group_id, "userId": user_id} if group_id else \
        {"type": "user", "userId": user_id}
    document = {"type": kind, "mode": "active", "timestamp": int(time.time() * 1000), "source": source,
                "webhookEventId": event_id or f"01H{next(_ids):023d}",
                "deliveryContext": {"isRedelivery": False}, **fields}
    if kind not in ("unfollow", "leave"):
        document["replyToken"] = uuid.uuid4().hex
    return document


def text_event(text, **kwargs):
    return event("message", message={"type": "text", "id": str(next(_ids)), "text": text}, **kwargs)


def postback_event(data, **kwargs):
    return event("postback", postback={"data": data}, **kwargs)


def sign(body, secret=SECRET):
    """Return X-Line-Signature: base64 of HMAC-SHA256 of the body under the channel secret."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def deliver(client, *events, signature=None, close=True):
    """POST events to the app's webhook as LINE does: one JSON body, signed; return the response.

    close=False keeps the response open, as the moment LINE has its 200 and the server has not finished."""
    body = json.dumps({"destination": "Ubot", "events": list(events)}, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "LineBotWebhook/2.0"}
    if signature is not False:
        headers["X-Line-Signature"] = signature or sign(body)
    response = client.post("/line/webhook", data=body, headers=headers)
    if close:
        response.close()  # as a WSGI server does once LINE has the answer: the replies go then
    return response
