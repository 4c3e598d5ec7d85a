"""Location privacy by construction: nothing about another member's report locates it finer than Open311 does."""
import math
import uuid

import pytest

from app.categories.models import Category
from app.extensions import db
from app.reports.disclosure import public_point
from app.reports.duplicates import find_duplicates
from app.routing.geodesy import geodesic_m
from tests.api.helpers import bearer, new_report_body, token_for
from tests.factories import make_report, make_user
from tests.reports.factories_reports import WEST_POINT, form_data

NARRATIVE = "Dealer sells from the blue house of Somchai"
GRID = 17  # 17 x 17 = 289 query points per layout, through the form's own endpoint


def _category(code):
    return db.session.scalar(db.select(Category).where(Category.code == code))


def _grid(centre, half_span_m):
    """Return GRID x GRID points around centre, half_span_m to each side."""
    lat0, lon0 = centre
    dlat = half_span_m / 110_574
    dlon = half_span_m / (111_320 * math.cos(math.radians(lat0)))
    steps = [-1 + 2 * i / (GRID - 1) for i in range(GRID)]
    return [(lat0 + a * dlat, lon0 + b * dlon) for a in steps for b in steps]


def _answers(client, category, points):
    """Return the duplicates answer (the JSON list) for each query point."""
    out = []
    for lat, lon in points:
        response = client.get(f"/reports/api/duplicates?category_id={category.id}&lat={lat:.6f}&lon={lon:.6f}"
                              "&lang=en")
        assert response.status_code == 200
        out.append(response.get_json()["duplicates"])
    return out


def _centroid(points):
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


# (category, decimals of its public point, how far off the public point the exact one lies, grid half-span)
LAYOUTS = [("drugs.dealing", 2, 0.0042, 1900), ("crime.theft", 3, 0.00042, 460)]


@pytest.mark.parametrize(("code", "places", "offset", "span"), LAYOUTS)
def test_trilateration_gets_no_closer_than_the_public_point(member_client, world, code, places, offset, span):
    category = _category(code)
    public = (round(WEST_POINT[0], places), round(WEST_POINT[1], places))
    exact = (public[0] + offset, public[1] + offset)  # near a corner of its public cell
    assert public_point(*exact, category.top_code) == public
    other = make_user(pao=world.pao)
    report = make_report(filed_by=other, category=category, station=world.west, lat=exact[0], lon=exact[1],
                         narrative=NARRATIVE)
    db.session.commit()
    points = _grid(exact, span)
    first = _answers(member_client, category, points)
    seen = [p for p, rows in zip(points, first, strict=True) if rows]
    assert 10 <= len(seen) < len(points)  # it does show up as a possible duplicate, and not everywhere
    for rows in first:
        for row in rows:
            assert "distance_m" not in row and "reference_number" not in row
            assert row["distance"].startswith("within")
            if code.startswith("drugs"):
                assert row["band_m"] >= 1000
    # The attacker's best estimates: the centre of where it appears, and of where its finest band shows.
    finest = min(row["band_m"] for rows in first for row in rows)
    tight = [p for p, rows in zip(points, first, strict=True) if rows and rows[0]["band_m"] == finest]
    off_by = geodesic_m(*exact, *public)
    for estimate in (_centroid(seen), _centroid(tight)):
        assert geodesic_m(*estimate, *exact) > 0.7 * off_by
        assert geodesic_m(*estimate, *public) < 0.3 * off_by
    # Stronger: another exact point in the same public cell gives the very same answers everywhere.
    report.lat, report.lon = public[0] - offset, public[1] - offset
    db.session.commit()
    assert _answers(member_client, category, points) == first


def test_no_answer_about_a_foreign_report_carries_metres_reference_or_narrative(member_client, world, app):
    other = make_user(pao=world.pao)
    report = make_report(filed_by=other, category=world.category, station=world.west, lat=WEST_POINT[0] + 0.0004,
                         lon=WEST_POINT[1], narrative=NARRATIVE)
    db.session.commit()
    form = member_client.post("/reports/new?lang=en", data=form_data(world)).get_data(as_text=True)
    script = member_client.get(f"/reports/api/duplicates?category_id={world.category.id}"
                               f"&lat={WEST_POINT[0]}&lon={WEST_POINT[1]}&lang=en").get_data(as_text=True)
    secret = token_for(world.member)
    api = member_client.post("/api/v1/reports", json=new_report_body(world, category=world.category.code),
                             headers=bearer(secret, **{"Idempotency-Key": str(uuid.uuid4())}))
    assert api.status_code == 409
    candidates = api.get_json()["error"]["confirmations"]["duplicates"]["candidates"]
    assert len(candidates) == 1 and candidates[0]["distance"] == "within 250 m"
    for body in (form, script, api.get_data(as_text=True)):
        assert "within 250 m" in body
        assert report.reference_number not in body and "Somchai" not in body
        assert "44 m" not in body and "distance_m" not in body


def test_support_on_an_arbitrary_report_is_404_without_its_reference(member_client, world):
    other = make_user(pao=world.pao)
    far = make_report(filed_by=other, category=world.category, station=world.west, lat=WEST_POINT[0] + 0.05,
                      lon=WEST_POINT[1], narrative=NARRATIVE)
    near = make_report(filed_by=other, category=world.category, station=world.west, lat=WEST_POINT[0] + 0.0009,
                       lon=WEST_POINT[1])
    db.session.commit()
    data = form_data(world)
    refused = member_client.post(f"/reports/{far.id}/support?lang=en", data=data)
    missing = member_client.post("/reports/999999/support?lang=en", data=data)
    assert refused.status_code == missing.status_code == 404
    # No oracle: the same answer as an id that does not exist (the page only echoes its own URL).
    assert (refused.get_data(as_text=True).replace(f"/reports/{far.id}/", "/reports/ID/")
            == missing.get_data(as_text=True).replace("/reports/999999/", "/reports/ID/"))
    assert far.reference_number not in refused.get_data(as_text=True)
    db.session.refresh(far)
    assert far.supporter_count == 0
    done = member_client.post(f"/reports/{near.id}/support?lang=en", data=data, follow_redirects=True)
    assert done.status_code == 200 and near.reference_number not in done.get_data(as_text=True)
    db.session.refresh(near)
    assert near.supporter_count == 1


def test_open311_public_and_duplicates_use_the_same_public_point(client, world):
    for code in ("drugs.dealing", "crime.theft"):
        category = _category(code)
        report = make_report(filed_by=make_user(pao=world.pao), category=category, station=world.west,
                             lat=WEST_POINT[0] + 0.00437, lon=WEST_POINT[1] + 0.00261)
        db.session.commit()
        rows = client.get(f"/open311/v2/requests.json?jurisdiction_id={world.pao.code}"
                          f"&service_code={code}").get_json()
        published = next(r for r in rows if r["service_request_id"] == report.reference_number)
        found = find_duplicates(pao_id=world.pao.id, category_id=category.id, lat=report.lat, lon=report.lon,
                                viewer=world.member)
        assert found[0].public_point == (published["lat"], published["long"])
