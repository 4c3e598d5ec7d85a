"""Helpers for oversight tests: sign in, build reports with known timings."""
from datetime import timedelta

from app.categories.models import Priority
from app.extensions import db
from app.reports.lifecycle import compute_due_times
from app.reports.models import Report, ReportStatus
from app.reports.workflow import perform
from tests.accounts.helpers import sign_in
from tests.factories import make_report

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def signed_in(app, user, password="pw-secret-123"):
    """Return a new test client signed in as the user (each client keeps its own cookies)."""
    client = app.test_client()
    sign_in(client, user, password)
    return client


def filed(*, member, station, category, created_at, lat=7.2, lon=100.55, amphoe=None,
          narrative="Theft of motorbikes behind the market, call 081-234-5678"):
    """A report filed at `created_at` with the SLA deadlines intake would give it."""
    report = make_report(filed_by=member, station=station, category=category, lat=lat, lon=lon, narrative=narrative)
    report.priority = Priority.NORMAL
    report.created_at = report.updated_at = created_at
    report.ack_due_at, report.act_due_at = compute_due_times(category, Priority.NORMAL, created_at)
    report.amphoe_code = amphoe
    db.session.flush()
    return report


def step(report, name, user, at, **data):
    """Apply one workflow transition at a given time."""
    return perform(report, name, user, now=at, **data)


def hours(base, n):
    return base + timedelta(hours=n)


def reload(report):
    return db.session.get(Report, report.id)


__all__ = ["PDF", "ReportStatus", "filed", "hours", "reload", "signed_in", "step"]
