"""The crash test's moving parts: planned submissions, clients that retry with the same key, the killer."""
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bench._http import NETWORK_ERRORS, Session, csrf_token, sign_in
from bench._seed import PASSWORD, random_narrative, random_place


@dataclass
class Submission:
    username: str
    path: str  # "api" or "form"
    key: str
    marker: str
    fields: dict
    acked: object = None  # the reference (API) or report id (form) the client was told about
    attempts: int = 0
    last_sent: object = None  # naive UTC, like the app's created_at: when the last attempt started


@dataclass
class ClientPlan:
    username: str
    path: str
    token: str
    submissions: list = field(default_factory=list)


def plan_submissions(args, seeded, rng):
    """Split the submissions among clients (one council member each, alternating paths); all from the seed."""
    plans = [ClientPlan(username, args.paths[n % len(args.paths)], seeded.tokens[username])
             for n, username in enumerate(seeded.members[:args.clients])]
    codes = sorted(seeded.category_ids)
    for n in range(args.submissions):
        plan = plans[n % len(plans)]
        key = str(uuid.UUID(int=rng.getrandbits(128), version=4))  # the form keeps only UUID keys
        marker = f"crash-marker-{rng.getrandbits(64):016x}"
        lat, lon = random_place(rng)
        code = rng.choice(codes)
        fields = {"category": code, "category_id": seeded.category_ids[code], "lat": lat, "lon": lon,
                  "narrative": random_narrative(rng, marker), "address_text": "จุดทดสอบ crash"}
        plan.submissions.append(Submission(plan.username, plan.path, key, marker, fields))
    return plans


class Tally:
    """Counts shared by the clients and the killer, and the outcome of every submission."""

    def __init__(self, total):
        self.total = total
        self.sent = self.attempts = self.acknowledged = 0
        self.submissions, self.rejected, self.gave_up = [], [], []
        self.causes = Counter()
        self.done = self.aborted = False
        self.last_progress = time.monotonic()
        self.changed = threading.Condition()

    def start(self, submission):
        with self.changed:
            self.sent += 1
            self.submissions.append(submission)

    def attempt(self):
        with self.changed:
            self.attempts += 1

    def failed(self, cause):
        with self.changed:
            self.causes[cause] += 1

    def acknowledge(self, submission, value):
        with self.changed:
            submission.acked = value
            self.acknowledged += 1
            self.last_progress = time.monotonic()
            self.changed.notify_all()

    def reject(self, submission, reason):
        with self.changed:
            self.rejected.append((submission, reason))

    def give_up(self, submission):
        with self.changed:
            self.gave_up.append(submission)

    def finish(self):
        with self.changed:
            self.done = True
            self.changed.notify_all()

    @property
    def ok(self):
        return not self.rejected and not self.gave_up

    def causes_text(self):
        return ", ".join(f"{cause} {count}" for cause, count in self.causes.most_common()) or "none"

    def problems(self):
        lines = [f"rejected {s.path} {s.key}: {reason}" for s, reason in self.rejected[:5]]
        return lines + [f"gave up {s.path} {s.key}" for s in self.gave_up[:5]]

    def summary(self):
        return [f"{len(items)} {word}" for items, word in ((self.rejected, "rejected"), (self.gave_up, "gave up"))
                if items]


def run_client(plan, port, tally, give_up):
    """Send every planned submission until the app acknowledges it, resending the same key after failures.

    A client gives up only when no client has had an acknowledgement for give_up seconds (or the server
    could not be restarted): then the app is stuck, and waiting longer proves nothing.
    """
    session = Session(port, timeout=10)
    state = {"csrf": None}
    for submission in plan.submissions:
        tally.start(submission)
        attempt = 0
        while True:
            attempt += 1
            tally.attempt()
            try:
                if plan.path == "form" and not state["csrf"]:
                    sign_in(session, plan.username, PASSWORD)
                    state["csrf"] = csrf_token(session.get("/reports/new").text)
                submission.attempts += 1
                submission.last_sent = datetime.now(UTC).replace(tzinfo=None)
                outcome, value = _send(session, plan, submission, state)
            except NETWORK_ERRORS as error:
                outcome, value = "retry", type(error).__name__
            except RuntimeError as error:  # sign-in answered 5xx while the server was dying
                outcome, value = "retry", str(error)[:60]
            if outcome == "ack":
                tally.acknowledge(submission, value)
                break
            if outcome == "reject":
                tally.reject(submission, value)
                break
            tally.failed(value)
            if time.monotonic() - tally.last_progress > give_up or tally.aborted:
                tally.give_up(submission)
                break
            time.sleep(min(0.02 * 2 ** min(attempt, 5), 0.5))


def _send(session, plan, submission, state):
    """Send one attempt; return ("ack", reference or id), ("retry", cause) or ("reject", reason)."""
    f = submission.fields
    if plan.path == "api":
        answer = session.post("/api/v1/reports", body={
            "category": f["category"], "narrative": f["narrative"], "lat": f["lat"], "lon": f["lon"],
            "address_text": f["address_text"], "resident_anonymous": True, "confirm_place": True,
            "confirm_personal_data": True, "confirm_new": True},
            headers={"Authorization": f"Bearer {plan.token}", "Idempotency-Key": submission.key})
        if answer.status in (200, 201):
            return "ack", answer.json()["reference"]
    else:
        answer = session.post("/reports/new", form={
            "csrf_token": state["csrf"] or "", "category_id": f["category_id"], "narrative": f["narrative"],
            "lat": f["lat"], "lon": f["lon"], "address_text": f["address_text"], "priority": "",
            "resident_anonymous": "y", "idempotency_key": submission.key, "confirm_place": "y",
            "confirm_personal_data": "y", "confirm_new": "y"})
        parts = answer.location.strip("/").split("/")
        if answer.status == 302 and len(parts) == 3 and parts[0] == "reports" and parts[2] == "receipt":
            return "ack", int(parts[1])
        if answer.status == 302 and answer.location.startswith("/accounts/login"):
            state["csrf"] = None  # the session was lost: sign in again and resend
            return "retry", "signed out"
    if answer.status >= 500:
        return "retry", f"HTTP {answer.status}"
    return "reject", f"HTTP {answer.status}: {answer.text[:200]}"


class Killer(threading.Thread):
    """SIGKILL the server when the acknowledged count passes random points of the run, and restart it."""

    def __init__(self, server, tally, *, kills, rng):
        super().__init__(daemon=True)
        self.server, self.tally, self.rng = server, tally, rng
        # Distinct acknowledged counts in the first two thirds of the run: the last third is left so that
        # clients which rush ahead while the killer is still polling a restarted server cannot finish the
        # whole run before the next planned kill (a kill that never happens proves nothing).
        points = range(1, max(2, tally.total * 2 // 3))
        self.thresholds = sorted(rng.sample(points, min(kills, len(points))))
        self.kills, self.restarts, self.error = 0, [], None

    def run(self):
        for threshold in self.thresholds:
            with self.tally.changed:
                self.tally.changed.wait_for(lambda point=threshold: self.tally.done or self.tally.acknowledged >= point)
                if self.tally.done:
                    return
            time.sleep(self.rng.uniform(0, 0.15))  # land anywhere inside requests (a filing takes ~20-150 ms)
            self.server.kill()
            self.kills += 1
            started = time.monotonic()
            try:
                self.server.start(ready_path="/accounts/login")
            except Exception as error:  # noqa: BLE001  (whatever it is, the clients must stop waiting)
                self.error, self.tally.aborted = f"{type(error).__name__}: {error}", True
                return
            self.restarts.append(time.monotonic() - started)

    def mean_restart(self):
        return sum(self.restarts) / len(self.restarts) if self.restarts else 0.0
