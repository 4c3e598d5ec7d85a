"""CSV exports: a BOM, Thai intact, no narrative or resident data, no drug coordinates; the station figures."""
import csv
import io

from tests.oversight.conftest import NOW  # noqa: F401  (the timeline fixture's clock)
from tests.oversight.helpers import signed_in
from tests.oversight.test_hotspots import put

RESIDENT = "นางสาวมะลิ ทดสอบ"


def parse(response):
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM, so spreadsheet programs read Thai
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_reports_csv_has_no_personal_data(app, db, world, timeline):
    from app.security.sealing import seal

    timeline[1].resident_name_sealed = seal(RESIDENT)
    timeline[1].address_text = "12 ซอยตลาด บ้านนายสมชาย"
    from app.extensions import db as _db
    _db.session.commit()
    client = signed_in(app, world.coordinator)
    thai = client.get("/oversight/export/reports.csv?from=2026-03&to=2026-04&lang=th")
    assert thai.status_code == 200
    assert thai.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in thai.headers["Content-Disposition"]
    rows = parse(thai)
    assert len(rows) == 9
    assert rows[1][3] == "ลักทรัพย์" and rows[1][5] == "สภ.ตะวันตก"  # Thai survives the round trip
    response = client.get("/oversight/export/reports.csv?from=2026-03&to=2026-04&lang=en")
    header, *body = parse(response)
    for text in (thai.get_data().decode("utf-8-sig"), response.get_data().decode("utf-8-sig")):
        for secret in ("Theft of motorbikes", "081-234-5678", RESIDENT, "ซอยตลาด", "member", "User "):
            assert secret not in text
    by_ref = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    drug = by_ref[timeline[8].reference_number]
    assert drug["Latitude"] == "" and drug["Longitude"] == ""
    theft = by_ref[timeline[1].reference_number]
    assert theft["Latitude"] == "7.200" and theft["Longitude"] == "100.550"
    assert theft["Filed (Bangkok time)"] == "2026-03-02 10:00"
    assert theft["First acknowledged"] == "2026-03-02 11:00"
    assert theft["Acknowledged within SLA"] == "yes" and theft["Status code"] == "action_taken"
    r5 = by_ref[timeline[5].reference_number]
    assert r5["Overdue now"] == "yes" and r5["Acknowledged within SLA"] == "no"
    assert by_ref[timeline[6].reference_number]["Transferred"] == "yes"


def test_reports_csv_follows_the_scope(app, db, world, timeline):
    other = parse(signed_in(app, world.other_coordinator).get("/oversight/export/reports.csv?from=2026-03&to=2026-04"))
    assert [row[0] for row in other[1:]] == [timeline[9].reference_number]
    mine = parse(signed_in(app, world.member2).get("/oversight/export/reports.csv?from=2026-03&to=2026-04"))
    assert [row[0] for row in mine[1:]] == [timeline[8].reference_number]


def test_station_figures_csv(app, db, world, timeline):
    from app.extensions import db as _db
    from app.oversight.rollup import refresh_rollups

    refresh_rollups()
    _db.session.commit()
    response = signed_in(app, world.coordinator).get("/oversight/export/stations.csv?from=2026-03&to=2026-04&lang=en")
    rows = parse(response)
    assert rows[0][:3] == ["Station code", "Station", "Reports"]
    west = next(row for row in rows if row[0] == "west")
    assert west[1] == "West Station" and west[2] == "7"
    assert west[5] == "2.0" and west[6] == "30.0"  # median and p90 hours to acknowledge


def test_hotspot_reports_do_not_leak_through_the_export(app, db, world):
    put(world, 2, category=world.dealing)
    rows = parse(signed_in(app, world.coordinator).get("/oversight/export/reports.csv?from=2026-05&to=2026-05"))
    assert len(rows) == 3 and all(row[-1] == "" and row[-2] == "" for row in rows[1:])


def test_an_export_too_large_for_one_file_is_refused_with_advice(app, db, world, monkeypatch):
    put(world, 6)  # May 2026, with the rollups refreshed
    monkeypatch.setitem(app.config, "EXPORT_DIRECT_ROWS", 5)
    client = signed_in(app, world.coordinator)
    client.get("/language/en?next=/")
    refused = client.get("/oversight/export/reports.csv?from=2026-05&to=2026-05")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and refused.mimetype == "text/html"
    assert "This export would hold 6 reports, more than the 5 one file may hold." in page
    assert 'href="/oversight/?from=2026-05&amp;to=2026-05"' in page  # back to the same filters
    dashboard = client.get("/oversight/?from=2026-05&to=2026-05").get_data(as_text=True)
    assert "Reports (CSV): more than 5 reports" in dashboard and "export/reports.csv" not in dashboard
    client.get("/language/th?next=/")
    thai = client.get("/oversight/export/reports.csv?from=2026-05&to=2026-05").get_data(as_text=True)
    assert "ไฟล์เดียว" in thai

    monkeypatch.setitem(app.config, "EXPORT_DIRECT_ROWS", 6)
    allowed = client.get("/oversight/export/reports.csv?from=2026-05&to=2026-05")
    assert allowed.status_code == 200 and len(parse(allowed)) == 7  # the header and six reports
