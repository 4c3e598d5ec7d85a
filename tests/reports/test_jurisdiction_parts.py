"""Parts of a tambon given to another station: drawn or imported into the draft, clipped to the tambon,
published as part of the stations' areas, routed to the part's station, compared between versions."""
import json

import pytest
import shapely
from shapely.geometry import box, mapping

from app.reports.jurisdiction_publish import publish_version
from app.reports.routing_service import clear_index_cache, route_report
from app.stations.jurisdiction import bangkok_today, get_draft, versions
from app.stations.jurisdiction_parts import (
    PartsRefused,
    add_part,
    compare_parts,
    import_parts,
    part_overlaps,
    polygon_from_points,
)
from app.stations.models import JurisdictionArea
from tests.factories import make_report
from tests.stations.jurisdiction_world import TAMBON, build_world

# Inside tambon 900102 (lon 100.425-100.450, lat 7.00-7.05), reaching 0.01° over into 900201.
DRAWN = [[100.430, 7.010], [100.460, 7.010], [100.460, 7.030], [100.430, 7.030]]
IN_PART = (7.020, 100.440)
IN_REST = (7.045, 100.430)


@pytest.fixture()
def world(db, tmp_path):
    clear_index_cache()
    yield build_world(tmp_path)
    clear_index_cache()


def _geojson(*features):
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props, "geometry": geom} for props, geom in features]}).encode()


def test_a_drawn_part_is_clipped_to_its_tambon_and_routes_to_its_station(world, db):
    pao, west, east = world["pao"], world["west"], world["east"]
    draft = get_draft(pao)
    (part,) = add_part(draft, polygon_from_points(DRAWN), east, tambon_code="900102")
    clipped = shapely.from_wkb(part.geometry_wkb)
    assert clipped.bounds == pytest.approx((100.43, 7.01, 100.45, 7.03))  # cut at the tambon's edge

    version = publish_version(draft, bangkok_today(), actor=None)
    areas = {a.station_id: a.geometry for a in db.session.scalars(
        db.select(JurisdictionArea).where(JurisdictionArea.version_id == version.id))}
    assert areas[east.id].covers(clipped) and not areas[west.id].intersects(clipped.buffer(-1e-6))
    assert areas[west.id].area + areas[east.id].area == pytest.approx(
        shapely.union_all([g for _a, g in TAMBON.values()]).area)  # nothing lost, nothing doubled

    inside = make_report(pao=pao, category=world["category"], lat=IN_PART[0], lon=IN_PART[1])
    rest = make_report(pao=pao, category=world["category"], lat=IN_REST[0], lon=IN_REST[1])
    route_report(inside)
    route_report(rest)
    assert inside.station == east and rest.station == west
    decision = inside.routing_decisions[-1]
    assert east.name_en in decision.explanation_en and east.name_th in decision.explanation_th


def test_publishing_re_routes_an_open_report_into_a_part(world):
    pao, east = world["pao"], world["east"]
    report = make_report(pao=pao, category=world["category"], lat=IN_PART[0], lon=IN_PART[1])
    route_report(report)
    assert report.station == world["west"]
    draft = get_draft(pao)
    add_part(draft, polygon_from_points(DRAWN), east)  # no tambon named: 900201 is east's already
    assert [p.tambon_code for p in draft.parts] == ["900102"]
    with pytest.raises(PartsRefused) as error:
        add_part(draft, box(100.46, 7.01, 100.49, 7.02), east)
    assert "has already" in error.value.message_en
    assert publish_version(draft, bangkok_today(), actor=None).moved_reports == 1
    assert report.station == east


def test_parts_carry_into_the_next_draft_and_compare(world):
    pao, east = world["pao"], world["east"]
    add_part(get_draft(pao), polygon_from_points(DRAWN), east, tambon_code="900102")
    first = publish_version(get_draft(pao), bangkok_today(), actor=None)
    draft = get_draft(pao)
    assert [(p.tambon_code, p.station_id) for p in draft.parts] == [("900102", east.id)]
    assert compare_parts(first, draft) == ([], [])
    draft.parts.clear()
    removed, added = compare_parts(first, draft)
    assert [p.tambon_code for p in removed] == ["900102"] and added == []
    second = publish_version(draft, bangkok_today(), actor=None)
    assert [v.number for v in versions(pao)] == [second.number, first.number]


def test_overlapping_parts_are_warned_about(world):
    draft = get_draft(world["pao"])
    add_part(draft, box(100.43, 7.01, 100.44, 7.02), world["east"], tambon_code="900102")
    add_part(draft, box(100.435, 7.015, 100.445, 7.025), world["coordinator"], tambon_code="900102")
    add_part(draft, box(100.405, 7.01, 100.41, 7.02), world["east"], tambon_code="900101")
    assert [(a.station_id, b.station_id) for a, b in part_overlaps(draft)] == [
        (world["east"].id, world["coordinator"].id)]


@pytest.mark.parametrize(("points", "words"), [
    ([[100.43, 7.01], [100.44, 7.02]], "at least 3"),
    ([[100.43, 7.01], [100.44, 7.03], [100.44, 7.01], [100.43, 7.03]], "cross itself"),  # a bow tie
    ([[101.0, 8.0], [101.1, 8.0], [101.1, 8.1]], "does not lie within"),
    ("nonsense", "not a list of points"),
])
def test_a_bad_drawing_is_refused_in_both_languages(world, points, words):
    draft = get_draft(world["pao"])
    with pytest.raises(PartsRefused) as error:
        add_part(draft, polygon_from_points(points), world["east"], tambon_code="900102")
    assert words in error.value.message_en and error.value.message_th
    assert not draft.parts


def test_a_part_outside_the_named_tambon_is_refused(world):
    with pytest.raises(PartsRefused) as error:
        add_part(get_draft(world["pao"]), box(100.48, 7.01, 100.49, 7.02), world["east"], tambon_code="900102")
    assert "900102" in error.value.message_en and "ตำบล 900102" in error.value.message_th


def test_a_geojson_import_is_checked_whole(world):
    draft = get_draft(world["pao"])
    good = ({"station": "east", "tambon": "900102"}, mapping(box(100.43, 7.01, 100.44, 7.02)))
    data = _geojson(good,
                    ({"station": "nowhere"}, mapping(box(100.43, 7.01, 100.44, 7.02))),
                    ({"station": "east"}, {"type": "Point", "coordinates": [100.43, 7.01]}),
                    ({"station": "east", "tambon": "900201"}, mapping(box(100.43, 7.01, 100.44, 7.02))),
                    ({"station": "east"}, {"type": "Polygon", "coordinates": [
                        [[100.43, 7.01], [100.44, 7.03], [100.44, 7.01], [100.43, 7.03], [100.43, 7.01]]]}))
    with pytest.raises(PartsRefused) as error:
        import_parts(draft, data, "parts.geojson")
    en = error.value.lines_en
    assert len(en) == 4 and not draft.parts  # nothing written
    assert "feature 2" in en[0] and "'nowhere'" in en[0]
    assert "feature 3" in en[1] and "Point" in en[1]
    assert "feature 4" in en[2] and "900201" in en[2]
    assert "feature 5" in en[3] and "cross itself" in en[3]
    assert "รายการที่ 2" in error.value.lines_th[0]

    (part,) = import_parts(draft, _geojson(good), "parts.geojson")
    assert (part.tambon_code, part.station_id, part.source) == ("900102", world["east"].id, "parts.geojson")


@pytest.mark.parametrize(("data", "words"), [
    (b"{not json", "not valid JSON"),
    (b'{"type": "FeatureCollection", "features": []}', "with features"),
    (b" " * (2 * 1024 * 1024 + 1), "larger than 2 MB"),
])
def test_a_file_that_is_not_usable_geojson_is_refused(world, data, words):
    with pytest.raises(PartsRefused) as error:
        import_parts(get_draft(world["pao"]), data, "f.geojson")
    assert words in error.value.message_en and "f.geojson" in error.value.message_th


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=[str(a) for a in args])


def test_cli_imports_parts_and_publishes_the_draft(app, world, db, tmp_path):
    pao, east = world["pao"], world["east"]
    report = make_report(pao=pao, category=world["category"], lat=IN_PART[0], lon=IN_PART[1])
    route_report(report)
    db.session.commit()
    bad = tmp_path / "bad.geojson"
    bad.write_bytes(_geojson(({"station": "nowhere"}, mapping(box(100.43, 7.01, 100.44, 7.02)))))
    refused = _cli(app, "areas", "parts", "songkhla", bad)
    assert refused.exit_code == 2 and "unknown station code 'nowhere'" in refused.output
    good = tmp_path / "parts.geojson"
    good.write_bytes(_geojson(({"station": "east", "tambon": "900102"}, mapping(box(100.43, 7.01, 100.445, 7.03))),
                              ({"station": "coordinator"}, mapping(box(100.44, 7.025, 100.446, 7.04)))))
    done = _cli(app, "areas", "parts", "songkhla", good)
    assert done.exit_code == 0, done.output
    assert "2 part(s) added" in done.output and "overlap" in done.output
    again = _cli(app, "areas", "parts", "songkhla", good, "--replace")
    assert "it has 2 part(s)" in again.output
    published = _cli(app, "areas", "publish", "songkhla")
    assert published.exit_code == 0, published.output
    assert "version 1 of songkhla published" in published.output and "moved: 1" in published.output
    db.session.expire_all()
    assert report.station_id == east.id
