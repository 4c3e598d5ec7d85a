"""Retention: residents' contacts and photo originals are removed a set time after a report ends."""
import io
from datetime import timedelta

import pytest
from flask_babel import force_locale

from app.core.storage import get_storage
from app.core.timeutil import utcnow
from app.delivery.periodic import run_due_jobs
from app.extensions import db
from app.reports.models import Report, ReportEvent, ReportPhoto, ReportStatus
from app.reports.retention import count_expired, purge_expired
from app.reports.workflow import perform
from app.triage.timeline import police_timeline
from tests.factories import make_user
from tests.reports.factories_reports import form_data, jpeg_bytes
from tests.triage.helpers import signed_in

DAY = timedelta(days=1)


@pytest.fixture()
def officer(world):
    """A desk officer of the West station, where the world's reports are routed."""
    user = make_user(role="desk_officer", station=world.west)
    db.session.commit()
    return user


def _file(client, world, narrative="Motorbikes are stolen from the market car park every weekend evening."):
    data = form_data(world, narrative=narrative, resident_name="สมหญิง ทดสอบ", resident_phone="089-123-4567",
                     consent="y", confirm_new="y")
    data["photos"] = [(io.BytesIO(jpeg_bytes()), "scene.jpg")]
    response = client.post("/reports/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalar(db.select(Report).order_by(Report.id.desc()).limit(1))


def _close(report, officer, member, at):
    perform(report, "acknowledge", officer, now=at - timedelta(hours=2))
    perform(report, "record_outcome", officer, outcome="warning", note="Patrols talked to the riders.",
            now=at - timedelta(hours=1))
    perform(report, "confirm", member, now=at)
    db.session.commit()


@pytest.fixture()
def closed(member_client, world, officer, photo_dir):
    """A report with a resident contact and one photo, closed 200 days ago."""
    report = _file(member_client, world)
    _close(report, officer, world.member, utcnow() - 200 * DAY)
    return report


def _purged(report):
    db.session.refresh(report)
    return report.resident_name_sealed is None and report.resident_phone_sealed is None \
        and report.resident_phone_index is None


def _purge_events(report):
    return db.session.scalars(db.select(ReportEvent).where(ReportEvent.report_id == report.id,
                                                           ReportEvent.kind == "retention_purged")).all()


def test_purge_keeps_the_report_but_removes_contact_and_original(app, closed, officer):
    photo = closed.photos[0]
    storage = get_storage()
    kept = (closed.reference_number, closed.narrative, closed.category_id, closed.lat, closed.lon,
            closed.address_text)
    assert closed.resident_phone_index and storage.exists(photo.original_key)

    assert purge_expired().reports == 1
    db.session.commit()

    assert _purged(closed)
    assert (closed.reference_number, closed.narrative, closed.category_id, closed.lat, closed.lon,
            closed.address_text) == kept
    assert closed.status == ReportStatus.CLOSED
    assert not storage.exists(photo.original_key)
    assert storage.exists(photo.public_key) and storage.exists(photo.thumb_key)
    assert db.session.get(ReportPhoto, photo.id).original_purged_at is not None
    [event] = _purge_events(closed)
    assert event.internal and event.actor_id is None
    assert event.payload["contact"] is True and event.payload["originals"] == 1
    # The timeline keeps everything before the purge, and says what happened in words.
    kinds = [e.kind for e in closed.events]
    assert kinds[0] == "submitted" and "outcome_confirmed" in kinds and kinds[-1] == "retention_purged"
    with force_locale("en"):
        labels = [str(entry["label"]) for entry in police_timeline(closed, officer, "en")]
    assert labels[-1] == "Personal data removed under the retention policy"


def test_recent_and_open_reports_are_untouched(member_client, world, officer, photo_dir):
    recent = _file(member_client, world)
    _close(recent, officer, world.member, utcnow() - 179 * DAY)
    still_open = _file(member_client, world, narrative="Someone sells drugs near the school gate at night.")
    perform(still_open, "acknowledge", officer, now=utcnow() - 400 * DAY)
    still_open.created_at = utcnow() - 400 * DAY
    db.session.commit()

    assert purge_expired().reports == 0
    db.session.commit()
    for report in (recent, still_open):
        db.session.refresh(report)
        assert report.resident_phone_sealed and report.resident_phone_index and not _purge_events(report)
        assert get_storage().exists(report.photos[0].original_key)


def test_rejected_reports_are_purged_too(member_client, world, officer, photo_dir):
    report = _file(member_client, world)
    perform(report, "reject", officer, reason="not_police_matter", note="A council matter.",
            now=utcnow() - 181 * DAY)
    db.session.commit()
    assert purge_expired().contacts == 1
    assert _purged(report)


def test_a_reopened_report_counts_from_its_latest_closure(member_client, world, officer, photo_dir):
    report = _file(member_client, world)
    start = utcnow() - 400 * DAY
    _close(report, officer, world.member, start)
    perform(report, "reopen", world.member, reason="They came back.", now=start + 10 * DAY)
    db.session.commit()
    assert report.closed_at is None
    assert purge_expired().reports == 0  # open again: nothing is due however old the first closure is

    _close(report, officer, world.member, utcnow() - 100 * DAY)
    assert purge_expired().reports == 0  # closed again 100 days ago: not yet
    assert purge_expired(now=utcnow() + 81 * DAY).reports == 1
    assert _purged(report)


def test_purge_is_recorded_once_and_a_second_run_removes_nothing(closed):
    first = purge_expired()
    db.session.commit()
    second = purge_expired()
    db.session.commit()
    assert (first.reports, first.contacts, first.originals) == (1, 1, 1)
    assert (second.reports, second.contacts, second.originals) == (0, 0, 0)
    assert len(_purge_events(closed)) == 1


def test_contact_and_originals_follow_their_own_periods(app, closed, monkeypatch):
    monkeypatch.setitem(app.config, "RETENTION_CONTACT_DAYS", 30)
    monkeypatch.setitem(app.config, "RETENTION_PHOTO_ORIGINAL_DAYS", 365)
    assert (purge_expired().contacts, count_expired().originals) == (1, 0)
    db.session.commit()
    assert get_storage().exists(closed.photos[0].original_key)

    later = purge_expired(now=utcnow() + 200 * DAY)
    db.session.commit()
    assert (later.reports, later.contacts, later.originals) == (1, 0, 1)
    assert [(e.payload["contact"], e.payload["originals"]) for e in _purge_events(closed)] == [(True, 0), (False, 1)]


def test_batches_take_the_oldest_closures_first(member_client, world, officer, photo_dir):
    reports = [_file(member_client, world, narrative=f"Concern number {n} about stolen motorbikes at night.")
               for n in range(3)]
    for n, report in enumerate(reports):
        _close(report, officer, world.member, utcnow() - (300 - n) * DAY)
    assert purge_expired(batch=2).reports == 2
    db.session.commit()
    assert [_purged(r) for r in reports] == [True, True, False]
    assert purge_expired(batch=2).reports == 1


def test_cli_dry_run_counts_and_changes_nothing_then_purge_prints_counts(app, closed):
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["retention", "purge", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "would purge: reports 1, contacts 1, photo originals 1" in dry.output
    assert "contacts 180 days" in dry.output
    assert not _purged(closed) and get_storage().exists(closed.photos[0].original_key)

    result = runner.invoke(args=["retention", "purge"])
    assert result.exit_code == 0, result.output
    assert "purged: reports 1, contacts 1, photo originals 1" in result.output
    assert _purged(closed)
    again = runner.invoke(args=["retention", "purge"])
    assert "purged: reports 0, contacts 0, photo originals 0" in again.output


def test_the_worker_runs_the_purge_as_a_periodic_job(closed):
    now = utcnow()
    assert "retention_purge" in run_due_jobs(now)
    assert _purged(closed) and len(_purge_events(closed)) == 1
    assert "retention_purge" not in run_due_jobs(now + timedelta(minutes=30))  # hourly


def test_pages_cope_with_purged_data(app, closed, officer, world):
    purge_expired()
    db.session.commit()
    photo = closed.photos[0]
    police = signed_in(app, officer)
    assert police.get(f"/reports/photos/{photo.id}/thumb.jpg").status_code == 200
    original = police.get(f"/reports/photos/{photo.id}/original?lang=en")
    assert original.status_code == 410
    assert "removed under the retention policy" in original.get_data(as_text=True)
    assert not db.session.scalars(db.select(ReportEvent).where(ReportEvent.kind == "original_photo_viewed")).all()
    page = police.get(f"/triage/reports/{closed.id}")
    assert page.status_code == 200 and 'id="contact-removed"' in page.get_data(as_text=True)
    assert 'id="show-contact"' not in page.get_data(as_text=True)
    shown = police.post(f"/triage/reports/{closed.id}/contact", data={"reason": "Call the resident back."})
    assert shown.status_code == 200 and 'id="contact-removed"' in shown.get_data(as_text=True)
    assert signed_in(app, world.member).get(f"/reports/{closed.id}").status_code == 200
