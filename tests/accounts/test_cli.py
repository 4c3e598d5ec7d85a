"""`flask users create`."""
from app.accounts.models import User
from tests.factories import make_pao, make_station


def test_users_create_prompts_for_password(app, db):
    pao = make_pao(code="songkhla")
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "--username", "Somsri", "--role", "council_member",
                                 "--pao", "songkhla"], input="long-password-1\nlong-password-1\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User).where(User.username == "somsri"))
    assert user.pao_id == pao.id and user.check_password("long-password-1")


def test_users_create_police_needs_a_known_station(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "--username", "x", "--role", "desk_officer",
                                 "--station", "nowhere", "--password", "long-password-1"])
    assert result.exit_code == 2 and "unknown station code" in result.output
    result = runner.invoke(args=["users", "create", "--username", "x", "--role", "desk_officer",
                                 "--password", "long-password-1"])
    assert result.exit_code == 2 and "needs a station" in result.output
    station = make_station(code="hat_yai")
    db.session.commit()
    result = runner.invoke(args=["users", "create", "--username", "x", "--role", "desk_officer",
                                 "--station", "hat_yai", "--password", "long-password-1"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(db.select(User).where(User.username == "x")).station_id == station.id
