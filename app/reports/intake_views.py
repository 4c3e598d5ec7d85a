"""The intake form: photo and place first, then what and who; nothing the member chose is lost on the way."""
import io

from flask import abort, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from app.categories.questions import question_catalogue
from app.core.i18n import current_lang
from app.core.storage import StorageUnavailable, get_storage
from app.extensions import db
from app.reports import bp
from app.reports.forms import ReportForm, leaf_categories
from app.reports.geocode import UNAVAILABLE_MESSAGE, GeocodingUnavailable, search_places
from app.reports.intake import check_place
from app.reports.intake_page import intake_page_context
from app.reports.limits import filed_with_key, form_idempotency_key, submission_limit
from app.reports.photos import photo_limits
from app.reports.services import NeedsConfirmation, submit_report
from app.reports.staging import STORAGE_DOWN_MESSAGE, StagedPhoto, drop_staged, stage_photos, staged_photos
from app.security.access import role_required
from app.security.params import bounded_int


@bp.route("/new", methods=["GET", "POST"])
@role_required("council_member")
@submission_limit(form_idempotency_key)
def new():
    """Show the intake form; file the report once it is valid and its checks are confirmed."""
    if current_user.pao is None:
        abort(403)
    form = ReportForm(leaf_categories())
    if request.method == "GET":
        return _form_page(form)
    # A double tap or a retry after a lost answer: the first report stands.
    existing = filed_with_key(current_user, form.idempotency_key.data)
    if existing is not None:
        return redirect(url_for("reports.receipt", report_id=existing.id))
    valid = form.validate()
    try:
        kept = _keep_photos(form)
    except StorageUnavailable:
        # Nothing is half-written: rows roll back, files stored by this request were removed. The form stays.
        db.session.rollback()
        return _form_page(form, stage_photos(current_user, form.idempotency_key.data, []), status=503,
                          storage_error=STORAGE_DOWN_MESSAGE)
    if any(key in request.form for key in ("find_place", "use_place", "check_place")):
        return _place_search(form, kept)
    if not valid or form.photos.errors:
        return _form_page(form, kept, status=400)
    draft = form.to_draft()
    draft.photo_gps = draft.photo_gps or next((photo.gps for photo in kept if photo.gps), None)
    try:
        report, _created = submit_report(current_user, draft, staged=kept, known_new=True)
    except NeedsConfirmation as needs:
        return _form_page(form, kept, checks=needs.checks, missing=needs.missing)
    return redirect(url_for("reports.receipt", report_id=report.id))


def _keep_photos(form):
    """Keep the photos sent so far on the server (minus those the member removed); return them, committed."""
    key = form.idempotency_key.data
    removed = {bounded_int(v) for v in request.form.getlist("remove_photo") if v.isdigit() and len(v) < 19}
    if removed:
        drop_staged(current_user, key, removed)
    if not removed and not form.processed_photos:
        return staged_photos(current_user, key)  # nothing to keep or drop: no write, no commit
    max_count, _max_bytes = photo_limits()
    room = max_count - len(staged_photos(current_user, key))
    if len(form.processed_photos) > room:
        form.photos.errors = [*form.photos.errors, form.too_many_photos_message(max_count)]
    kept = stage_photos(current_user, key, form.processed_photos[:max(room, 0)])
    db.session.commit()
    return kept


@bp.get("/staged/<int:photo_id>.jpg")
@role_required("council_member")
def staged_photo(photo_id):
    """Send the thumbnail of a photo the member's unsent form keeps."""
    photo = db.session.get(StagedPhoto, photo_id)
    if photo is None or photo.member_id != current_user.id:
        abort(404)
    try:
        data = get_storage().read(photo.thumb_key)
    except FileNotFoundError:
        abort(404)
    response = send_file(io.BytesIO(data), mimetype="image/jpeg", max_age=600)
    response.cache_control.private = True
    return response


def _place_search(form, kept):
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
    for field in form:  # a search is not a send: keep only the place's own messages
        if field.name not in ("lat", "lon", "place_query", "photos"):
            field.errors = []
    return _form_page(form, kept, places=places, search_error=search_error)


def _form_page(form, kept=(), status=200, checks=None, missing=(), places=None, search_error=None,
               storage_error=None):
    preview = None
    photo_gps = form.photo_gps or next((photo.gps for photo in kept if photo.gps), None)
    if checks is not None:
        preview = (checks.decision, checks.place_name, checks.place_warnings)
    elif form.preview_input():
        category, lat, lon = form.preview_input()
        preview = check_place(pao=current_user.pao, category=category, lat=lat, lon=lon, photo_gps=photo_gps)
    return render_template(
        "reports/new.html", form=form, questions=question_catalogue(form.categories.values()),
        checks=checks, missing=missing, preview=preview, places=places, search_error=search_error, kept=kept,
        storage_error=storage_error,
        photo_gps=photo_gps,
        **intake_page_context(current_user.pao, preview, checks),
    ), status
