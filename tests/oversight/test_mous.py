"""The MOU registry: register, edit, renew, end; signed PDFs accepted, anything else refused; who may open them."""
import io
from datetime import date, timedelta

import pytest

from app.core.timeutil import to_bangkok, utcnow
from app.stations.models import Mou, MouRecord, MouStatus
from app.stations.services import routing_version
from tests.oversight.helpers import PDF, signed_in

TODAY = to_bangkok(utcnow()).date()


def upload(data, name="mou.pdf"):
    return (io.BytesIO(data), name)


def terms(**extra):
    data = {"signed_on": "2026-01-05", "effective_from": "2026-02-01", "expires_on": "2027-01-31",
            "covers_all": "y", "document_ref": "อบจ.สข. 123/2569"}
    data.update(extra)
    return data


@pytest.fixture()
def coordinator(app, world):
    return signed_in(app, world.coordinator)


def test_register_an_mou_with_its_signed_pdf(app, db, world, coordinator):
    before = routing_version()
    response = coordinator.post("/oversight/mous/new", data=terms(station="far", document=upload(PDF)),
                                content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    mou = db.session.scalar(db.select(Mou).where(Mou.pao_id == world.pao.id, Mou.station_id == world.far.id))
    assert (mou.effective_from, mou.expires_on, mou.document_ref) == (date(2026, 2, 1), date(2027, 1, 31),
                                                                     "อบจ.สข. 123/2569")
    assert routing_version() > before
    record = db.session.get(MouRecord, mou.id)
    assert record.document_size == len(PDF) and record.document_name == "mou.pdf"
    document = coordinator.get(f"/oversight/mous/{mou.id}/document")
    assert document.status_code == 200 and document.data == PDF
    assert document.headers["Content-Type"] == "application/pdf"
    assert document.headers["Content-Security-Policy"] == "sandbox"


@pytest.mark.parametrize("data, message", [
    (b"Just some text pretending to be a PDF\n", "not a PDF"),
    (PDF[:-8], "incomplete"),
    (b"", "empty"),
])
def test_anything_but_a_whole_pdf_is_refused_with_a_clear_message(app, db, world, coordinator, data, message):
    mou = world.mous["west"]
    response = coordinator.post(f"/oversight/mous/{mou.id}/document?lang=en",
                                data={"document": upload(data, "signed.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.get(MouRecord, mou.id) is None


def test_a_file_over_the_limit_is_refused(app, db, world, coordinator, monkeypatch):
    monkeypatch.setitem(app.config, "MOU_DOC_MAX_BYTES", 1024 * 1024)
    big = b"%PDF-1.4\n" + b"0" * (1024 * 1024) + b"\n%%EOF\n"
    response = coordinator.post(f"/oversight/mous/{world.mous['west'].id}/document?lang=en",
                                data={"document": upload(big)}, content_type="multipart/form-data")
    assert response.status_code == 400 and "larger than 1 MB" in response.get_data(as_text=True)


def test_a_bad_file_refuses_the_whole_new_mou(app, db, world, coordinator):
    response = coordinator.post("/oversight/mous/new?lang=en",
                                data=terms(station="far", document=upload(b"hello", "mou.pdf")),
                                content_type="multipart/form-data")
    assert response.status_code == 400 and "not a PDF" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Mou).where(Mou.station_id == world.far.id, Mou.pao_id == world.pao.id)) is None


def test_edit_changes_the_terms_and_bumps_the_routing_version(app, db, world, coordinator):
    mou, before = world.mous["west"], routing_version()
    response = coordinator.post(f"/oversight/mous/{mou.id}/edit",
                                data={"signed_on": "2024-01-01", "expires_on": "2028-12-31",
                                      "categories": ["drugs", "traffic"], "document_ref": "new ref"})
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.refresh(mou)
    assert (mou.expires_on, mou.covers_all, mou.category_codes) == (date(2028, 12, 31), False, ["drugs", "traffic"])
    assert routing_version() > before
    bad = coordinator.post(f"/oversight/mous/{mou.id}/edit?lang=en",
                           data={"signed_on": "2024-01-01", "expires_on": "2023-01-01", "covers_all": "y"})
    assert bad.status_code == 400 and "on or after the day it takes effect" in bad.get_data(as_text=True)


def test_renew_continues_an_mou_and_ends_the_old_one_the_day_before(app, db, world, coordinator):
    old = world.mous["west"]
    response = coordinator.post(f"/oversight/mous/{old.id}/renew",
                                data=terms(signed_on="2026-12-01", effective_from="2027-01-01",
                                           expires_on="2029-12-31", document=upload(PDF)),
                                content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    new = db.session.scalar(db.select(Mou).where(Mou.station_id == world.west.id, Mou.id != old.id))
    db.session.refresh(old)
    assert old.expires_on == date(2026, 12, 31) and new.effective_from == date(2027, 1, 1)
    assert db.session.get(MouRecord, new.id).renews_mou_id == old.id
    again = coordinator.post(f"/oversight/mous/{old.id}/renew?lang=en",
                             data=terms(signed_on="2026-12-01", effective_from="2027-02-01", expires_on=""))
    assert again.status_code == 400 and "already been renewed" in again.get_data(as_text=True)
    listing = coordinator.get("/oversight/mous?lang=en").get_data(as_text=True)
    assert "renews an earlier MOU" in listing and "renewed" in listing


def test_end_an_mou_stops_it_at_once(app, db, world, coordinator):
    mou, before = world.mous["east"], routing_version()
    future = coordinator.post(f"/oversight/mous/{mou.id}/end?lang=en",
                              data={"ended_on": (TODAY + timedelta(days=3)).isoformat(), "reason": "x"})
    assert future.status_code == 400 and "change its expiry date" in future.get_data(as_text=True)
    response = coordinator.post(f"/oversight/mous/{mou.id}/end",
                                data={"ended_on": TODAY.isoformat(), "reason": "The station merged"})
    assert response.status_code == 302
    db.session.refresh(mou)
    assert mou.status == MouStatus.ENDED and mou.expires_on == TODAY and not mou.is_active_on(TODAY)
    assert routing_version() > before
    assert db.session.get(MouRecord, mou.id).end_reason == "The station merged"


def test_the_registry_lists_mous_expiring_within_60_days(app, db, world, coordinator):
    world.mous["west"].expires_on = TODAY + timedelta(days=45)
    world.mous["east"].expires_on = TODAY + timedelta(days=90)
    db.session.commit()
    html = coordinator.get("/oversight/mous?lang=en").get_data(as_text=True)
    soon = html.split('id="expiring-heading"')[1].split("</section>")[0]
    assert "West Station" in soon and "in 45 days" in soon and "East Station" not in soon


def test_scoping_of_registry_and_documents(app, db, world, coordinator):
    mou = world.mous["west"]
    coordinator.post(f"/oversight/mous/{mou.id}/document", data={"document": upload(PDF)},
                     content_type="multipart/form-data")
    url = f"/oversight/mous/{mou.id}/document"
    other = signed_in(app, world.other_coordinator)
    assert other.get(url).status_code == 404
    assert other.get(f"/oversight/mous/{mou.id}").status_code == 404
    assert other.post(f"/oversight/mous/{mou.id}/end", data={"ended_on": TODAY.isoformat(),
                                                              "reason": "x"}).status_code == 404
    assert "West Station" not in other.get("/oversight/mous?pao=songkhla&lang=en").get_data(as_text=True)
    assert signed_in(app, world.west_desk).get(url).status_code == 200  # police of that station
    assert signed_in(app, world.east_desk).get(url).status_code == 404
    assert signed_in(app, world.admin).get(url).status_code == 200
    assert signed_in(app, world.member).get(url).status_code == 403
    assert signed_in(app, world.member).get("/oversight/mous").status_code == 403


def test_the_coverage_map_links_the_signed_document(app, db, world, coordinator):
    mou = world.mous["west"]
    coordinator.post(f"/oversight/mous/{mou.id}/document", data={"document": upload(PDF)},
                     content_type="multipart/form-data")
    data = coordinator.get("/stations/coverage.geojson").get_json()
    west = next(f for f in data["features"] if f["id"] == f"station-{world.west.id}")
    assert west["properties"]["documents"][0]["url"] == f"/oversight/mous/{mou.id}/document"
    east = next(f for f in data["features"] if f["id"] == f"station-{world.east.id}")
    assert "documents" not in east["properties"]


def test_mou_pages_render_without_inline_script(app, db, world, coordinator):
    from tests.oversight.test_pages import assert_strict_csp_friendly

    for path in ("/oversight/mous", "/oversight/mous/new", f"/oversight/mous/{world.mous['west'].id}"):
        page = coordinator.get(path)
        assert page.status_code == 200, path
        assert_strict_csp_friendly(page.get_data(as_text=True))
