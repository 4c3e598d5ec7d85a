"""Seed a bench database with the app's own services: the Songkhla demo, more people, API keys, reports."""
import random
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from bench._server import REPO, SECRET_KEY

PASSWORD = "bench-password-2569"
# Categories every demo MOU covers, so a report anywhere near the covered stations is accepted.
CATEGORIES = ("crime.theft", "crime.gambling", "crime.suspicious", "drugs.dealing", "drugs.use_hotspot",
              "traffic.street_racing", "traffic.illegal_parking", "traffic.broken_signal")
# Around the stations the demo PAO has an MOU with for every category (Hat Yai, Kho Hong, Mueang Songkhla).
CENTRES = ((7.0155, 100.4751), (7.0119, 100.5083), (7.2009, 100.5943))
WORDS = ("มอเตอร์ไซค์", "แข่งรถ", "ตลาดสด", "หน้าโรงเรียน", "ซอย", "กลางคืน", "ยาเสพติด", "บ่อนพนัน", "ลักขโมย",
         "เสียงดัง", "ไฟดับ", "ทางแยก", "วัด", "สะพาน", "ป้ายรถเมล์")


@dataclass
class Seeded:
    """What the clients need: who signs in with what, their API tokens and TOTP secrets, and category ids."""

    members: list = field(default_factory=list)  # usernames
    desks: list = field(default_factory=list)
    coordinators: list = field(default_factory=list)
    tokens: dict = field(default_factory=dict)  # username -> Bearer token
    totp: dict = field(default_factory=dict)  # username -> base32 secret, for two-factor roles
    category_ids: dict = field(default_factory=dict)  # code -> id


def bench_app(url, workdir):
    """Return an app on the bench database with the settings the server runs with."""
    from app import create_app
    from config import Config

    instance = Path(workdir) / "instance"
    instance.mkdir(parents=True, exist_ok=True)
    return create_app(type("BenchConfig", (Config,), {
        "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET_KEY, "INSTANCE_DIR": str(instance),
        "RATELIMIT_ENABLED": False}))


def seed_people(app, *, members, desks, coordinators, areas=False, tokens=False):
    """Seed the demo PAO and stations, then council members, desk officers (one per covered station in turn)
    and coordinators; return a Seeded. areas imports the shared Songkhla boundaries when present."""
    from app.accounts.models import Role
    from app.accounts.services import create_user
    from app.api.tokens import create_token
    from app.categories.models import Category
    from app.demo.seed import SHARED_DATA, seed_demo
    from app.extensions import db
    from app.stations.models import Pao
    from app.stations.services import find_station

    seeded = Seeded()
    with app.app_context():
        # a folder without the boundary files: reports then go to the nearest covered station
        seed_demo(PASSWORD, areas_dir=SHARED_DATA if areas else REPO / "bench")
        pao = db.session.scalar(db.select(Pao).where(Pao.code == "songkhla"))
        stations = [find_station(code) for code in ("hat_yai", "kho_hong", "mueang_songkhla")]
        for n in range(members):
            user = create_user(username=f"bench.member{n}", role=Role.COUNCIL_MEMBER, password=PASSWORD, pao=pao)
            seeded.members.append(user.username)
            if tokens:
                seeded.tokens[user.username] = create_token(user, label="bench")[1]
        for n in range(desks):
            user = create_user(username=f"bench.desk{n}", role=Role.DESK_OFFICER, password=PASSWORD,
                               station=stations[n % len(stations)])
            seeded.desks.append(user.username)
        for n in range(coordinators):
            user = create_user(username=f"bench.coordinator{n}", role=Role.PAO_COORDINATOR, password=PASSWORD,
                               pao=pao)
            seeded.coordinators.append(user.username)
        for username in seeded.desks + seeded.coordinators:
            secret = enrol_totp(username)
            if secret:
                seeded.totp[username] = secret
        seeded.category_ids = dict(db.session.execute(
            db.select(Category.code, Category.id).where(Category.code.in_(CATEGORIES))).all())
        db.session.commit()
    return seeded


def enrol_totp(username):
    """Enrol a two-factor user with a new TOTP secret through the accounts service; return the secret."""
    import pyotp

    from app.accounts.models import User
    from app.accounts.services import enrol_two_factor
    from app.accounts.twofactor import new_totp_secret
    from app.extensions import db

    user = db.session.scalar(db.select(User).where(User.username == username))
    if not user.needs_two_factor:
        return None
    secret = new_totp_secret()
    enrol_two_factor(user, secret, pyotp.TOTP(secret).now())
    return secret


def totp_code(secret):
    """Return a code the app accepts once: the next time step's, as enrolment just used the current one."""
    import time

    import pyotp

    return pyotp.TOTP(secret).at(time.time() + 30)


def random_place(rng):
    """Return (lat, lon) within about 3 km of a covered station."""
    lat, lon = rng.choice(CENTRES)
    return round(lat + rng.uniform(-0.025, 0.025), 6), round(lon + rng.uniform(-0.025, 0.025), 6)


def random_narrative(rng, marker=""):
    """Return a Thai narrative of 8 to 20 words, with the marker appended when given."""
    text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20)))
    return f"{text} {marker}".strip()


def seed_reports(app, count, *, seed=1, days=120, acknowledged=0.5):
    """File `count` reports through submit_report over the last `days` days; acknowledge a share of them."""
    from app.accounts.models import Role, User
    from app.core.timeutil import utcnow
    from app.extensions import db
    from app.reports.forms import leaf_categories
    from app.reports.intake import ReportDraft
    from app.reports.services import submit_report
    from app.reports.workflow import perform

    rng = random.Random(seed)
    with app.app_context():
        members = db.session.scalars(db.select(User).where(User.role == Role.COUNCIL_MEMBER)).all()
        desks = {u.station_id: u for u in db.session.scalars(db.select(User).where(User.role == Role.DESK_OFFICER))}
        categories = [c for c in leaf_categories() if c.code in CATEGORIES]
        now = utcnow()
        for n in range(count):
            lat, lon = random_place(rng)
            draft = ReportDraft(category=rng.choice(categories), narrative=random_narrative(rng), lat=lat, lon=lon,
                                idempotency_key=f"seed-{seed}-{n}", confirmed_place=True,
                                confirmed_personal_data=True, confirmed_new=True, resident_anonymous=True)
            when = now - timedelta(days=days * (1 - n / count), minutes=rng.randint(0, 600))
            report, _created = submit_report(rng.choice(members), draft, now=when)
            desk = desks.get(report.station_id)
            if desk is not None and rng.random() < acknowledged:
                perform(report, "acknowledge", desk, now=when + timedelta(hours=rng.uniform(0.5, 30)))
            if n % 200 == 199:
                db.session.commit()
        db.session.commit()
        from app.oversight.rollup import refresh_rollups
        refresh_rollups(rebuild_all=True)
        db.session.commit()
