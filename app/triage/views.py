"""The station queue and its map; importing this module registers every triage route on `bp`."""
from flask import jsonify, render_template, request
from flask_login import current_user

from app.categories.models import Priority
from app.reports.models import ReportStatus
from app.security.access import role_required
from app.triage import bp
from app.triage.pages import map_features, queue_rows
from app.triage.queries import (
    DUE_CHOICES,
    BadCursor,
    QueueFilters,
    category_choices,
    map_points,
    queue_page,
    status_counts,
)
from app.triage.services import assignable_officers

POLICE = ("desk_officer", "station_commander")


@bp.get("/")
@role_required(*POLICE)
def queue():
    """List the station's reports: overdue first, then priority, then age; filtered and paged by cursor."""
    filters = QueueFilters.from_args(request.args)
    try:
        page = queue_page(current_user, filters, cursor=request.args.get("after") or None)
    except BadCursor:
        page = queue_page(current_user, filters)
    return render_template("triage/queue.html", **_filter_context(filters), page=page,
                           rows=queue_rows(page, current_user), counts=status_counts(current_user),
                           first_page=bool(request.args.get("after")))


@bp.get("/map")
@role_required(*POLICE)
def queue_map():
    """Show the station's open reports on a map (the list stays the way to work them)."""
    filters = QueueFilters.from_args(request.args)
    return render_template("triage/map.html", **_filter_context(filters))


@bp.get("/map.json")
@role_required(*POLICE)
def queue_map_data():
    """Return the open reports of the queue (same filters) as GeoJSON points."""
    rows, truncated = map_points(current_user, QueueFilters.from_args(request.args))
    data = map_features(rows, current_user)
    data["truncated"] = truncated
    response = jsonify(data)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _filter_context(filters):
    return {"filters": filters, "categories": category_choices(), "priorities": list(Priority),
            "statuses": list(ReportStatus), "due_choices": DUE_CHOICES,
            "officers": assignable_officers(current_user.station)}


from app.triage import admin_views, report_views  # noqa: E402,F401
