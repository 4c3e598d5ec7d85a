"""Demo data for Songkhla, built with the same services a real rollout uses."""
from datetime import date
from pathlib import Path

from app.accounts.models import User
from app.accounts.services import create_user
from app.categories.services import seed_categories
from app.demo.boundaries import DEMO_FILE
from app.extensions import db
from app.security.access import Role
from app.stations.adminareas import import_admin_areas
from app.stations.importers import import_areas
from app.stations.models import AdminArea, JurisdictionArea, Mou, MouStatus, Pao
from app.stations.mous import create_mou
from app.stations.services import create_pao, find_station, set_province, upsert_station
from app.stations.songkhla import SONGKHLA_STATIONS

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"

# (station, signed_on, effective_from, expires_on, status, categories) — the pilot plus a few others,
# so the demo shows covered, partly covered, ended and uncovered stations.
DEMO_MOUS = (
    ("mueang_songkhla", date(2021, 12, 3), date(2021, 12, 3), None, MouStatus.ACTIVE, None),
    ("hat_yai", date(2025, 6, 1), date(2025, 7, 1), date(2028, 6, 30), MouStatus.ACTIVE, None),
    ("kho_hong", date(2025, 6, 1), date(2025, 7, 1), date(2027, 1, 15), MouStatus.ACTIVE, None),
    ("sadao", date(2025, 9, 10), date(2025, 10, 1), None, MouStatus.ACTIVE, ("drugs", "traffic")),
    ("singhanakhon", date(2024, 1, 15), date(2024, 2, 1), date(2025, 1, 31), MouStatus.ENDED, None),
)

# (username, display name, role, station code). Police, coordinator and admin are not enrolled in
# two-factor sign-in: like real staff, they set up an authenticator app at their first sign-in.
DEMO_USERS = (
    ("council", "สมชาย ใจดี (ส.อบจ. เขต 1)", Role.COUNCIL_MEMBER, None),
    ("council2", "สุดา รักถิ่น (ส.อบจ. เขต 7)", Role.COUNCIL_MEMBER, None),
    ("desk.mueang", "ร.ต.ท. ประยุทธ์ เวรสอบสวน", Role.DESK_OFFICER, "mueang_songkhla"),
    ("desk.hatyai", "ด.ต. วิชัย ประจำโต๊ะ", Role.DESK_OFFICER, "hat_yai"),
    ("commander.hatyai", "พ.ต.อ. อนันต์ ผู้กำกับ", Role.STATION_COMMANDER, "hat_yai"),
    ("coordinator", "นางสาวกานดา ประสานงาน (อบจ.สงขลา)", Role.PAO_COORDINATOR, None),
    ("admin", "ผู้ดูแลระบบ", Role.ADMIN, None),
)


def seed_demo(password, areas_dir=SHARED_DATA):
    """Create the Songkhla demo where missing; running it again changes nothing. Return a summary."""
    summary = {"categories": seed_categories(), "stations": 0, "mous": 0, "users": 0, "areas": 0}
    for code, name_th, name_en, lat, lon in SONGKHLA_STATIONS:
        _station, created = upsert_station(code=code, name_th=name_th, name_en=name_en, lat=lat, lon=lon)
        summary["stations"] += created
    db.session.flush()
    pao = db.session.scalar(db.select(Pao).where(Pao.code == "songkhla"))
    if pao is None:
        pao = create_pao(code="songkhla", name_th="องค์การบริหารส่วนจังหวัดสงขลา",
                         name_en="Songkhla Provincial Administrative Organisation", prefix="SKA",
                         coordinator_code="mueang_songkhla")
    for code, signed, effective, expires, status, categories in DEMO_MOUS:
        station = find_station(code)
        if db.session.scalar(db.select(Mou.id).where(Mou.pao_id == pao.id, Mou.station_id == station.id)):
            continue
        create_mou(pao=pao, station=station, signed_on=signed, effective_from=effective,
                   expires_on=expires, status=status, covers_all=categories is None,
                   category_codes=categories or (), document_ref=f"อบจ.สข.-สภ. MOU {code} (demo)")
        summary["mous"] += 1
    for username, name, role, station_code in DEMO_USERS:
        if db.session.scalar(db.select(User.id).where(User.username == username)):
            continue
        station = find_station(station_code) if station_code else None
        create_user(username=username, display_name=name, role=role, password=password,
                    pao=pao if role != Role.ADMIN and station is None else None, station=station,
                    preferred_language="th")
        summary["users"] += 1
    summary["areas"] = _seed_areas(areas_dir)
    if pao.province_code is None:
        set_province(pao, "90", name_th="สงขลา", name_en="Songkhla")
    db.session.flush()
    return summary


def _seed_areas(areas_dir):
    """Import Songkhla's station areas and tambon names where none exist yet: from the full-precision shared
    data when it is there, else from the simplified file shipped with the demo (app/demo/data)."""
    tambon = Path(areas_dir) / "songkhla_tambon.geojson"
    mapping = Path(areas_dir) / "songkhla_jurisdiction_approx.csv"
    full = tambon.exists() and mapping.exists()
    if not db.session.scalar(db.select(AdminArea.id).limit(1)):
        import_admin_areas(tambon if full else DEMO_FILE, level="tambon")
    if db.session.scalar(db.select(JurisdictionArea.id).limit(1)):
        return 0
    if full:
        return import_areas(tambon, key="tambon_code", mapping_path=mapping).areas_written
    return import_areas(DEMO_FILE, key="station_code").areas_written
