"""Intake pages for council members: the form, the receipt, their reports and a report's page."""
from flask import abort, current_app, render_template, request, url_for
from flask_login import current_user, login_required

from app.categories.questions import answer_text
from app.core.i18n import current_lang
from app.core.qr import qr_svg
from app.reports import bp
from app.reports.forms import TextForm
from app.reports.privacy import visible_text
from app.reports.queries import WAITING_FOR_MEMBER, find_report, member_reports, member_to_do, supported_reports
from app.reports.timeline import open_questions, timeline
from app.security.access import role_required
from app.security.params import int_arg


@bp.get("/<int:report_id>/receipt")
@role_required("council_member")
def receipt(report_id):
    """Show the reference number, the station and why, and the resident's tracking link and QR code."""
    report = find_report(current_user, report_id) or abort(404)
    track_url = _public_url("reports.track_report", reference=report.reference_number, s=report.tracking_secret)
    decision = report.routing_decisions[-1] if report.routing_decisions else None
    return render_template("reports/receipt.html", report=report, decision=decision, track_url=track_url,
                           track_home=_public_url("reports.track"), qr=qr_svg(track_url))


def _public_url(endpoint, **values):
    """Return an absolute URL for residents: PUBLIC_BASE_URL when set (behind a proxy), else this host."""
    base = (current_app.config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    return base + url_for(endpoint, **values) if base else url_for(endpoint, _external=True, **values)


@bp.get("/mine")
@role_required("council_member")
def mine():
    """List the member's reports with status, station and due dates, and the reports they supported."""
    page = int_arg(request.args, "page", 1, low=1, high=100000)
    waiting = request.args.get("waiting") if request.args.get("waiting") in WAITING_FOR_MEMBER else None
    reports, has_more = member_reports(current_user, page=max(page, 1), waiting=waiting)
    return render_template("reports/mine.html", reports=reports, page=page, has_more=has_more, waiting=waiting,
                           to_do=member_to_do(current_user),
                           supported=supported_reports(current_user) if page == 1 and not waiting else [])


@bp.get("/<int:report_id>")
@login_required
def detail(report_id):
    """Show one report the user may see, with its routing and timeline."""
    report = find_report(current_user, report_id) or abort(404)
    lang = current_lang()
    is_filer = report.filed_by_id == current_user.id
    return render_template(
        "reports/detail.html", report=report, is_filer=is_filer,
        narrative=visible_text(report.narrative, current_user, report),
        address_text=visible_text(report.address_text, current_user, report),
        entries=timeline(report, current_user, lang), questions=open_questions(report) if is_filer else [],
        text_form=TextForm(), answer_text=answer_text,
    )
