"""The resident's tracking page: status and dates only; a wrong secret looks like a wrong reference."""
import re

import pytest

from app.extensions import db
from app.reports.models import Report
from tests.reports.factories_reports import form_data

NARRATIVE = "Drug dealing behind the mosque every night; ask Khun Somsri."


@pytest.fixture()
def filed(member_client, world):
    data = form_data(world, narrative=NARRATIVE, resident_name="Somsri Rakdee", resident_phone="0861112222",
                     consent="y", address_text="Soi Ban Bon 3")
    assert member_client.post("/reports/new", data=data).status_code == 302
    member_client.post("/accounts/logout")
    member_client.get("/reports/track")  # shows and so clears the "signed out" message
    return db.session.scalar(db.select(Report))


def test_tracking_page_shows_status_and_nothing_else(client, world, filed):
    response = client.get(f"/reports/track/{filed.reference_number}?s={filed.tracking_secret}&lang=en")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert filed.reference_number in page and "New" in page
    for secret in (NARRATIVE, "Somsri", "0861112222", "086-111-2222", "Soi Ban Bon", world.west.phone,
                   world.west.name_en, world.west.name_th, "7.2", "100.55", world.member.display_name):
        assert secret not in page, secret
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"


def test_secret_is_forgiving_about_case_and_spaces(client, filed):
    secret = filed.tracking_secret.lower()
    spaced = f"{secret[:4]} {secret[4:]}"
    assert client.get(f"/reports/track/{filed.reference_number.lower()}?s={spaced}").status_code == 200


def test_wrong_secret_and_wrong_reference_look_the_same(client, filed):
    wrong_secret = client.get(f"/reports/track/{filed.reference_number}?s=WRONG234&lang=en")
    wrong_ref = client.get(f"/reports/track/XXX-2569-000999?s={filed.tracking_secret}&lang=en")
    no_secret = client.get(f"/reports/track/{filed.reference_number}?lang=en")
    assert wrong_secret.status_code == wrong_ref.status_code == no_secret.status_code == 404
    main = [re.search(r"<main.*</main>", r.get_data(as_text=True), re.S).group()
            for r in (wrong_secret, wrong_ref, no_secret)]
    main = [m.replace(filed.reference_number, "REF").replace("XXX-2569-000999", "REF") for m in main]
    assert main[0] == main[1] == main[2]
    assert "No report was found" in wrong_secret.get_data(as_text=True)


def test_tracking_form_redirects_to_the_status(client, filed):
    response = client.get("/reports/track", query_string={"reference": f" {filed.reference_number} ",
                                                           "s": filed.tracking_secret})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/reports/track/{filed.reference_number}?s={filed.tracking_secret}")
    assert client.get("/reports/track").status_code == 200
    response = client.get("/reports/track?reference=&s=&lang=en")
    assert response.status_code == 400 and "Enter the reference number." in response.get_data(as_text=True)


def test_tracking_needs_no_login_and_survives_garbage(client, filed):
    for path in ("/reports/track/%00?s=%00", "/reports/track/" + "A" * 5000 + "?s=" + "B" * 5000,
                 "/reports/track?reference=%27%3B--&s=%3Cscript%3E"):
        assert client.get(path).status_code in (302, 400, 404)


def test_tracking_is_rate_limited(app, client, filed, monkeypatch, limits_empty):
    from app.extensions import limiter

    monkeypatch.setitem(app.config, "TRACK_RATE_LIMIT", "3 per day")
    try:
        codes = [client.get(f"/reports/track/{filed.reference_number}?s=WRONG{n}").status_code for n in range(5)]
    finally:
        limiter.reset()
    assert codes[:3] == [404, 404, 404] and codes[3:] == [429, 429]
