"""Invitations: one-time links (72 h, single use) where people set their own password; staff enrol 2FA."""
import io
import re
from datetime import timedelta

from app.accounts.invitations import InvitationError, accept_invitation, create_invitation
from app.accounts.models import Invitation, Role, User
from app.core.timeutil import utcnow
from tests.accounts.helpers import enrol
from tests.factories import make_pao, make_station, make_user

NEW_PASSWORD = "my-own-long-secret-7"


def _token_from(text):
    return re.search(r"/accounts/invite/([A-Za-z0-9_-]{20,})", text).group(1)


def _accept(client, token, username="somchai", password=NEW_PASSWORD):
    return client.post(f"/accounts/invite/{token}",
                       data={"username": username, "new_password": password, "confirm": password})


def test_cli_invites_a_council_member_who_sets_their_own_password(app, client, db):
    make_pao(code="phuket")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["users", "invite", "--role", "council_member", "--pao", "phuket",
                                                "--name", "Somchai", "--email", "s@example.org"])
    assert result.exit_code == 0, result.output
    token = _token_from(result.output)
    invitation = db.session.scalar(db.select(Invitation))
    assert token not in invitation.token_hash  # only a hash is stored
    assert abs((invitation.expires_at - invitation.created_at) - timedelta(hours=72)) < timedelta(seconds=1)
    page = client.get(f"/accounts/invite/{token}?lang=en")
    assert page.status_code == 200 and "Somchai" in page.get_data(as_text=True)
    response = _accept(client, token)
    assert response.status_code == 302 and response.headers["Location"].endswith("/home")
    assert client.get("/home").status_code == 200  # signed in
    user = db.session.scalar(db.select(User).where(User.username == "somchai"))
    assert user.check_password(NEW_PASSWORD) and user.pao.code == "phuket" and user.email == "s@example.org"


def test_an_invitation_cannot_be_used_twice(app, client, db):
    pao = make_pao(code="phuket")
    issued = create_invitation(None, role="council_member", display_name="A", pao=pao)
    db.session.commit()
    assert _accept(client, issued.token).status_code == 302
    other = app.test_client()
    again = _accept(other, issued.token, username="intruder")
    assert again.status_code == 410
    assert "already used" in other.get(f"/accounts/invite/{issued.token}?lang=en").get_data(as_text=True)
    assert db.session.scalar(db.select(User).where(User.username == "intruder")) is None
    try:
        accept_invitation(issued.token, username="intruder2", password=NEW_PASSWORD)
    except InvitationError as error:
        assert error.reason == "used"
    else:
        raise AssertionError("a used invitation was accepted")


def test_an_expired_invitation_is_refused(client, db):
    pao = make_pao(code="phuket")
    issued = create_invitation(None, role="council_member", display_name="A", pao=pao)
    issued.invitation.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = _accept(client, issued.token)
    assert response.status_code == 410
    assert "expired" in client.get(f"/accounts/invite/{issued.token}?lang=en").get_data(as_text=True)
    assert db.session.scalar(db.select(User).where(User.username == "somchai")) is None


def test_an_unknown_link_is_not_found(client, db):
    assert client.get("/accounts/invite/made-up-token").status_code == 404


def test_bad_password_keeps_the_link_open_and_the_username(client, db):
    pao = make_pao(code="phuket")
    issued = create_invitation(None, role="council_member", display_name="A", pao=pao)
    db.session.commit()
    response = _accept(client, issued.token, password="1234567890")
    assert response.status_code == 400 and 'value="somchai"' in response.get_data(as_text=True)
    assert db.session.get(Invitation, issued.invitation.id).used_at is None
    make_user(username="taken", pao=pao)
    assert _accept(client, issued.token, username="taken").status_code == 400
    assert _accept(client, issued.token).status_code == 302


def test_staff_set_up_two_factor_before_they_are_in(client, db):
    station = make_station(code="phuket_city")
    issued = create_invitation(None, role=Role.DESK_OFFICER, display_name="Desk", station=station)
    db.session.commit()
    response = _accept(client, issued.token, username="desk1")
    assert response.headers["Location"].endswith("/accounts/2fa/setup")
    assert client.get("/home").status_code == 302  # not signed in before two-factor
    _secret, codes, _response = enrol(client)
    assert len(codes) == 10 and client.get("/home").status_code == 200
    assert db.session.scalar(db.select(User).where(User.username == "desk1")).two_factor_enrolled


def test_police_invitation_needs_a_station(db):
    try:
        create_invitation(None, role="desk_officer", display_name="X")
    except InvitationError as error:
        assert "needs a station" in str(error)
    else:
        raise AssertionError("accepted a police invitation without a station")


def test_admin_page_makes_one_link_and_a_csv_of_links(client, db, login):
    admin = make_user(role=Role.ADMIN)
    make_pao(code="phuket")
    make_station(code="phuket_city")
    db.session.commit()
    login(admin)
    assert client.get("/accounts/invitations").status_code == 200
    made = client.post("/accounts/invitations", data={"display_name": "Kanya", "role": "pao_coordinator",
                                                      "pao": "phuket", "station": "", "email": "", "phone": ""})
    assert made.status_code == 200 and made.headers["Cache-Control"] == "no-store"
    assert _token_from(made.get_data(as_text=True))
    refused = client.post("/accounts/invitations?lang=en", data={"display_name": "Nobody", "role": "desk_officer",
                                                                  "pao": "", "station": ""})
    assert refused.status_code == 400 and "Nobody" in refused.get_data(as_text=True)
    csv_text = ("name,role,pao,station,email,phone\n"
                "Anan,council_member,phuket,,anan@example.org,0812345678\n"
                "Boon,desk_officer,,phuket_city,,\n")
    made = client.post("/accounts/invitations/csv", data={"file": (io.BytesIO(csv_text.encode()), "people.csv")},
                       content_type="multipart/form-data")
    assert made.status_code == 200
    assert len(re.findall(r"/accounts/invite/[A-Za-z0-9_-]{20,}", made.get_data(as_text=True))) == 2
    bad = "name,role,pao,station\nCee,desk_officer,,nowhere\n"
    refused = client.post("/accounts/invitations/csv?lang=en",
                          data={"file": (io.BytesIO(bad.encode()), "bad.csv")}, content_type="multipart/form-data")
    assert refused.status_code == 400 and "line 2" in refused.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Invitation.id))) == 3  # the bad file made none
    listing = client.get("/accounts/invitations?lang=en").get_data(as_text=True)
    assert "Anan" in listing and "Waiting" in listing


def test_cli_bulk_invite_from_csv(app, db, tmp_path):
    make_pao(code="pattani")
    db.session.commit()
    people = tmp_path / "people.csv"
    people.write_text("name,email,phone\nDao,dao@example.org,081\nEk,,082\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["users", "invite", "--role", "council_member", "--pao", "pattani",
                                                "--csv", str(people)])
    assert result.exit_code == 0, result.output
    assert len(re.findall(r"/accounts/invite/", result.output)) == 2
    assert {i.pao.code for i in db.session.scalars(db.select(Invitation))} == {"pattani"}


def test_links_use_the_public_base_url(app, client, db, login, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://ruamkan.example.org/")
    make_pao(code="phuket")
    db.session.commit()
    login(make_user(role=Role.ADMIN))
    made = client.post("/accounts/invitations", data={"display_name": "Kanya", "role": "council_member",
                                                      "pao": "phuket", "station": ""})
    assert "https://ruamkan.example.org/accounts/invite/" in made.get_data(as_text=True)
