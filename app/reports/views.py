"""Intake pages for council members: the form, the receipt, their reports and a report's page."""
from flask import abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.categories.questions import answer_text, question_catalogue
from app.core.i18n import current_lang
from app.core.qr import qr_svg
from app.reports import bp
from app.reports.forms import ReportForm, TextForm, leaf_categories
from app.reports.geocode import UNAVAILABLE_MESSAGE, GeocodingUnavailable, search_places
from app.reports.intake import check_place
from app.reports.intake_page import intake_page_context
from app.reports.limits import form_idempotency_key, submission_limit
from app.reports.privacy import visible_text
from app.reports.queries import find_report, member_reports, supported_reports
from app.reports.services import NeedsConfirmation, find_submitted, submit_report
from app.reports.timeline import open_questions, timeline
from app.security.access import role_required
from app.security.params import int_arg


@bp.route("/new", methods=["GET", "POST"])
@role_required("council_member")
@submission_limit(form_idempotency_key)
def new():
    """Show the intake form; file the report once it is valid and its checks are confirmed."""
    if current_user.pao is None:
        abort(403)
    form = ReportForm(leaf_categories())
    if request.method == "POST":
        # A double tap or a retry after a lost answer: the first report stands.
        existing = find_submitted(current_user, form.idempotency_key.data)
        if existing is not None:
            return redirect(url_for("reports.receipt", report_id=existing.id))
        if any(key in request.form for key in ("find_place", "use_place", "check_place")):
            return _place_search(form)
    if not form.validate_on_submit():
        return _form_page(form, status=400 if request.method == "POST" else 200)
    try:
        report, _created = submit_report(current_user, form.to_draft(), form.processed_photos)
    except NeedsConfirmation as needs:
        return _form_page(form, checks=needs.checks, missing=needs.missing)
    return redirect(url_for("reports.receipt", report_id=report.id))


def _place_search(form):
    """Without JavaScript: search places, take the one the member picked, or just preview the pin."""
    places, search_error = None, None
    if "use_place" in request.form:
        lat, _sep, rest = request.form["use_place"].partition(",")
        lon, _sep, label = rest.partition(",")
        form.lat.data, form.lon.data = lat.strip()[:20], lon.strip()[:20]
        if not (form.address_text.data or "").strip():
            form.address_text.data = label.strip()[:400]
    elif "find_place" in request.form:
        try:
            places = search_places(form.place_query.data, current_lang())
        except GeocodingUnavailable:
            search_error = UNAVAILABLE_MESSAGE
    return _form_page(form, places=places, search_error=search_error)


def _form_page(form, status=200, checks=None, missing=(), places=None, search_error=None):
    preview = None
    if checks is not None:
        preview = (checks.decision, checks.place_name)
    elif form.preview_input():
        category, lat, lon = form.preview_input()
        preview = check_place(pao=current_user.pao, category=category, lat=lat, lon=lon)
    return render_template(
        "reports/new.html", form=form, questions=question_catalogue(form.categories.values()),
        checks=checks, missing=missing, preview=preview, places=places, search_error=search_error,
        **intake_page_context(current_user.pao, preview, checks),
    ), status


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
    reports, has_more = member_reports(current_user, page=max(page, 1))
    return render_template("reports/mine.html", reports=reports, page=page, has_more=has_more,
                           supported=supported_reports(current_user) if page == 1 else [])


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
