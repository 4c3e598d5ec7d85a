"""The police report page: what it shows, the actions' answers (303/400/409), assignment, contact, photos."""
import re

import pytest

from app.extensions import db
from app.reports.errors import VersionConflict
from app.reports.models import Report, ReportEvent, ReportStatus
from app.reports.workflow import perform
from tests.triage.conftest import RESIDENT_NAME, RESIDENT_PHONE
from tests.triage.helpers import signed_in


def events(report, kind=None):
    query = db.select(ReportEvent).where(ReportEvent.report_id == report.id).order_by(ReportEvent.id)
    if kind:
        query = query.where(ReportEvent.kind == kind)
    return db.session.scalars(query).all()


def version_of(page):
    return re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)


def test_the_page_shows_the_report_routing_timeline_and_actions(app, world):
    db.session.add(ReportEvent(report=world.report, kind="note", internal=True, payload={"text": "Watch the shop"}))
    db.session.commit()
    page = signed_in(app, world.desk).get(f"/triage/reports/{world.report.id}?lang=en").get_data(as_text=True)
    assert world.report.reference_number in page and "089-123-4567" in page
    assert "Why this station" in page and "Timeline" in page and "Watch the shop" in page
    assert 'id="do-acknowledge"' in page and 'id="open-transfer"' in page and 'id="open-reject"' in page
    assert 'id="do-start"' not in page  # not possible from 'new'
    assert 'id="report-map"' in page and "1 in total" in page
    assert RESIDENT_PHONE not in page and RESIDENT_NAME not in page  # sealed until asked for
    assert "<script>" not in page and " style=" not in page and "onclick" not in page


def test_acknowledge_then_an_illegal_repeat_is_a_409_with_a_message(app, world):
    client = signed_in(app, world.desk)
    page = client.get(f"/triage/reports/{world.report.id}").get_data(as_text=True)
    response = client.post(f"/triage/reports/{world.report.id}/acknowledge", data={"version": version_of(page)})
    assert response.status_code == 302
    db.session.refresh(world.report)
    assert world.report.status == ReportStatus.ACKNOWLEDGED and world.report.acknowledged_at is not None
    again = client.post(f"/triage/reports/{world.report.id}/acknowledge?lang=en",
                        data={"version": world.report.version})
    assert again.status_code == 409
    assert "is not possible while the report is" in again.get_data(as_text=True)
    th = client.post(f"/triage/reports/{world.report.id}/acknowledge?lang=th", data={"version": world.report.version})
    assert th.status_code == 409 and 'lang="th"' in th.get_data(as_text=True)


def test_missing_inputs_are_a_400_and_keep_what_was_typed(app, world):
    world.report.acknowledged_at = world.report.created_at
    perform(world.report, "acknowledge", world.desk)
    db.session.commit()
    client = signed_in(app, world.desk)
    version = world.report.version
    response = client.post(f"/triage/reports/{world.report.id}/record_outcome?lang=en",
                           data={"version": version, "outcome": "", "note": "Patrols every night"})
    assert response.status_code == 400 and "Patrols every night" in response.get_data(as_text=True)
    response = client.post(f"/triage/reports/{world.report.id}/reject",
                           data={"version": version, "reason": "duplicate", "note": "same", "duplicate_of": "NOPE-1"})
    assert response.status_code == 400
    response = client.post(f"/triage/reports/{world.report.id}/transfer", data={"version": version, "reason": "x"})
    assert response.status_code == 400
    db.session.refresh(world.report)
    assert world.report.status == ReportStatus.ACKNOWLEDGED and world.report.version == version


def test_two_officers_post_on_the_same_version_the_second_gets_409_and_nothing_changes(app, world):
    first, second = signed_in(app, world.desk), signed_in(app, world.desk2)
    url = f"/triage/reports/{world.report.id}"
    seen_first = version_of(first.get(url).get_data(as_text=True))
    seen_second = version_of(second.get(url).get_data(as_text=True))
    assert seen_first == seen_second
    assert first.post(url + "/acknowledge", data={"version": seen_first}).status_code == 302
    db.session.refresh(world.report)
    state = (world.report.status, world.report.version, len(events(world.report)))
    response = second.post(url + "/reject?lang=en", data={"version": seen_second, "reason": "not_police_matter",
                                                          "note": "A neighbour quarrel"})
    assert response.status_code == 409
    assert "Someone else changed this report" in response.get_data(as_text=True)
    response = second.post(url + "/assign", data={"version": seen_second, "officer": world.desk2.id})
    assert response.status_code == 409
    db.session.refresh(world.report)
    assert (world.report.status, world.report.version, len(events(world.report))) == state
    assert world.report.assigned_to_id is None


def test_a_concurrent_write_is_caught_by_the_version_column(world):
    """Another process changes the row between our load and our write: the version check stops us."""
    report = db.session.get(Report, world.report.id)
    loaded = report.version
    with db.engine.begin() as other:  # its own transaction, committed before we write
        other.execute(db.update(Report).where(Report.id == report.id)
                      .values(status=ReportStatus.ACKNOWLEDGED, version=Report.version + 1))
    assert report.version == loaded and report.status == ReportStatus.NEW  # what we saw
    with pytest.raises(VersionConflict):
        perform(report, "reject", world.desk, reason="not_police_matter", note="quarrel")
    db.session.rollback()
    assert db.session.get(Report, world.report.id).status == ReportStatus.ACKNOWLEDGED
    assert events(world.report, "rejected") == []


def test_contact_needs_a_reason_and_is_shown_once_and_recorded(app, world):
    client = signed_in(app, world.desk)
    url = f"/triage/reports/{world.report.id}/contact"
    refused = client.post(url, data={"reason": "  "})
    assert refused.status_code == 400 and RESIDENT_PHONE not in refused.get_data(as_text=True)
    assert events(world.report, "contact_viewed") == []
    shown = client.post(url, data={"reason": "Call the resident to arrange a meeting"})
    page = shown.get_data(as_text=True)
    assert shown.status_code == 200 and RESIDENT_PHONE in page and RESIDENT_NAME in page
    assert shown.headers["Cache-Control"] == "no-store"
    [event] = events(world.report, "contact_viewed")
    assert event.actor_id == world.desk.id and event.internal
    assert event.payload["reason"] == "Call the resident to arrange a meeting" and event.created_at
    assert RESIDENT_PHONE not in client.get(f"/triage/reports/{world.report.id}").get_data(as_text=True)


def test_assignment_rules(app, world):
    url = f"/triage/reports/{world.report.id}/assign"
    officer = signed_in(app, world.desk)
    assert officer.post(url, data={"version": world.report.version, "officer": world.desk2.id}).status_code == 403
    assert officer.post(url, data={"version": world.report.version, "officer": world.desk.id}).status_code == 302
    db.session.refresh(world.report)
    assert world.report.assigned_to_id == world.desk.id
    commander = signed_in(app, world.commander)
    bad = commander.post(url, data={"version": world.report.version, "officer": world.east_desk.id})
    assert bad.status_code == 400, bad.headers.get("Location")
    assert commander.post(url, data={"version": world.report.version, "officer": world.desk2.id}).status_code == 302
    db.session.refresh(world.report)
    assert world.report.assigned_to_id == world.desk2.id
    [take, give] = events(world.report, "assigned")
    assert take.internal and take.actor_id == world.desk.id and take.payload["after"]["assignee_id"] == world.desk.id
    assert give.payload["before"]["assignee_id"] == world.desk.id
    assert give.payload["after"]["assignee"] == world.desk2.display_name
    assert signed_in(app, world.desk).get("/triage/?assigned=mine").get_data(as_text=True).count("data-report-id") == 0


def test_internal_note_is_police_only(app, world):
    client = signed_in(app, world.desk)
    assert client.post(f"/triage/reports/{world.report.id}/note", data={"text": ""}).status_code == 400
    note_url = f"/triage/reports/{world.report.id}/note"
    assert client.post(note_url, data={"text": "Informant says Fridays"}).status_code == 302
    [note] = events(world.report, "note")
    assert note.internal and note.payload["before"] == note.payload["after"]
    member_page = signed_in(app, world.member).get(f"/reports/{world.report.id}").get_data(as_text=True)
    assert "Informant says Fridays" not in member_page


def test_photos_thumbnails_and_recorded_originals(app, world, tmp_path):
    from app.reports.models import ReportPhoto
    from app.reports.photos import process_photo
    from app.reports.services import store_photos
    from tests.reports.factories_reports import jpeg_bytes

    app.config["PHOTO_STORAGE_DIR"] = str(tmp_path / "photos")
    try:
        photo = process_photo(jpeg_bytes(gps=(7.2, 100.55)), "scene.jpg")
        [stored] = store_photos([photo])
        db.session.add(ReportPhoto(report=world.report, position=0, **stored))
        db.session.commit()
        client = signed_in(app, world.desk)
        page = client.get(f"/triage/reports/{world.report.id}").get_data(as_text=True)
        original = re.search(r'href="(/reports/photos/\d+/original)"', page).group(1)
        assert re.search(r'src="/reports/photos/\d+/thumb.jpg"', page)
        response = client.get(original)
        assert response.status_code == 200 and response.data == photo.original
        assert events(world.report, "original_photo_viewed")[0].actor_id == world.desk.id
    finally:
        app.config.pop("PHOTO_STORAGE_DIR", None)


def test_response_templates_prefill_question_and_outcome(app, world):
    commander = signed_in(app, world.commander)
    data = {"category_id": world.category.id, "language": "en", "title": "Patrols",
            "body": "We added patrols around the school."}
    assert commander.post("/triage/templates", data=data).status_code == 302
    assert commander.post("/triage/templates", data={**data, "title": ""}).status_code == 400
    assert signed_in(app, world.desk).get("/triage/templates").status_code == 403
    assert "Patrols" not in signed_in(app, world.east_commander).get("/triage/templates").get_data(as_text=True)
    perform(world.report, "acknowledge", world.desk)
    db.session.commit()
    from app.triage.models import ResponseTemplate
    template = db.session.scalar(db.select(ResponseTemplate))
    assert template.station_id == world.west.id
    page = signed_in(app, world.desk).get(f"/triage/reports/{world.report.id}?template={template.id}")
    text = page.get_data(as_text=True)
    assert 'data-body="We added patrols around the school."' in text
    assert re.search(r'<textarea[^>]*id="record_outcome-note"[^>]*>\s*We added patrols', text)
    # editing and deleting: only the station's own templates
    assert signed_in(app, world.east_commander).get(f"/triage/templates/{template.id}").status_code == 404
    edited = commander.post(f"/triage/templates/{template.id}", data={**data, "title": "Patrols at night"})
    assert edited.status_code == 302
    assert db.session.get(ResponseTemplate, template.id).title == "Patrols at night"
    assert commander.post(f"/triage/templates/{template.id}/delete").status_code == 302
    assert db.session.scalar(db.select(ResponseTemplate)) is None


def test_audit_lists_every_event_with_who_when_why_before_after(app, world):
    client = signed_in(app, world.desk)
    client.post(f"/triage/reports/{world.report.id}/contact", data={"reason": "Arrange a visit"})
    client.post(f"/triage/reports/{world.report.id}/acknowledge", data={"version": world.report.version})
    client.post(f"/triage/reports/{world.report.id}/note", data={"text": "Check CCTV"})
    for user in (world.commander, world.coordinator):
        page = signed_in(app, user).get(f"/triage/reports/{world.report.id}/audit?lang=en").get_data(as_text=True)
        assert "Resident contact viewed" in page and "Arrange a visit" in page and "Check CCTV" in page
        assert world.desk.display_name in page and "Acknowledge" in page
        assert "New · west · —" in page and "Acknowledged · west · —" in page
    assert signed_in(app, world.desk).get(f"/triage/reports/{world.report.id}/audit").status_code == 403
    assert signed_in(app, world.east_commander).get(f"/triage/reports/{world.report.id}/audit").status_code == 404
    assert signed_in(app, world.other_coordinator).get(f"/triage/reports/{world.report.id}/audit").status_code == 404
