"""CSV exports without personal data: reports (UTF-8 with BOM, so spreadsheet programs read Thai) and station figures.

A report row never carries the narrative, the address, the resident's name or phone, or who filed
it; coordinates are rounded to 3 decimals (about 110 m), and drug reports carry none at all.
"""
import csv
import io

from flask_babel import gettext as _

from app.categories.models import Category
from app.core.timeutil import to_bangkok
from app.extensions import db
from app.oversight.facts import iter_facts
from app.oversight.hotspots import drug_category_ids
from app.oversight.places import amphoe_names
from app.reports.labels import status_label
from app.reports.models import Report, ReportStatus
from app.stations.models import Station

BOM = "\ufeff"
COORDINATE_DECIMALS = 3


def _line(values):
    buffer = io.StringIO()
    csv.writer(buffer).writerow(values)
    return buffer.getvalue()


def _when(value):
    return to_bangkok(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _within(result, missed):
    """Return True (met), False (late, or missed while still open) or None (not due yet / not owed)."""
    if result is not None:
        return result == "met"
    return False if missed else None


def report_count(scope, filters):
    """Return how many reports the reports CSV of this scope and these filters would hold."""
    return db.session.scalar(db.select(db.func.count(Report.id)).where(*scope.clauses(), *filters.clauses()))


def export_too_large(count, limit):
    """Return the message refusing an export of `count` reports, or None when it is within the limit."""
    if count <= limit:
        return None
    return _("This export would hold %(count)s reports, more than the %(limit)s one file may hold. Choose a "
             "shorter period, a station or a category.", count=f"{count:,}", limit=f"{limit:,}")


def report_rows(scope, filters, *, lang, now):
    """Yield the reports CSV line by line (first the BOM and the header), for a streamed response."""
    categories = {c.id: c for c in db.session.scalars(db.select(Category))}
    stations = {s.id: s for s in db.session.scalars(db.select(Station))}
    amphoes = amphoe_names(lang)
    drugs = drug_category_ids()
    # Translated once: a lookup per cell made gettext most of the export's time.
    statuses = {status: str(status_label(status)) for status in ReportStatus}
    words = {True: _("yes"), False: _("no"), None: ""}
    yield BOM + _line([
        _("Reference"), _("Filed (Bangkok time)"), _("Category code"), _("Category"), _("Station code"),
        _("Station"), _("Status code"), _("Status"), _("Amphoe code"), _("Amphoe"), _("Acknowledge by"),
        _("First acknowledged"), _("Act by"), _("First outcome"), _("Closed"), _("Overdue now"),
        _("Acknowledged within SLA"), _("Acted within SLA"), _("Transferred"), _("Reopened"), _("Latitude"),
        _("Longitude")])
    for facts in iter_facts(*scope.clauses(), *filters.clauses()):
        category, station = categories.get(facts.category_id), stations.get(facts.station_id)
        ack_missed, act_missed = facts.missed(now)
        hide_place = facts.category_id in drugs
        yield _line([
            facts.reference_number, _when(facts.created_at), category.code if category else "",
            category.name(lang) if category else "", station.code if station else "",
            station.name(lang) if station else "", facts.status.value, statuses[facts.status],
            facts.amphoe_code or "", amphoes.get(facts.amphoe_code, "") if facts.amphoe_code else "",
            _when(facts.ack_due_at), _when(facts.first_ack or facts.acknowledged_at), _when(facts.act_due_at),
            _when(facts.first_outcome), _when(facts.closed_at), words[ack_missed or act_missed],
            words[_within(facts.ack_result, ack_missed)], words[_within(facts.act_result, act_missed)],
            words[facts.transferred], words[facts.reopened],
            "" if hide_place else f"{facts.lat:.{COORDINATE_DECIMALS}f}",
            "" if hide_place else f"{facts.lon:.{COORDINATE_DECIMALS}f}"])


def _hours(seconds):
    return "" if seconds is None else f"{seconds / 3600:.1f}"


def _percent(share):
    return "" if share is None else f"{share * 100:.1f}"


def station_rows(dashboard, *, lang):
    """Yield the station figures CSV of a dashboard line by line (BOM and header first)."""
    yield BOM + _line([
        _("Station code"), _("Station"), _("Reports"), _("Open"), _("Open overdue"),
        _("Median hours to acknowledge"), _("90th percentile hours to acknowledge"), _("Median hours to act"),
        _("90th percentile hours to act"), _("Acknowledged within SLA (%)"), _("Acted within SLA (%)"),
        _("Transferred (%)"), _("Reopened (%)")])
    for station, figures in dashboard.by_station:
        yield _line([
            station.code if station else "", station.name(lang) if station else _("No station (coordinator)"),
            figures.reports, figures.open_reports, figures.overdue, _hours(figures.ack_median),
            _hours(figures.ack_p90), _hours(figures.act_median), _hours(figures.act_p90),
            _percent(figures.ack_sla), _percent(figures.act_sla), _percent(figures.transfer_rate),
            _percent(figures.reopen_rate)])
