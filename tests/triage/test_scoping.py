"""Scoping: police of another station get 404 on every triage URL of a report that is not theirs."""
import pytest

from app.extensions import db
from app.reports.models import ReportEvent, ReportStatus
from app.triage.forms import ACTION_FORMS
from tests.triage.helpers import signed_in

ROLE_FORBIDDEN = {"desk_officer": {"triage.audit"}}  # desk officers never see audits: 403 for any report


def report_urls(app, report_id):
    """Every (method, url, endpoint) of the triage blueprint that names a report."""
    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("triage.") or "report_id" not in rule.arguments:
            continue
        actions = list(ACTION_FORMS) if "action" in rule.arguments else [None]
        for action in actions:
            values = {"report_id": report_id, **({"action": action} if action else {})}
            path = rule.build(values, append_unknown=False)[1]
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                urls.append((method, path, rule.endpoint))
    return urls


def test_every_report_url_is_covered(app):
    endpoints = {endpoint for _m, _u, endpoint in report_urls(app, 1)}
    assert endpoints == {"triage.report", "triage.act", "triage.assign", "triage.note", "triage.contact",
                         "triage.audit", "triage.forward"}


@pytest.mark.parametrize("who", ["east_desk", "east_commander"])
def test_police_of_another_station_get_404_everywhere(app, world, who):
    user = getattr(world, who)
    client = signed_in(app, user)
    report = world.report
    form = {"version": report.version, "text": "x", "reason": "x", "note": "x", "outcome": "arrest",
            "station": world.east.id, "officer": user.id}
    before = (report.status, report.station_id, report.version)
    count = db.session.scalar(db.select(db.func.count(ReportEvent.id)))
    for method, url, endpoint in report_urls(app, report.id):
        response = client.open(url, method=method, data=form if method == "POST" else None)
        expected = 403 if endpoint in ROLE_FORBIDDEN.get(user.role.value, ()) else 404
        assert response.status_code == expected, (method, url, response.status_code)
    db.session.refresh(report)
    assert (report.status, report.station_id, report.version) == before
    assert db.session.scalar(db.select(db.func.count(ReportEvent.id))) == count


def test_a_missing_report_is_404_and_other_roles_are_403(app, world):
    desk = signed_in(app, world.desk)
    member = signed_in(app, world.member)
    for method, url, _endpoint in report_urls(app, 999999):
        assert desk.open(url, method=method).status_code in (403, 404)
    for method, url, _endpoint in report_urls(app, world.report.id):
        assert member.open(url, method=method).status_code == 403, url
    assert world.report.status == ReportStatus.NEW
