"""The dashboard, hotspot map, CSV exports and the printable monthly summary (thin views)."""
from flask import Response, abort, current_app, jsonify, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import render_error
from app.core.i18n import current_lang
from app.core.replica import reads_from_replica
from app.core.timeutil import to_bangkok, utcnow
from app.oversight import bp, formatting, grid  # noqa: F401  (formatting registers the template filters)
from app.oversight.dashboard import dashboard_data
from app.oversight.exports import export_too_large, report_count, report_rows, station_rows
from app.oversight.grid import bbox_arg
from app.oversight.hotspots import hotspot_cells, hotspot_geojson
from app.oversight.pages import chart_layouts, filter_context
from app.oversight.periods import add_months, month_code, month_of
from app.oversight.rollup import rollups_refreshed_at
from app.oversight.satisfaction import satisfaction_data
from app.oversight.scope import Filters, oversight_scope
from app.reports.disclosure import min_count
from app.security.access import role_required
from app.security.params import int_arg, month_arg

VIEWERS = ("admin", "pao_coordinator", "council_member")


def _scope_and_filters():
    scope = _scope()
    return scope, Filters.from_args(request.args, to_bangkok(utcnow()).date())



def _scope():
    """Return the viewer's oversight scope; 403 when they see no figures, 404 for an unknown ?pao=."""
    try:
        scope = oversight_scope(current_user, request.args.get("pao"))
    except LookupError:
        abort(404)
    return scope or abort(403)

@bp.get("/")
@role_required(*VIEWERS)
@reads_from_replica
def dashboard():
    """Show how the police respond: reports by month, category, station and amphoe, times and SLA shares."""
    scope, filters = _scope_and_filters()
    data = dashboard_data(scope, filters, lang=current_lang())
    return render_template("oversight/dashboard.html", data=data, charts=chart_layouts(data, current_lang()),
                           satisfaction=satisfaction_data(scope, filters),
                           **filter_context(current_user, scope, filters))


@bp.get("/hotspots")
@role_required(*VIEWERS)
@reads_from_replica
def hotspots():
    """Show where reports cluster, on a grid that never shows fewer than the minimum per cell."""
    scope, filters = _scope_and_filters()
    data = hotspot_cells(scope, filters, min_count=_min_count(), **_map_view())
    refreshed_at = rollups_refreshed_at() if data["source"] == "rollups" else None
    return render_template("oversight/hotspots.html", data=data, refreshed_at=refreshed_at,
                           **filter_context(current_user, scope, filters))


@bp.get("/hotspots.json")
@role_required(*VIEWERS)
@reads_from_replica
def hotspots_data():
    """Return the hotspot cells as GeoJSON squares with the 'elsewhere' total."""
    scope, filters = _scope_and_filters()
    response = jsonify(hotspot_geojson(hotspot_cells(scope, filters, min_count=_min_count(), **_map_view())))
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _map_view():
    """Return the zoom and bounds a map asks for (?zoom=0..3&bbox=south,west,north,east); bad ones are ignored."""
    return {"zoom": int_arg(request.args, "zoom", grid.PROVINCE, high=grid.FINEST) or 0,
            "bounds": bbox_arg(request.args, "bbox")}


def _min_count():
    return min_count()  # one rule for every count about reports (app/reports/disclosure.py)


def _csv(lines, name):
    response = Response(stream_with_context(lines), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f"attachment; filename={name}"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/export/reports.csv")
@role_required(*VIEWERS)
@reads_from_replica
def export_reports():
    """Download the filtered reports as CSV, without any personal data."""
    scope, filters = _scope_and_filters()
    refused = export_too_large(report_count(scope, filters), current_app.config["EXPORT_DIRECT_ROWS"])
    if refused:
        back = (url_for("oversight.dashboard", **request.args), _("Back to the dashboard"))
        return render_error(400, refused, back=back)
    lines = report_rows(scope, filters, lang=current_lang(), now=utcnow())
    return _csv(lines, f"reports_{month_code(filters.first)}_{month_code(filters.last)}.csv")


@bp.get("/export/stations.csv")
@role_required(*VIEWERS)
@reads_from_replica
def export_stations():
    """Download the station figures of the dashboard as CSV."""
    scope, filters = _scope_and_filters()
    data = dashboard_data(scope, filters, lang=current_lang())
    return _csv(station_rows(data, lang=current_lang()),
                f"stations_{month_code(filters.first)}_{month_code(filters.last)}.csv")


@bp.get("/summary")
@role_required(*VIEWERS)
@reads_from_replica
def summary():
    """Show the printable summary of one month for the council meeting (default: last month)."""
    scope = _scope()
    month = month_arg(request.args, "month") or add_months(month_of(to_bangkok(utcnow()).date()), -1)
    filters = Filters.for_month(month)
    lang = current_lang()
    data = dashboard_data(scope, filters, lang=lang)
    previous = dashboard_data(scope, Filters.for_month(add_months(month, -1)), lang=lang)
    return render_template("oversight/summary.html", data=data, previous=previous, month=month, scope=scope,
                           satisfaction=satisfaction_data(scope, filters),
                           prev_month=add_months(month, -1), next_month=add_months(month, 1),
                           printed_at=utcnow(), pao_arg=request.args.get("pao"))


from app.oversight import export_views, mou_views  # noqa: E402,F401  (register the MOU registry and export routes)
