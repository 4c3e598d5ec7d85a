"""Re-routing a PAO's open reports after its areas or MOUs changed (the button on the coverage page)."""
from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import db
from app.reports import bp
from app.reports.routing_service import reroute_open_reports
from app.security.access import role_required
from app.stations.forms import RerouteForm
from app.stations.services import page_pao


@bp.post("/reroute")
@role_required("admin", "pao_coordinator")
def reroute():
    """Re-route the PAO's open reports whose station the current areas and MOUs would change."""
    pao = page_pao(current_user, request.values.get("pao"))
    if not RerouteForm().validate_on_submit() or pao is None:
        abort(400)
    moved = reroute_open_reports(pao=pao, actor=current_user)
    db.session.commit()
    flash(_("%(n)d open report(s) moved to another station.", n=moved), "success")
    return redirect(url_for("stations.coverage", pao=pao.code))
