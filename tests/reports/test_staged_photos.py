"""Photos are never dropped by a round-trip: the form keeps them on the server until the report is filed."""
import io
import re
from datetime import timedelta

from app.core.timeutil import utcnow
from app.extensions import db
from app.reports.models import Report
from app.reports.staging import StagedPhoto, purge_stale_staged
from tests.factories import make_user
from tests.reports.conftest import stored_keys
from tests.reports.factories_reports import WEST_POINT, form_data, jpeg_bytes


def _post(client, data):
    response = client.post("/reports/new?lang=en", data=data, content_type="multipart/form-data")
    return response, response.get_data(as_text=True)


def _kept_ids(page):
    return [int(n) for n in re.findall(r'/reports/staged/(\d+)\.jpg', page)]


def test_photos_survive_a_validation_error_and_are_filed_with_the_report(member_client, world, photo_dir):
    data = form_data(world, narrative="")
    data["photos"] = [(io.BytesIO(jpeg_bytes(gps=WEST_POINT)), "a.jpg"),
                      (io.BytesIO(jpeg_bytes(color=(0, 90, 0))), "b.jpg")]
    response, page = _post(member_client, data)
    assert response.status_code == 400 and 'id="narrative-err"' in page
    assert len(_kept_ids(page)) == 2 and "Your photos are kept." in page and 'data-kept="2"' in page
    thumb = member_client.get(f"/reports/staged/{_kept_ids(page)[0]}.jpg")
    assert thumb.status_code == 200 and thumb.mimetype == "image/jpeg"

    # The phone's draft may send the same photo again: it is kept once.
    data = form_data(world, idempotency_key=data["idempotency_key"], narrative="Bikes stolen at the market at night.")
    data["photos"] = [(io.BytesIO(jpeg_bytes(gps=WEST_POINT)), "a.jpg")]
    response, _page = _post(member_client, data)
    assert response.status_code == 302
    report = db.session.scalar(db.select(Report))
    assert len(report.photos) == 2 and db.session.scalar(db.select(db.func.count(StagedPhoto.id))) == 0


def test_photos_survive_the_duplicate_step(member_client, world, photo_dir, login):
    first = form_data(world)
    assert member_client.post("/reports/new", data=first).status_code == 302
    data = form_data(world, narrative="Bikes are stolen near the market again.")
    data["photos"] = [(io.BytesIO(jpeg_bytes(gps=WEST_POINT)), "a.jpg")]
    response, page = _post(member_client, data)
    assert response.status_code == 200 and 'name="confirm_new"' in page and len(_kept_ids(page)) == 1
    data = {**form_data(world, idempotency_key=data["idempotency_key"], narrative=data["narrative"]),
            "confirm_new": "y"}
    assert member_client.post("/reports/new", data=data).status_code == 302
    newest = db.session.scalar(db.select(Report).order_by(Report.id.desc()))
    assert len(newest.photos) == 1


def test_a_kept_photo_can_be_removed(member_client, world, photo_dir):
    data = form_data(world, narrative="")
    data["photos"] = [(io.BytesIO(jpeg_bytes()), "a.jpg"), (io.BytesIO(jpeg_bytes(color=(200, 20, 30))), "b.jpg")]
    _response, page = _post(member_client, data)
    first, second = _kept_ids(page)
    data = form_data(world, idempotency_key=data["idempotency_key"], narrative="Bikes stolen at the market.",
                     remove_photo=str(first))
    assert member_client.post("/reports/new", data=data).status_code == 302
    photos = db.session.scalar(db.select(Report)).photos
    assert len(photos) == 1
    assert member_client.get(f"/reports/staged/{first}.jpg").status_code == 404


def test_kept_photos_count_against_the_limit(app, member_client, world, photo_dir, monkeypatch):
    monkeypatch.setitem(app.config, "PHOTO_MAX_COUNT", 2)
    data = form_data(world, narrative="")
    data["photos"] = [(io.BytesIO(jpeg_bytes(color=(n * 200, 0, 0))), f"{n}.jpg") for n in range(2)]
    _post(member_client, data)
    data = form_data(world, idempotency_key=data["idempotency_key"], narrative="")
    data["photos"] = [(io.BytesIO(jpeg_bytes(color=(9, 9, 9))), "extra.jpg")]
    response, page = _post(member_client, data)
    assert 'id="photos-err"' in page and "at most 2 photos" in page and len(_kept_ids(page)) == 2


def test_another_member_cannot_see_or_claim_kept_photos(client, login, world, photo_dir):
    owner = login(world.member)
    data = form_data(world, narrative="")
    data["photos"] = [(io.BytesIO(jpeg_bytes()), "a.jpg")]
    _response, page = _post(owner, data)
    kept = _kept_ids(page)[0]
    owner.post("/accounts/logout")
    other = make_user(role="council_member", pao=world.pao)
    db.session.commit()
    login(other)
    assert client.get(f"/reports/staged/{kept}.jpg").status_code == 404
    # The same form key from another member does not attach the first member's photos.
    claim = form_data(world, idempotency_key=data["idempotency_key"], narrative="Someone else's report text.")
    assert client.post("/reports/new", data=claim).status_code == 302
    assert db.session.scalar(db.select(Report)).photos == []


def test_unsent_photos_are_purged_after_a_day(app, member_client, world, photo_dir):
    data = form_data(world, narrative="")
    data["photos"] = [(io.BytesIO(jpeg_bytes()), "a.jpg")]
    _post(member_client, data)
    staged = db.session.scalar(db.select(StagedPhoto))
    assert any(key.endswith("-thumb.jpg") for key in stored_keys())
    assert purge_stale_staged(now=utcnow() + timedelta(hours=23)) == 0
    assert purge_stale_staged(now=utcnow() + timedelta(hours=25)) == 1
    db.session.commit()
    assert db.session.get(StagedPhoto, staged.id) is None and not any(key.endswith(".jpg") for key in stored_keys())
