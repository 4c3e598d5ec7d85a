"""The reports' line of the PAO rollout checklist: the first report routed to a station."""
from flask_babel import gettext as _

from app.extensions import db
from app.reports.models import Report
from app.stations.rollout import CheckItem, register_rollout_check


@register_rollout_check
def first_report_check(pao, today):
    """Return the first-report item: has any report of the PAO reached a station?"""
    routed = db.session.scalar(db.select(db.func.count(Report.id)).where(
        Report.pao_id == pao.id, Report.station_id.is_not(None)))
    return CheckItem("first_report", _("First report routed"), routed > 0,
                     _("%(n)d reports of this PAO have reached a station.", n=routed), "stations.coverage",
                     {"pao": pao.code})
