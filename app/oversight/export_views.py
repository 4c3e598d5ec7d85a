"""Background exports (thin views): ask for one, watch its progress, download it with a time-limited link."""
from flask import Response, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import render_error
from app.core.i18n import current_lang
from app.core.storage import get_storage
from app.core.timeutil import to_bangkok, utcnow
from app.extensions import db
from app.oversight import bp
from app.oversight.export_jobs import (
    DONE,
    FILTER_ARGS,
    QUEUED,
    RUNNING,
    ExportJob,
    check_link,
    exports_of,
    link_token,
    request_export,
)
from app.security.access import role_required

VIEWERS = ("admin", "pao_coordinator", "council_member")
CHUNK = 256 * 1024


@bp.get("/exports")
@role_required(*VIEWERS)
def exports():
    """List the member's background exports with their progress and download links."""
    jobs = exports_of(current_user)
    links = {job.id: url_for("oversight.download_export", job_id=job.id, t=link_token(job))
             for job in jobs if job.status == DONE}
    busy = any(job.status in (QUEUED, RUNNING) for job in jobs)
    return render_template("oversight/exports.html", jobs=jobs, links=links, busy=busy,
                           keep_hours=current_app.config["EXPORT_KEEP_HOURS"],
                           link_minutes=current_app.config["EXPORT_LINK_MINUTES"])


@bp.post("/exports")
@role_required(*VIEWERS)
def new_export():
    """Queue a reports export of the dashboard's filters; the worker prepares it."""
    args = {key: request.form.get(key, "")[:40] for key in FILTER_ARGS}
    try:
        request_export(current_user, args, current_lang(), to_bangkok(utcnow()).date())
    except PermissionError:
        abort(403)
    except LookupError:
        abort(404)
    db.session.commit()
    return redirect(url_for("oversight.exports"))


@bp.get("/exports/<int:job_id>/download")
@role_required(*VIEWERS)
def download_export(job_id):
    """Send a finished export to the member who asked for it, while the link is valid."""
    job = db.session.get(ExportJob, job_id)
    if job is None or job.requested_by_id != current_user.id or job.status != DONE:
        abort(404)
    problem = check_link(job, request.args.get("t"))
    if problem:
        back = (url_for("oversight.exports"), _("Your exports"))
        return render_error(403, _("This download link has expired or is not valid. Open your exports for a new "
                                   "link."), back=back)
    stream = get_storage().open(job.storage_key)

    def chunks():
        with stream:
            while data := stream.read(CHUNK):
                yield data

    response = Response(chunks(), mimetype="application/gzip")
    response.headers["Content-Disposition"] = f"attachment; filename={job.file_name}"
    response.headers["Cache-Control"] = "private, no-store"
    if job.size_bytes:
        response.headers["Content-Length"] = str(job.size_bytes)
    return response
