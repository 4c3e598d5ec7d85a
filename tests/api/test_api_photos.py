"""Photos through the JSON API: filed with the report (multipart), once per key, read back without metadata."""
import io
import json

from PIL import Image

from app.extensions import db
from app.reports.models import Report, ReportPhoto
from app.reports.photos import gps_from_bytes
from tests.api.helpers import bearer, new_report_body
from tests.reports.factories_reports import jpeg_bytes

SONGKHLA = (7.2, 100.55)


def _file(client, token, world, photos, key="photo-key-1", **overrides):
    data = {"report": json.dumps(new_report_body(world, **overrides)),
            "photos": [(io.BytesIO(content), name) for name, content in photos]}
    return client.post("/api/v1/reports", data=data, content_type="multipart/form-data",
                       headers=bearer(token, **{"Idempotency-Key": key}))


def _error(response, status, code):
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert body["error"]["code"] == code and body["error"]["message"] and body["error"]["message_th"]
    return body["error"]


def test_a_report_with_photos_is_filed_once_and_its_photos_come_back_without_location(client, world, tokens):
    photos = [("market.jpg", jpeg_bytes(size=(2400, 1800), gps=SONGKHLA, description="Somchai 0812345678")),
              ("street.jpg", jpeg_bytes(color=(20, 90, 200)))]
    first = _file(client, tokens.member, world, photos)
    assert first.status_code == 201, first.get_data(as_text=True)
    report = first.get_json()
    assert [p["position"] for p in report["photos"]] == [0, 1]
    again = _file(client, tokens.member, world, photos)  # a retry after a lost answer
    assert again.status_code == 200 and again.get_json()["reference"] == report["reference"]
    assert db.session.scalar(db.select(db.func.count(Report.id))) == 1
    assert db.session.scalar(db.select(db.func.count(ReportPhoto.id))) == 2

    # The station's desk officer reads the copy: resized, no GPS, no description.
    copy = client.get(report["photos"][0]["url"], headers=bearer(tokens.west_desk))
    assert copy.status_code == 200 and copy.mimetype == "image/jpeg"
    assert "private" in copy.headers["Cache-Control"]
    image = Image.open(io.BytesIO(copy.data))
    assert max(image.size) <= 1600 and gps_from_bytes(copy.data) is None
    assert b"Somchai" not in copy.data
    thumb = client.get(report["photos"][0]["thumb_url"], headers=bearer(tokens.west_desk))
    assert thumb.status_code == 200 and len(thumb.data) < len(copy.data)
    # Nobody outside the report's scope learns that it has photos.
    _error(client.get(report["photos"][0]["url"], headers=bearer(tokens.far_desk)), 404, "not_found")
    _error(client.get(report["photos"][0]["url"], headers=bearer(tokens.other_member)), 404, "not_found")
    _error(client.get(report["photos"][0]["url"].replace("/photos/0", "/photos/7"),
                      headers=bearer(tokens.west_desk)), 404, "not_found")
    _error(client.get(report["photos"][0]["url"] + "?size=huge", headers=bearer(tokens.west_desk)),
           400, "invalid_parameter")
    listed = client.get("/api/v1/reports", headers=bearer(tokens.member)).get_json()["reports"]
    assert [len(r["photos"]) for r in listed] == [2]


def test_bad_photos_are_refused_by_name_in_both_languages_and_nothing_is_stored(client, world, tokens):
    error = _error(_file(client, tokens.member, world, [("notes.jpg", b"this is not a picture"),
                                                        ("ok.jpg", jpeg_bytes())]), 422, "validation_failed")
    assert "notes.jpg" in error["fields"]["photos"]["message"]
    assert "notes.jpg" in error["fields"]["photos"]["message_th"]
    assert error["fields"]["photos"]["message"] != error["fields"]["photos"]["message_th"]
    too_many = [(f"p{n}.jpg", jpeg_bytes()) for n in range(6)]
    error = _error(_file(client, tokens.member, world, too_many, key="k2"), 422, "validation_failed")
    assert "at most 5" in error["fields"]["photos"]["message"]
    assert db.session.scalar(db.select(db.func.count(Report.id))) == 0
    assert db.session.scalar(db.select(db.func.count(ReportPhoto.id))) == 0


def test_multipart_needs_the_report_as_json(client, world, tokens):
    headers = bearer(tokens.member, **{"Idempotency-Key": "k"})
    error = _error(client.post("/api/v1/reports", data={"narrative": "no report field"},
                               content_type="multipart/form-data", headers=headers), 422, "validation_failed")
    assert set(error["fields"]) == {"report", "narrative"}  # the missing part, and the one it does not know
    _error(client.post("/api/v1/reports", data={"report": "{not json"}, content_type="multipart/form-data",
                       headers=headers), 400, "bad_request")
    # Without photos, multipart files a report just like JSON.
    response = client.post("/api/v1/reports", data={"report": json.dumps(new_report_body(world))},
                           content_type="multipart/form-data", headers=headers)
    assert response.status_code == 201 and response.get_json()["photos"] == []


def test_store_down_is_a_503_in_both_languages_and_nothing_is_kept(app, client, world, tokens, monkeypatch):
    from tests.reports.test_object_storage import _closed_port

    monkeypatch.setitem(app.config, "STORAGE_URL", "s3://ruamkan-down/photos")
    monkeypatch.setitem(app.config, "S3_ENDPOINT_URL", f"http://127.0.0.1:{_closed_port()}")
    monkeypatch.setitem(app.config, "STORAGE_TIMEOUT", 1)
    aws = {"AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "y", "AWS_DEFAULT_REGION": "us-east-1"}
    for name, value in aws.items():
        monkeypatch.setenv(name, value)
    response = _file(client, tokens.member, world, [("a.jpg", jpeg_bytes())], key="store-down-1")
    error = _error(response, 503, "unavailable")
    assert int(response.headers["Retry-After"]) > 0 and "nothing was saved" in error["message"]
    assert db.session.scalar(db.select(db.func.count(Report.id))) == 0
