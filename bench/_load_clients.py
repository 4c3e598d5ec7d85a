"""The load test's clients (member, desk officer, coordinator, filer, floor, yardstick) and their figures."""
import random
import re
import threading
import time
from collections import Counter, defaultdict

from bench._http import NETWORK_ERRORS, Session, csrf_token, sign_in
from bench._seed import PASSWORD, random_narrative, random_place, totp_code

_REPORT_LINK = re.compile(r'href="/triage/reports/(\d+)"')
_ACK_FORM = re.compile(r'action="/triage/reports/\d+/acknowledge"')
_VERSION = re.compile(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"')


class Recorder:
    """Latencies per request kind, errors by kind and cause, and refused-as-stale conflicts."""

    def __init__(self):
        self.lock = threading.Lock()
        self.samples = defaultdict(list)
        self.errors = Counter()
        self.conflicts = 0

    def ok(self, kind, seconds):
        with self.lock:
            self.samples[kind].append(seconds)

    def error(self, kind, cause):
        with self.lock:
            self.errors[(kind, cause)] += 1

    def conflict(self, kind, seconds):
        with self.lock:
            self.conflicts += 1
            self.samples[kind].append(seconds)

    @property
    def requests(self):
        return sum(len(s) for s in self.samples.values()) + sum(self.errors.values())

    @property
    def error_count(self):
        return sum(self.errors.values())

    def report(self, elapsed):
        """Return the table of this phase: count, req/s, p50/p95/p99 per kind, then the errors."""
        lines = [f"  {'request':28} {'count':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}"]
        errors_by_kind = Counter()
        for (kind, _cause), count in self.errors.items():
            errors_by_kind[kind] += count
        for kind in sorted(set(self.samples) | set(errors_by_kind)):
            values = sorted(self.samples.get(kind, []))
            p50, p95, p99 = (_percentile(values, q) * 1000 for q in (50, 95, 99))
            lines.append(f"  {kind:28} {len(values):7d} {len(values) / elapsed:8.1f} {p50:8.1f} {p95:8.1f} "
                         f"{p99:8.1f} {errors_by_kind[kind]:7d}")
        lines += [f"  error: {kind}: {cause} x{count}" for (kind, cause), count in self.errors.most_common(10)]
        return lines


def _percentile(values, q):
    if not values:
        return 0.0
    return values[min(len(values) - 1, max(0, int(round(q / 100 * len(values))) - 1))]


def timed(recorder, kind, call, expect=(200,)):
    """Make one request, record it under kind, and return the Response (None after an error)."""
    started = time.perf_counter()
    try:
        answer = call()
    except NETWORK_ERRORS as error:
        recorder.error(kind, type(error).__name__)
        return None
    if answer.status == 409:
        recorder.conflict(kind, time.perf_counter() - started)
        return None
    if answer.status not in expect:
        recorder.error(kind, f"HTTP {answer.status}")
        return None
    recorder.ok(kind, time.perf_counter() - started)
    return answer


class Client(threading.Thread):
    """One person at work for the phase; sign-in comes before the clock starts, a failed one is an error."""

    def __init__(self, role, username, *, port, recorder, clock, seeded, seed):
        super().__init__(daemon=True)
        self.role, self.username, self.recorder, self.clock = role, username, recorder, clock
        self.seeded, self.rng = seeded, random.Random(seed)
        self.session = Session(port, timeout=30)
        self.csrf = None

    def run(self):
        signed_in = self.role in ("minimal", "floor") or self._sign_in()
        self.clock["barrier"].wait()
        step = getattr(self, f"_{self.role}")
        while signed_in and time.monotonic() < self.clock["deadline"]:
            step()

    def _sign_in(self):
        secret = self.seeded.totp.get(self.username)
        try:
            sign_in(self.session, self.username, PASSWORD, totp=(lambda: totp_code(secret)) if secret else None)
            if self.role == "filer":
                self.csrf = csrf_token(self.session.get("/reports/new").text)
        except (RuntimeError, *NETWORK_ERRORS) as error:
            self.recorder.error(f"{self.role}: sign-in", str(error)[:80])
            return False
        return True

    def _report_form(self, csrf):
        lat, lon = random_place(self.rng)
        return {"csrf_token": csrf, "category_id": self.rng.choice(list(self.seeded.category_ids.values())),
                "narrative": random_narrative(self.rng), "lat": lat, "lon": lon, "address_text": "ใกล้ตลาด",
                "priority": "", "resident_anonymous": "y", "idempotency_key": _uuid(self.rng),
                "confirm_place": "y", "confirm_personal_data": "y", "confirm_new": "y"}

    def _member(self):
        """Open the intake form, file a report through it, read the receipt."""
        page = timed(self.recorder, "member: form page", lambda: self.session.get("/reports/new"))
        if page is None:
            return
        form = self._report_form(csrf_token(page.text) or "")
        filed = timed(self.recorder, "member: file report", lambda: self.session.post("/reports/new", form=form),
                      expect=(302,))
        if filed is not None:
            timed(self.recorder, "member: receipt", lambda: self.session.get(filed.location))

    def _filer(self):
        """File reports back to back, as the filing-throughput phase measures."""
        form = self._report_form(self.csrf or "")
        timed(self.recorder, "file report", lambda: self.session.post("/reports/new", form=form), expect=(302,))

    def _desk(self):
        """Load the station queue, open one report, acknowledge it when it is still new."""
        queue = timed(self.recorder, "desk: queue", lambda: self.session.get("/triage/"))
        ids = _REPORT_LINK.findall(queue.text) if queue is not None else []
        if not ids:
            return
        report_id = self.rng.choice(ids)
        page = timed(self.recorder, "desk: report page", lambda: self.session.get(f"/triage/reports/{report_id}"))
        if page is None or not _ACK_FORM.search(page.text):
            return
        version = _VERSION.search(page.text)
        form = {"csrf_token": csrf_token(page.text) or "", "version": next(v for v in version.groups() if v)}
        timed(self.recorder, "desk: acknowledge",
              lambda: self.session.post(f"/triage/reports/{report_id}/acknowledge", form=form), expect=(302,))

    def _coordinator(self):
        """Load the PAO dashboard."""
        timed(self.recorder, "coordinator: dashboard", lambda: self.session.get("/oversight/"))

    def _floor(self):
        """Ask Ruamkan's own cheapest endpoint (all of its middleware and one SELECT 1)."""
        timed(self.recorder, "floor: healthz", lambda: self.session.get("/healthz"))

    def _minimal(self):
        """Ask the yardstick app for 'ok'."""
        timed(self.recorder, "minimal: ok", lambda: self.session.get("/"))


def _uuid(rng):
    import uuid

    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def run_phase(port, people, *, duration, seeded, seed):
    """Run one client per (role, username) for duration seconds; return (Recorder, elapsed seconds)."""
    recorder, clock = Recorder(), {}

    def start_clock():  # runs once every client has signed in
        clock["started"] = time.monotonic()
        clock["deadline"] = clock["started"] + duration

    clock["barrier"] = threading.Barrier(len(people), action=start_clock)
    clients = [Client(role, username, port=port, recorder=recorder, clock=clock, seeded=seeded,
                      seed=seed * 1000 + n) for n, (role, username) in enumerate(people)]
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    return recorder, time.monotonic() - clock["started"]
