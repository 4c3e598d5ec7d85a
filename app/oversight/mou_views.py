"""The MOU registry pages: list, register, edit, renew, end, and the signed documents (thin views)."""
import io
import logging
from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.i18n import current_lang
from app.core.storage import StorageUnavailable, get_storage
from app.core.timeutil import to_bangkok, utcnow
from app.extensions import db
from app.oversight import bp
from app.oversight.forms import (
    DocumentForm,
    EditMouForm,
    EndMouForm,
    NewMouForm,
    RenewMouForm,
    category_choices,
    station_choices,
    uploaded,
)
from app.security.access import may_open_mou_document, role_required
from app.stations.models import Mou, MouRecord, Pao, Station
from app.stations.mou_documents import (
    STORAGE_DOWN_MESSAGE,
    DocumentRefused,
    drop_document,
    max_document_bytes,
    read_upload,
)
from app.stations.mou_registry import (
    STATE_LABELS,
    expiring_rows,
    managed_mou,
    mou_state,
    registry_rows,
)
from app.stations.mous import MouRegistryError, attach_document, edit_mou, end_mou, register_mou, renew_mou
from app.stations.services import page_pao

log = logging.getLogger(__name__)
MANAGERS = ("admin", "pao_coordinator")
# What a form that carries a document may fail with: the file refused, or the file store not answering (503).
DOCUMENT_ERRORS = (DocumentRefused, StorageUnavailable)


def _today():
    return to_bangkok(utcnow()).date()  # MOU dates are Thai calendar days


@bp.get("/mous")
@role_required(*MANAGERS)
def mous():
    """List the PAO's MOUs with their state and documents, and those that expire within 60 days."""
    pao = (page_pao(current_user, request.values.get("pao")) or abort(404))
    rows = registry_rows(pao, _today())
    paos = db.session.scalars(db.select(Pao).order_by(Pao.code)).all() if current_user.role.value == "admin" else []
    return render_template("oversight/mous.html", pao=pao, paos=paos, rows=rows, states=STATE_LABELS,
                           expiring=expiring_rows(rows, _today()))


def _choices(form):
    form.categories.choices = category_choices(current_lang())
    if hasattr(form, "station"):
        form.station.choices = [("", "—")] + station_choices(current_lang())


def _document(form):
    """Return (filename, bytes) of the form's upload, or None; at most one byte over the limit is read."""
    upload = uploaded(form.document)
    if upload is None:
        return None
    filename, stream = upload
    return filename, read_upload(stream, max_document_bytes())


def _refused(form, error):
    """Undo the attempt and show why: a file problem beside the file field, any other above the form.
    Return the status to answer: 503 when the file store did not answer, else 400."""
    db.session.rollback()
    if isinstance(error, StorageUnavailable):
        log.error("MOU document not stored, the file store is down: %s", error)
        form.document.errors = list(form.document.errors) + [str(STORAGE_DOWN_MESSAGE)]
        return 503
    if isinstance(error, DocumentRefused):
        form.document.errors = list(form.document.errors) + [str(error)]
    else:
        form.form_errors.append(str(error))
    return 400


@bp.route("/mous/new", methods=["GET", "POST"])
@role_required(*MANAGERS)
def new_mou():
    """Register a new MOU between the PAO and a station."""
    pao = (page_pao(current_user, request.values.get("pao")) or abort(404))
    form = NewMouForm()
    _choices(form)
    status = 200
    if form.validate_on_submit():
        station = db.session.scalar(db.select(Station).where(Station.code == form.station.data))
        try:
            mou = register_mou(pao=pao, station=station, signed_on=form.signed_on.data,
                               effective_from=form.effective_from.data, expires_on=form.expires_on.data,
                               covers_all=form.covers_all.data, category_codes=form.category_codes(),
                               document_ref=form.document_ref.data or None, document=_document(form),
                               actor=current_user)
        except (MouRegistryError, *DOCUMENT_ERRORS) as error:
            status = _refused(form, error)
        else:
            db.session.commit()
            flash(_("The MOU with %(station)s is registered.", station=station.name(current_lang())), "success")
            return redirect(url_for("oversight.mou", mou_id=mou.id))
    elif form.errors:
        status = 400
    return render_template("oversight/mou_new.html", form=form, pao=pao), status


def _mou_page(mou, status=200, **forms):
    today = _today()
    edit = forms.get("edit") or EditMouForm(obj=mou, mou=mou, formdata=None)
    if "edit" not in forms:
        edit.covers_all.data, edit.categories.data = mou.covers_all, list(mou.category_codes or [])
    renew = forms.get("renew") or RenewMouForm(formdata=None, data={
        "covers_all": mou.covers_all, "categories": list(mou.category_codes or []), "signed_on": today,
        "effective_from": (mou.expires_on or today) + timedelta(days=1)})
    end = forms.get("end") or EndMouForm(formdata=None, data={"ended_on": today})
    for form in (edit, renew):
        _choices(form)
    rows = {r["mou"].id: r for r in registry_rows(mou.pao, today)}
    return render_template("oversight/mou.html", mou=mou, row=rows[mou.id], state=mou_state(mou, today),
                           states=STATE_LABELS, edit_form=edit, renew_form=renew, end_form=end,
                           document_form=forms.get("document") or DocumentForm(formdata=None),
                           has_errors=status != 200), status


@bp.get("/mous/<int:mou_id>")
@role_required(*MANAGERS)
def mou(mou_id):
    """Show one MOU with the forms to edit, renew or end it and to attach its signed document."""
    return _mou_page(managed_mou(current_user, mou_id) or abort(404))


def _mou_action(mou, form, name, act, done, errors=(MouRegistryError,)):
    """Run act() for a valid form: commit, say done, show the MOU it leaves (a renewal's new one); else the
    page again with the form's errors (400)."""
    status = 400
    if form.validate_on_submit():
        try:
            result = act()
        except errors as error:
            status = _refused(form, error)
        else:
            db.session.commit()
            flash(done(result) if callable(done) else done, "success")
            return redirect(url_for("oversight.mou", mou_id=(result if isinstance(result, Mou) else mou).id))
    return _mou_page(mou, status, **{name: form})


@bp.post("/mous/<int:mou_id>/edit")
@role_required(*MANAGERS)
def edit(mou_id):
    """Change an MOU's terms (signing date, expiry, categories, document reference)."""
    mou = managed_mou(current_user, mou_id) or abort(404)
    form = EditMouForm(mou=mou)
    _choices(form)
    return _mou_action(mou, form, "edit", lambda: edit_mou(
        mou, signed_on=form.signed_on.data, expires_on=form.expires_on.data, covers_all=form.covers_all.data,
        category_codes=form.category_codes(), document_ref=form.document_ref.data or None, actor=current_user),
        lambda changed: _("The MOU is updated.") if changed else _("Nothing was changed."))


@bp.post("/mous/<int:mou_id>/renew")
@role_required(*MANAGERS)
def renew(mou_id):
    """Record a new MOU that continues this one."""
    old = managed_mou(current_user, mou_id) or abort(404)
    form = RenewMouForm()
    _choices(form)
    return _mou_action(old, form, "renew", lambda: renew_mou(
        old, signed_on=form.signed_on.data, effective_from=form.effective_from.data,
        expires_on=form.expires_on.data, covers_all=form.covers_all.data, category_codes=form.category_codes(),
        document_ref=form.document_ref.data or None, document=_document(form), actor=current_user),
        _("The MOU is renewed."), errors=(MouRegistryError, *DOCUMENT_ERRORS))


@bp.post("/mous/<int:mou_id>/end")
@role_required(*MANAGERS)
def end(mou_id):
    """End an MOU: it stops routing reports at once."""
    mou = managed_mou(current_user, mou_id) or abort(404)
    form = EndMouForm()
    return _mou_action(mou, form, "end", lambda: end_mou(
        mou, ended_on=form.ended_on.data, reason=form.reason.data, actor=current_user, today=_today()),
        _("The MOU has ended."))


@bp.post("/mous/<int:mou_id>/document")
@role_required(*MANAGERS)
def upload_document(mou_id):
    """Attach the signed MOU as a PDF (replacing the file shown until now)."""
    mou = managed_mou(current_user, mou_id) or abort(404)
    form = DocumentForm()
    return _mou_action(mou, form, "document", lambda: attach_document(mou, _document(form), actor=current_user),
                       _stored, errors=DOCUMENT_ERRORS)


def _stored(replaced_key):
    drop_document(replaced_key)  # committed: the row names the new file, the old one is no longer needed
    return _("The signed MOU is stored.")


@bp.get("/mous/<int:mou_id>/document")
@role_required("admin", "pao_coordinator", "desk_officer", "station_commander")
def mou_document(mou_id):
    """Send the signed MOU to admins, coordinators of its PAO and police of its station; others get 404."""
    mou = db.session.get(Mou, mou_id)
    record = db.session.get(MouRecord, mou_id) if mou else None
    if record is None or not record.has_document or not may_open_mou_document(current_user, mou):
        abort(404)
    try:
        data = get_storage().read(record.document_key)  # a store that is down: 503 (app/core/errors.py)
    except FileNotFoundError:
        abort(404)
    response = send_file(io.BytesIO(data), mimetype="application/pdf", download_name=f"mou-{mou.station.code}.pdf")
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox"  # a PDF's own scripts get no page privileges
    return response
