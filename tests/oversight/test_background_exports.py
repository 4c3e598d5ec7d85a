"""Background exports end to end: asked on the page, run by the worker's periodic job into storage (folder
and SeaweedFS) as gzip CSV, progress shown, a time-limited link for the requester only, deleted later."""
import csv
import gzip
import io
import re
from datetime import datetime, timedelta

import pytest

from app.core.storage import get_storage
from app.core.timeutil import utcnow
from app.delivery.periodic import run_due_jobs
from app.extensions import db as _db
from app.oversight.export_jobs import DONE, FAILED, ExportJob, claim_export, purge_exports
from app.reports.models import Report
from app.security.sealing import seal
from tests.oversight.helpers import filed, signed_in

MAY = datetime(2026, 5, 10, 3, 0)
ROWS = 3000


def many_reports(world, count):
    """One real report, then `count - 1` copies of its row with fresh references (fast bulk insert)."""
    first = filed(member=world.member, station=world.west, category=world.theft, created_at=MAY)
    first.resident_name_sealed = seal("นางสาวมะลิ ทดสอบ")
    _db.session.commit()
    table = Report.__table__
    row = dict(_db.session.execute(table.select().where(table.c.id == first.id)).mappings().one())
    row.pop("id")
    copies = [{**row, "reference_number": f"{row['reference_number']}-{n}", "idempotency_key": f"bulk-{n}",
               "created_at": MAY + timedelta(seconds=n)} for n in range(1, count)]
    _db.session.execute(table.insert(), copies)
    _db.session.commit()


@pytest.fixture(params=["file", "s3"])
def backend(request, app, tmp_path):
    if request.param == "s3":
        request.getfixturevalue("s3_app")
        yield "s3"
        return
    saved = app.config.get("STORAGE_URL")
    app.config["STORAGE_URL"] = (tmp_path / "store").as_uri()
    yield "file"
    app.config["STORAGE_URL"] = saved


def _register_jobs():
    """Only the export jobs of the worker's list (the SLA check over 3,000 overdue copies is not this test's)."""
    from app.delivery.periodic import _JOBS, register_periodic
    from app.jobs import JOBS

    _JOBS.clear()
    for name, every, func in JOBS:
        if name.startswith("exports_"):
            register_periodic(name, every, func)


def test_a_large_export_runs_in_the_background_and_downloads_once_ready(app, db, world, backend):
    many_reports(world, ROWS)
    client = signed_in(app, world.coordinator)
    asked = client.post("/oversight/exports?lang=en", data={"from": "2026-05", "to": "2026-05"})
    assert asked.status_code == 302 and asked.headers["Location"].endswith("/oversight/exports")
    page = client.get("/oversight/exports?lang=en").get_data(as_text=True)
    assert "Waiting for the worker" in page and 'http-equiv="refresh"' in page and "Download" not in page

    _register_jobs()
    assert "exports_run" in run_due_jobs(utcnow())  # what the worker does every few seconds
    job = _db.session.scalar(_db.select(ExportJob))
    _db.session.refresh(job)
    assert job.status == DONE and job.rows_done == ROWS and job.rows_total == ROWS
    assert get_storage().exists(job.storage_key) and job.storage_key.startswith("exports/")

    page = client.get("/oversight/exports?lang=en").get_data(as_text=True)
    assert f"Ready: {ROWS:,} reports" in page and 'http-equiv="refresh"' not in page
    link = re.search(r'href="(/oversight/exports/\d+/download\?t=[^"]+)"', page).group(1).replace("&amp;", "&")
    download = client.get(link)
    assert download.status_code == 200 and download.mimetype == "application/gzip"
    assert "reports_2026-05_2026-05.csv.gz" in download.headers["Content-Disposition"]
    text = gzip.decompress(download.data).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "Reference" and len(rows) == ROWS + 1
    assert "มะลิ" not in text and "081-234-5678" not in text and "Theft of motorbikes" not in text

    # The link is the requester's only, and only for a while.
    assert signed_in(app, world.admin).get(link).status_code == 404
    assert client.get(link.split("?")[0] + "?t=forged").status_code == 403
    app.config["EXPORT_LINK_MINUTES"], saved = 0, app.config["EXPORT_LINK_MINUTES"]
    try:
        import time
        time.sleep(1.1)
        expired = client.get(link + "&lang=en")
        assert expired.status_code == 403 and "expired" in expired.get_data(as_text=True)
    finally:
        app.config["EXPORT_LINK_MINUTES"] = saved

    # Deleted (file and row) EXPORT_KEEP_HOURS after it was ready; nothing before.
    key = job.storage_key
    assert purge_exports(utcnow()) == 0
    assert purge_exports(utcnow() + timedelta(hours=app.config["EXPORT_KEEP_HOURS"], minutes=1)) == 1
    _db.session.commit()
    assert not get_storage().exists(key) and _db.session.scalar(_db.select(ExportJob)) is None


def test_exports_follow_the_scope_and_a_member_sees_only_their_own(app, db, world, backend):
    many_reports(world, 5)
    mine = signed_in(app, world.other_coordinator)
    mine.post("/oversight/exports", data={"from": "2026-05", "to": "2026-05"})
    job = claim_export(utcnow())
    from app.oversight.export_jobs import run_export
    run_export(job, utcnow())
    _db.session.refresh(job)
    assert job.status == DONE and job.rows_done == 0  # the other PAO has none of these reports
    assert "Ready: 0 reports" in mine.get("/oversight/exports?lang=en").get_data(as_text=True)
    assert "Ready" not in signed_in(app, world.coordinator).get("/oversight/exports?lang=en").get_data(as_text=True)


def test_an_export_over_the_sanity_cap_fails_with_a_reason(app, db, world, backend, monkeypatch):
    many_reports(world, 5)
    monkeypatch.setitem(app.config, "EXPORT_MAX_ROWS", 4)
    client = signed_in(app, world.coordinator)
    client.post("/oversight/exports", data={"from": "2026-05", "to": "2026-05"})
    from app.oversight.export_jobs import run_export_jobs
    assert run_export_jobs(utcnow()) == 1
    job = _db.session.scalar(_db.select(ExportJob))
    _db.session.refresh(job)
    assert job.status == FAILED and "EXPORT_MAX_ROWS" in job.error and job.storage_key is None
    assert "Failed" in client.get("/oversight/exports?lang=en").get_data(as_text=True)


def test_two_workers_never_run_the_same_export(app, db, world):
    many_reports(world, 2)
    signed_in(app, world.coordinator).post("/oversight/exports", data={"from": "2026-05", "to": "2026-05"})
    now = utcnow()
    assert claim_export(now) is not None
    assert claim_export(now) is None  # claimed: a second worker finds nothing
    assert claim_export(now + timedelta(hours=1)) is not None  # the first worker's lease ran out
