"""Several servers on shared parts: two gunicorn servers on different ports, one PostgreSQL database, Redis
and SeaweedFS. A report with a photo filed on A is read, photo included, on B; a signed MOU uploaded on A
opens on B; signing out on A ends the session on B; the sign-in limit counts across both; two workers never
send the same outbox message."""
import json
import os
import re
import subprocess
import sys
import threading
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import require_service, requires_postgres
from tests.reports.factories_reports import jpeg_bytes

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from _http import Session, csrf_token, sign_in  # noqa: E402
from _seed import PASSWORD, totp_code  # noqa: E402
from _server import REPO, Gunicorn, drop_database, free_port, migrate, scratch_database, server_env  # noqa: E402

pytestmark = requires_postgres()
LIMIT = 8
REDIS_DB = 13
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _multipart(fields, files):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content) in files.items():
        kind = "application/pdf" if filename.endswith(".pdf") else "image/jpeg"
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: {kind}\r\n\r\n".encode() + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


class Receiver(BaseHTTPRequestHandler):
    """A station's webhook: records each delivery's idempotency key."""

    keys = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        Receiver.keys.append(self.headers.get("Idempotency-Key"))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture()
def shared(tmp_path, s3_server):
    """A migrated scratch PostgreSQL database seeded with the demo, a Redis database and a bucket prefix."""
    import redis

    base = os.environ["TEST_DATABASE_URL"]
    url = scratch_database(f"{base.rsplit('/', 1)[0]}/ruamkan_two_{uuid.uuid4().hex[:8]}", tmp_path, "two")
    migrate(url, tmp_path)
    redis_url = f"redis://127.0.0.1:6379/{REDIS_DB}"
    try:
        redis.Redis.from_url(redis_url).flushdb()
    except redis.exceptions.ConnectionError:
        require_service("Redis on 127.0.0.1:6379")
    from _seed import bench_app, seed_people

    seeded = seed_people(bench_app(url, tmp_path), members=1, desks=0, coordinators=1, tokens=True)
    env = server_env(url, tmp_path)
    env.update(RATELIMIT_ENABLED="true", RATELIMIT_STORAGE_URI=redis_url, LOGIN_RATE_LIMIT=f"{LIMIT} per day",
               RATELIMIT_KEY_PREFIX=f"t{uuid.uuid4().hex[:8]}", S3_ENDPOINT_URL=s3_server.endpoint,
               STORAGE_URL=s3_server.url(), SUBMIT_RATE_LIMIT="1000 per minute")
    yield env, seeded
    drop_database(url)


def _flask(env, *args):
    done = subprocess.run([sys.executable, "-m", "flask", *args], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _mou_document_uploaded_on_a_opens_on_b(a, b, seeded):
    """The coordinator attaches a signed MOU on A; the same session opens it on B, from the shared store."""
    coordinator = Session(a.port)
    secret = seeded.totp[seeded.coordinators[0]]
    sign_in(coordinator, seeded.coordinators[0], PASSWORD, totp=lambda: totp_code(secret))
    mou_id = re.search(r'href="/oversight/mous/(\d+)"', coordinator.get("/oversight/mous").text).group(1)
    page = coordinator.get(f"/oversight/mous/{mou_id}").text
    body, content_type = _multipart({"csrf_token": csrf_token(page)}, {"document": ("signed.pdf", PDF)})
    stored = coordinator.post(f"/oversight/mous/{mou_id}/document", body=body,
                              headers={"Content-Type": content_type})
    assert stored.status == 302, stored.text
    coordinator.port = b.port
    document = coordinator.get(f"/oversight/mous/{mou_id}/document")
    assert document.status == 200 and document.body == PDF


def test_two_servers_share_reports_photos_sessions_limits_and_the_outbox(tmp_path, shared):
    env, seeded = shared
    receiver = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    Receiver.keys = []
    for station in ("hat_yai", "kho_hong", "mueang_songkhla"):
        _flask(env, "delivery", "set-webhook", station, f"http://127.0.0.1:{receiver.server_port}/hook")
    # Each server has an instance folder of its own, as on two machines: whatever they share must be shared parts.
    servers = [Gunicorn("wsgi:app", env={**env, "RUAMKAN_INSTANCE": str(tmp_path / f"instance-{name}")}, workers=1,
                        port=free_port(), log_path=tmp_path / f"{name}.log") for name in ("a", "b")]
    try:
        for server in servers:
            server.start("/healthz")
        a, b = servers
        member, token = seeded.members[0], seeded.tokens[seeded.members[0]]

        # A report with a photo filed on A (JSON API, multipart) is read, photo included, on B.
        photo = jpeg_bytes(size=(1200, 900), gps=(7.0155, 100.4751))
        body, content_type = _multipart(
            {"report": json.dumps({"category": "crime.theft", "narrative": "ขโมยรถจักรยานยนต์หน้าตลาดทุกคืน",
                                   "lat": 7.0155, "lon": 100.4751, "address_text": "หน้าตลาด"})},
            {"photos": ("market.jpg", photo)})
        auth = {"Authorization": f"Bearer {token}"}
        filed = Session(a.port).post("/api/v1/reports", body=body,
                                     headers={**auth, "Content-Type": content_type, "Idempotency-Key": "two-1"})
        assert filed.status == 201, filed.text
        report = filed.json()
        on_b = Session(b.port).get(f"/api/v1/reports/{report['reference']}", headers=auth)
        assert on_b.status == 200 and len(on_b.json()["photos"]) == 1
        photo_path = urlsplit(on_b.json()["photos"][0]["url"]).path
        copy_b = Session(b.port).get(photo_path, headers=auth)
        copy_a = Session(a.port).get(photo_path, headers=auth)
        assert copy_b.status == 200 and copy_b.body[:2] == b"\xff\xd8" and copy_b.body == copy_a.body

        _mou_document_uploaded_on_a_opens_on_b(a, b, seeded)

        # Signed in on A, the same cookie works on B; signing out on A ends it on B.
        browser = Session(a.port)
        sign_in(browser, member, "bench-password-2569")
        browser.port = b.port
        mine = browser.get("/reports/mine")
        assert mine.status == 200 and report["reference"] in mine.text
        browser.port = a.port
        page = browser.get("/reports/mine")
        assert browser.post("/accounts/logout", form={"csrf_token": csrf_token(page.text)}).status == 302
        browser.port = b.port
        after = browser.get("/reports/mine")
        assert after.status == 302 and "/accounts/login" in after.headers["Location"]

        # More reports, then two workers at once: every outbox message is sent exactly once.
        for n in range(2, 12):
            server = servers[n % 2]
            answer = Session(server.port).post(
                "/api/v1/reports", body={"category": "crime.theft", "narrative": f"รายงานที่ {n} ลักขโมยซ้ำหลายครั้ง",
                                         "lat": 7.0155 + n * 0.001, "lon": 100.4751, "address_text": "ตลาด",
                                         "confirm_new": True},
                headers={**auth, "Idempotency-Key": f"two-{n}"})
            assert answer.status == 201, answer.text
        workers = [subprocess.Popen([sys.executable, "-m", "flask", "worker", "--once"], cwd=REPO, env=env,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(2)]
        outputs = [worker.communicate(timeout=120)[0] for worker in workers]
        assert all(worker.returncode == 0 for worker in workers), outputs
        sent = Counter(Receiver.keys)
        assert len(sent) >= 11, (sent, outputs)  # at least one message per report
        assert all(count == 1 for count in sent.values()), sent

        # The sign-in limit counts across both servers: LIMIT tries in a minute in all, whichever answers.
        statuses = []
        for n in range(2 * LIMIT):
            phone = Session(servers[n % 2].port)
            token_field = csrf_token(phone.get("/accounts/login").text)
            statuses.append(phone.post("/accounts/login", form={"csrf_token": token_field, "username": f"x{n}",
                                                                "password": "wrong-guess-123"}).status)
        used_before = 2  # the member's and the coordinator's sign-ins above
        assert Counter(statuses) == {400: LIMIT - used_before, 429: LIMIT + used_before}, statuses
    finally:
        for server in servers:
            server.stop()
        receiver.shutdown()
