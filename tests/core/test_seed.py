"""`flask seed-demo` builds the Songkhla demo once; a second run changes nothing."""
from sqlalchemy import func

from app.accounts.models import User
from app.categories.models import Category
from app.demo.seed import DEMO_USERS
from app.stations.models import JurisdictionArea, Mou, Pao, Station
from config import Config
from tests.accounts.helpers import enrol


def _counts(db):
    return {model.__name__: db.session.scalar(db.select(func.count()).select_from(model))
            for model in (Pao, Station, Mou, User, Category, JurisdictionArea)}


def test_seed_demo_is_idempotent(app, db):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    counts = _counts(db)
    assert counts["Pao"] == 1 and counts["Station"] == 31 and counts["User"] == 7
    assert counts["Mou"] >= 4
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    assert _counts(db) == counts


def test_demo_facts(app, db):
    app.test_cli_runner().invoke(args=["seed-demo", "--quiet"])
    pao = db.session.scalar(db.select(Pao))
    assert pao.code == "songkhla" and pao.reference_prefix == "SKA"
    assert pao.coordinator_station.code == "mueang_songkhla"
    unlocated = db.session.scalars(db.select(Station.code).where(Station.lat.is_(None))).all()
    assert sorted(unlocated) == ["huai_pling", "khlong_ngae", "khuan_mit", "sam_bo", "thung_lung"]
    pilot = db.session.scalar(db.select(Mou).join(Station).where(Station.code == "mueang_songkhla"))
    assert pilot.signed_on.isoformat() == "2021-12-03" and pilot.covers_all
    tops = db.session.scalars(db.select(Category.code).where(Category.parent_id.is_(None))).all()
    assert sorted(tops) == ["crime", "drugs", "traffic"]
    assert db.session.scalar(db.select(Category).where(Category.code == "crime.assault")).emergency


def test_every_demo_login_works(app, db, client):
    """Council members sign in with the password; staff set up two-factor at their first sign-in."""
    app.test_cli_runner().invoke(args=["seed-demo", "--quiet"])
    for username in ("council", "council2", "desk.mueang", "desk.hatyai", "commander.hatyai", "coordinator", "admin"):
        response = client.post("/accounts/login", data={"username": username,
                                                        "password": app.config["DEMO_PASSWORD"]})
        assert response.status_code == 302, username
        if username.startswith("council"):
            assert response.headers["Location"].endswith("/home")
        else:  # not pre-enrolled: the first sign-in goes through enrolment
            assert response.headers["Location"].endswith("/accounts/2fa/setup"), username
            _secret, codes, _page = enrol(client)
            assert len(codes) == 10
        assert client.get("/home").status_code == 200
        client.post("/accounts/logout")


def test_demo_passwords_pass_the_password_policy(app, db):
    from app.accounts.passwords import password_problems

    for username, *_rest in DEMO_USERS:
        assert password_problems(app.config["DEMO_PASSWORD"], username) == []
        assert password_problems(Config.DEMO_PASSWORD, username) == []


def test_seed_demo_imports_songkhla_areas_when_shared_data_is_present(app, db, shared_data):
    app.test_cli_runner().invoke(args=["seed-demo", "--quiet"])
    assert db.session.scalar(db.select(func.count(JurisdictionArea.id))) > 20


def test_without_the_shared_data_the_demo_routes_by_the_shipped_boundaries(app, db, tmp_path):
    from app.reports.routing_service import preview_route

    result = app.test_cli_runner().invoke(args=["seed-demo", "--quiet", "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert _counts(db)["JurisdictionArea"] >= 20
    # a point in Hat Yai's town goes to Hat Yai by its area, not to the nearest station
    decision = preview_route(lat=7.0084, lon=100.4767, category="crime.theft", pao="songkhla")
    assert (decision.rule, decision.station_code) == ("area", "hat_yai")
    # the demo PAO serves Songkhla, so a pin in Bangkok is doubted before it is sent
    pao = db.session.scalar(db.select(Pao).where(Pao.code == "songkhla"))
    assert (pao.province_code, pao.province_en) == ("90", "Songkhla")


def test_the_shipped_demo_boundaries_are_small_attributed_and_cover_songkhla():
    import json
    from pathlib import Path

    from app.demo.boundaries import DEMO_FILE

    assert DEMO_FILE.stat().st_size <= 1_000_000
    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    assert "CC BY-IGO 3.0" in data["attribution"] and len(data["features"]) == 127
    assert "CC BY-IGO 3.0" in (Path(DEMO_FILE).parent / "README.md").read_text(encoding="utf-8")
