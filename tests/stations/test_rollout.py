"""The rollout checklist of a PAO: every item starts undone, each links to its fixing page, and the PAO's
own progress marks it done; another PAO's progress does not."""
import json
from datetime import datetime

from flask_babel import force_locale
from shapely.geometry import box, mapping

from app.accounts.invitations import create_invitation
from app.accounts.models import Role
from app.stations.adminareas import import_admin_areas
from app.stations.models import JurisdictionArea
from app.stations.rollout import rollout_checklist
from tests.factories import make_mou, make_pao, make_report, make_station, make_user


def _tambon(tmp_path):
    features = []
    for n, x in enumerate((100.5, 100.6), start=1):
        props = {"tambon_code": f"83010{n}", "tambon_th": f"ต{n}", "tambon_en": f"T{n}", "amphoe_code": "8301",
                 "amphoe_th": "อ", "amphoe_en": "A", "province_code": "83", "province_th": "ภูเก็ต",
                 "province_en": "Phuket"}
        features.append({"type": "Feature", "properties": props, "geometry": mapping(box(x, 7.0, x + 0.1, 7.1))})
    path = tmp_path / "tambon.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    import_admin_areas(path)


def _states(pao):
    return {item.key: item.done for item in rollout_checklist(pao)}


def _english(pao):
    with force_locale("en"):
        return {item.key: item for item in rollout_checklist(pao)}


def test_checklist_follows_the_rollout(app, db, tmp_path):
    _tambon(tmp_path)
    pao = make_pao(code="phuket", prefix="PKT")
    other = make_pao(code="krabi", prefix="KBI")
    pao.province_code = "83"
    db.session.commit()
    assert _states(pao) == {"stations": False, "areas": False, "mous": False, "coordinator": False,
                            "users": False, "first_report": False}
    station = make_station(code="pk1", lat=7.05, lon=100.55)
    area = JurisdictionArea(station=station, source="test")
    area.geometry = box(100.5, 7.0, 100.6, 7.1)  # one of the two tambon
    db.session.add(area)
    make_mou(pao=pao, station=station)
    pao.coordinator_station = station
    make_user(role=Role.COUNCIL_MEMBER, pao=other).last_login_at = datetime(2026, 1, 1)  # other PAO: no effect
    make_report(pao=other, station=station)
    db.session.commit()
    items = _english(pao)
    assert [k for k, item in items.items() if item.done] == ["stations", "mous", "coordinator"]
    assert "1 of 2 tambon covered (50%)" in items["areas"].detail
    create_invitation(None, role="council_member", display_name="M", pao=pao)
    make_user(role=Role.COUNCIL_MEMBER, pao=pao).last_login_at = datetime(2026, 1, 1)
    make_report(pao=pao, station=station)
    area2 = JurisdictionArea(station=station, source="test")
    area2.geometry = box(100.6, 7.0, 100.7, 7.1)
    db.session.add(area2)
    db.session.commit()
    assert all(_states(pao).values())
    assert "1 invitations waiting" in _english(pao)["users"].detail


def test_the_page_links_every_item_to_its_fixing_page(client, db, login, tmp_path):
    _tambon(tmp_path)
    pao = make_pao(code="phuket", prefix="PKT")
    pao.province_code = "83"
    make_pao(code="krabi", prefix="KBI")
    db.session.commit()
    login(make_user(role=Role.ADMIN))
    page = client.get("/stations/rollout?pao=phuket&lang=en").get_data(as_text=True)
    assert page.count("(to do)") == 6
    for href in ("/stations/import/stations", "/stations/jurisdiction?pao=phuket", "/stations/import/mous",
                 "/stations/paos", "/accounts/invitations", "/stations/coverage?pao=phuket"):
        assert f'href="{href}"' in page, href
    assert client.get("/stations/rollout?pao=nowhere").status_code == 404


def test_a_coordinator_sees_only_their_own_pao(client, db, login):
    mine = make_pao(code="phuket", prefix="PKT", name_en="Phuket PAO")
    make_pao(code="krabi", prefix="KBI", name_en="Krabi PAO")
    station = make_station(code="pk1")
    db.session.commit()
    login(make_user(role=Role.PAO_COORDINATOR, pao=mine, station=station))
    page = client.get("/stations/rollout?pao=krabi&lang=en").get_data(as_text=True)
    assert "Rollout checklist: Phuket PAO" in page and "Krabi PAO" not in page
