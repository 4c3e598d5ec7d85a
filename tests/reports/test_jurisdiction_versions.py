"""Jurisdiction versions: drafts start from the areas in force, publishing builds areas from tambon, routing
uses the version in force on the report's day, and open reports that move are re-routed."""
from datetime import timedelta

import pytest

from app.core.timeutil import utcnow
from app.reports.jurisdiction_publish import preview_moves, publish_version, versions_taking_effect_job
from app.reports.routing_service import clear_index_cache, get_index, route_report
from app.stations.jurisdiction import (
    JurisdictionError,
    assign,
    assignment_map,
    bangkok_today,
    compare,
    get_draft,
    unassigned,
    version_in_force,
    versions,
)
from app.stations.models import JurisdictionArea
from app.stations.services import routing_version
from tests.factories import make_report
from tests.stations.jurisdiction_world import IN_900102, build_world


@pytest.fixture()
def world(db, tmp_path):
    clear_index_cache()
    yield build_world(tmp_path)
    clear_index_cache()


def _route(world, point, at):
    return get_index().route(point[0], point[1], "traffic", "songkhla", at)


def test_draft_starts_from_the_areas_in_force(world):
    draft = get_draft(world["pao"])
    west, east = world["west"].id, world["east"].id
    assert assignment_map(draft) == {"900101": west, "900102": west, "900201": east, "900202": east}
    assert get_draft(world["pao"]) is draft  # one draft per PAO
    assign(draft, ["900202"], None)
    assert [t.code for t in unassigned(draft)] == ["900202"]


def test_assign_refuses_tambon_of_other_provinces(world):
    draft = get_draft(world["pao"])
    with pytest.raises(JurisdictionError) as error:
        assign(draft, ["100101"], world["east"])
    assert "100101" in error.value.message_th and "100101" in str(error.value)


def test_publish_today_moves_open_reports_and_keeps_the_old_areas(world, db):
    pao, west, east = world["pao"], world["west"], world["east"]
    report = make_report(pao=pao, category=world["category"], lat=IN_900102[0], lon=IN_900102[1])
    route_report(report)
    assert report.station == west
    draft = get_draft(pao)
    assign(draft, ["900102"], east)
    moves = preview_moves(draft, bangkok_today())
    assert [(r.id, d.station_code) for r, d in moves] == [(report.id, "east")]
    assert report.station == west and draft.is_draft  # the dry run wrote nothing
    before = routing_version()

    version = publish_version(draft, bangkok_today(), actor=None, note="900102 goes to east")
    assert (version.number, version.moved_reports, version.note) == (1, 1, "900102 goes to east")
    assert report.station == east and report.routing_decisions[-1].reason == "reroute"
    assert routing_version() > before  # every server rebuilds its index on its next route()
    assert version_in_force(pao) == version
    old = db.session.scalars(db.select(JurisdictionArea).where(JurisdictionArea.version_id.is_(None))).all()
    assert len(old) == 2 and all(a.valid_until == bangkok_today() for a in old)
    # A report of yesterday is routed by the areas in force yesterday.
    assert _route(world, IN_900102, utcnow() - timedelta(days=1)).station_code == "west"
    assert _route(world, IN_900102, utcnow()).station_code == "east"


def test_a_later_version_holds_from_its_day_only(world):
    pao, west, east = world["pao"], world["west"], world["east"]
    report = make_report(pao=pao, category=world["category"], lat=IN_900102[0], lon=IN_900102[1])
    route_report(report)
    publish_version(get_draft(pao), bangkok_today(), actor=None)  # version 1: as the imported areas
    draft = get_draft(pao)
    assign(draft, ["900101", "900102"], east)
    tomorrow = bangkok_today() + timedelta(days=1)
    assert [r.id for r, _d in preview_moves(draft, tomorrow)] == [report.id]
    version = publish_version(draft, tomorrow, actor=None)
    assert (version.number, version.moved_reports) == (2, None)  # not in force yet: nothing moves today
    assert report.station == west and versions_taking_effect_job(utcnow()) == 0
    assert _route(world, IN_900102, utcnow()).station_code == "west"
    assert _route(world, IN_900102, utcnow() + timedelta(days=1)).station_code == "east"
    # On its day the periodic job moves the open reports, once.
    assert versions_taking_effect_job(utcnow() + timedelta(days=1)) == 1
    assert report.station == east and version.moved_reports == 1
    assert versions_taking_effect_job(utcnow() + timedelta(days=1)) == 0
    assert [v.number for v in versions(pao)] == [2, 1]
    changed = compare(pao, versions(pao)[1], versions(pao)[0])
    assert [(t.code, a, b) for t, a, b in changed] == [("900101", west.id, east.id), ("900102", west.id, east.id)]


def test_publish_refuses_a_past_day_or_one_before_the_last_version(world):
    pao = world["pao"]
    with pytest.raises(JurisdictionError):
        publish_version(get_draft(pao), bangkok_today() - timedelta(days=1), actor=None)
    publish_version(get_draft(pao), bangkok_today() + timedelta(days=3), actor=None)
    with pytest.raises(JurisdictionError) as error:
        publish_version(get_draft(pao), bangkok_today() + timedelta(days=2), actor=None)
    assert "1" in error.value.message_en


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=[str(a) for a in args])


def test_cli_publishes_a_version_from_the_mapping_csv(app, world, db, tmp_path):
    pao, east = world["pao"], world["east"]
    report = make_report(pao=pao, category=world["category"], lat=IN_900102[0], lon=IN_900102[1])
    route_report(report)
    db.session.commit()
    mapping = tmp_path / "map.csv"
    mapping.write_text("tambon_code,station_code\n900101,west\n900102,east\n900201,east\n100101,east\n",
                       encoding="utf-8")
    dry = _cli(app, "areas", "publish", "songkhla", "--map", mapping, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert f"would move {report.reference_number}" in dry.output and "nothing written" in dry.output
    assert "900202" in dry.output and "not in the province" in dry.output  # warnings: no station, other province
    assert not versions(pao)
    done = _cli(app, "areas", "publish", "songkhla", "--map", mapping, "--note", "from the CSV")
    assert done.exit_code == 0, done.output
    assert "version 1 of songkhla published" in done.output and "moved: 1" in done.output
    db.session.expire_all()
    assert report.station_id == east.id
    bad = tmp_path / "bad.csv"
    bad.write_text("tambon_code,station_code\n900101,nowhere\n", encoding="utf-8")
    refused = _cli(app, "areas", "publish", "songkhla", "--map", bad)
    assert refused.exit_code != 0 and "nowhere" in refused.output
    assert _cli(app, "areas", "publish", "songkhla", "--map", mapping, "--from", "yesterday").exit_code != 0


def test_an_import_after_a_version_keeps_the_history_and_warns(world, db, tmp_path):
    from app.stations.importers import import_areas
    from tests.stations.helpers import WEST, collection, feature, write_json

    publish_version(get_draft(world["pao"]), bangkok_today(), actor=None)
    result = import_areas(write_json(tmp_path / "w.geojson", collection(feature("west", WEST))), key="station")
    assert any("published jurisdiction version" in w for w in result.warnings)
    ended = db.session.scalars(db.select(JurisdictionArea).where(JurisdictionArea.valid_until.is_not(None))).all()
    assert len(ended) == 2  # the imported areas version 1 ended are still stored


def test_an_imported_area_of_another_province_stays_in_force(world, db, tmp_path):
    import shapely

    from app.stations.importers import import_areas
    from tests.factories import make_station
    from tests.stations.helpers import collection, feature, write_json

    make_station(code="far", lat=7.02, lon=100.62)
    # Mostly east of the province, reaching over the inner point of tambon 900202.
    import_areas(write_json(tmp_path / "f.geojson", collection(feature("far", shapely.box(100.47, 7.0, 100.65, 7.05)))),
                 key="station")
    publish_version(get_draft(world["pao"]), bangkok_today(), actor=None)
    imported = db.session.scalars(db.select(JurisdictionArea).where(JurisdictionArea.version_id.is_(None))).all()
    assert {a.station.code: a.valid_until for a in imported} == {
        "far": None, "west": bangkok_today(), "east": bangkok_today()}
