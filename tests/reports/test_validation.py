"""Server-side validation of every intake field: message beside the field, input kept, never a 500."""

import pytest

from app.extensions import db
from app.reports.models import Report
from tests.factories import make_user
from tests.reports.factories_reports import form_data


@pytest.fixture()
def client_en(member_client):
    member_client.get("/language/en")
    return member_client


def _post(client, data):
    response = client.post("/reports/new", data=data, content_type="multipart/form-data")
    return response, response.get_data(as_text=True)


def _no_report():
    return db.session.scalar(db.select(db.func.count(Report.id))) == 0


@pytest.mark.parametrize("overrides, field, message", [
    ({"category_id": ""}, "category_id", "Choose what the concern is about."),
    ({"category_id": "999999"}, "category_id", "Choose what the concern is about."),
    ({"category_id": "abc"}, "category_id", "Choose what the concern is about."),
    ({"narrative": ""}, "narrative", "Describe the concern in a few sentences."),
    ({"narrative": "short"}, "narrative", "Please write between 10 and 5000 characters."),
    ({"narrative": "x" * 5001}, "narrative", "Please write between 10 and 5000 characters."),
    ({"lat": "", "lon": ""}, "lat", "Set the place: use your location, move the pin or type the coordinates."),
    ({"lat": "abc"}, "lat", "Latitude must be a number."),
    ({"lat": "nan"}, "lat", "Latitude must be a finite number."),
    ({"lon": "inf"}, "lon", "Longitude must be a finite number."),
    ({"lat": "91"}, "lat", "Latitude must be between -90 and 90."),
    ({"lon": "-180.5"}, "lon", "Longitude must be between -180 and 180."),
    ({"occurred_at": "2999-01-01T10:00"}, "occurred_at", "This time is in the future."),
    ({"occurred_at": "yesterday"}, "occurred_at", "Enter a date and time, e.g. 26/11/2026 14:30."),
    ({"occurred_at": "0001-01-01T00:00"}, "occurred_at", "Enter a date from this century."),
    ({"address_text": "a" * 401}, "address_text", "Please keep this under 400 characters."),
    ({"priority": "panic"}, "priority", "Choose one of the options."),
    ({"resident_name": "Somchai", "consent": None}, "consent",
     "consent is needed to keep their name or phone."),
    ({"resident_phone": "0812345678"}, "consent", "consent is needed"),
    ({"resident_phone": "12345", "consent": "y"}, "resident_phone", "Enter a Thai phone number, e.g. 081-234-5678."),
    ({"resident_name": "Somchai", "resident_anonymous": "y", "consent": "y"}, "resident_anonymous",
     "Remove the name and phone, or untick"),
    ({"resident_name": "n" * 121, "consent": "y"}, "resident_name", "Please keep this under 120 characters."),
])
def test_each_field_error_is_shown_beside_the_field(client_en, world, overrides, field, message):
    response, page = _post(client_en, form_data(world, **overrides))
    assert response.status_code == 400
    assert f'id="{field}-err"' in page
    assert message in page
    assert _no_report()


def test_input_is_kept_after_an_error(client_en, world):
    data = form_data(world, narrative="", resident_name="Somchai Jaidee", resident_phone="081-234-5678",
                     address_text="Near the temple gate", lat="7.2", lon="100.55")
    response, page = _post(client_en, data)
    assert response.status_code == 400
    assert 'value="Somchai Jaidee"' in page and 'value="081-234-5678"' in page
    assert 'value="Near the temple gate"' in page and 'value="100.55"' in page
    assert f'<option value="{world.category.id}" data-emergency="0" data-priority="normal" selected>' in page
    assert f'value="{data["idempotency_key"]}"' in page


def test_category_answers_are_checked(client_en, world):
    burglary = next(c for c in world.category.parent.children if c.code == "crime.burglary")
    response, page = _post(client_en, form_data(world, category_id=str(burglary.id), answer_time_pattern="noon"))
    assert response.status_code == 400 and 'id="answer_time_pattern-err"' in page
    response, _page = _post(client_en, form_data(world, category_id=str(burglary.id),
                                                 answer_time_pattern="night", answer_injured="maybe"))
    assert response.status_code == 302
    report = db.session.scalar(db.select(Report))
    assert report.answers == {"time_pattern": "night"}  # injured is not a burglary question


def test_boolean_and_text_answers(client_en, world):
    assault = world.emergency_category
    response, _page = _post(client_en, form_data(world, category_id=str(assault.id), answer_injured="yes"))
    assert response.status_code == 302
    assert db.session.scalar(db.select(Report)).answers == {"injured": True}


@pytest.mark.parametrize("overrides", [
    {"narrative": "ก" * 200_000},
    {"lat": "1e309", "lon": "-1e309"},
    {"lat": "7.2\x00", "lon": "100.5"},
    {"category_id": "1" * 400},
    {"idempotency_key": "<script>alert(1)</script>" * 10},
    {"priority": "x" * 10_000, "occurred_at": "9" * 300},
    {"answer_vehicle": "v" * 10_000},
    {"accuracy_m": "nan"},
    {"narrative": "NUL \x00 in the middle of the story", "answer_vehicle": "a\x00b", "address_text": "\x00"},
    {"resident_name": "\x00", "resident_phone": "\x00081", "consent": "y"},
])
def test_garbage_never_gives_a_server_error(client_en, world, overrides):
    response, page = _post(client_en, form_data(world, **overrides))
    assert response.status_code in (302, 400, 413)
    assert "<script>alert(1)</script>" not in page


def test_garbage_idempotency_key_is_replaced(client_en, world):
    response, _page = _post(client_en, form_data(world, idempotency_key="not-a-uuid"))
    assert response.status_code == 302
    assert len(db.session.scalar(db.select(Report)).idempotency_key) == 36


def test_emergency_category_shows_the_191_box(client_en, world):
    response, page = _post(client_en, form_data(world, category_id=str(world.emergency_category.id), narrative=""))
    assert '<div id="emergency-box" class="emergency" role="alert">' in page
    _response, page = _post(client_en, form_data(world, narrative=""))
    assert '<div id="emergency-box" class="emergency" role="alert" hidden>' in page


def test_only_council_members_may_file(client, db, login, world):
    officer = make_user(role="desk_officer", station=world.west)
    db.session.commit()
    login(officer)
    assert client.get("/reports/new").status_code == 403
    assert client.post("/reports/new", data=form_data(world)).status_code == 403


def test_anonymous_visitors_are_sent_to_login(client, world):
    response = client.get("/reports/new")
    assert response.status_code == 302 and "/accounts/login" in response.headers["Location"]
