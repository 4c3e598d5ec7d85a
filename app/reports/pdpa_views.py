"""The PAO coordinator's page for personal data access requests (PDPA): a phone number in, a JSON file out."""
import json

from flask import Response, abort, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import StringField
from wtforms.validators import DataRequired, Length, ValidationError

from app.core.i18n import current_lang
from app.core.timeutil import to_bangkok, utcnow
from app.extensions import db, limiter
from app.reports import bp
from app.reports.pdpa import count_unindexed, export_phone_data
from app.reports.phone_index import normalise_phone
from app.reports.retention import contact_removed
from app.security.access import role_required
from app.security.forms import SafeForm

# Pages that show a report's contact section ask this to say "removed" rather than offer a reveal.
bp.add_app_template_global(contact_removed)


class PhoneExportForm(SafeForm):
    """The phone number a resident asks about."""

    phone = StringField(_l("Resident's phone number"), validators=[
        DataRequired(_l("Enter the phone number the resident asks about.")),
        Length(max=40, message=_l("Please keep this under %(max)d characters."))])

    def validate_phone(self, field):
        if normalise_phone(field.data) is None:
            raise ValidationError(_l("This is not a Thai phone number. Enter it like 081-234-5678 or "
                                     "+66 81 234 5678."))


def _export_limit():
    return current_app.config["PDPA_EXPORT_RATE_LIMIT"]


@bp.route("/privacy/export", methods=["GET", "POST"])
@role_required("pao_coordinator")
@limiter.limit(_export_limit, key_func=lambda: f"pdpa:{current_user.id}", methods=["POST"])
def privacy_export():
    """Ask for a phone number; send every record the PAO holds about it as a JSON download, recorded."""
    pao = current_user.pao
    if pao is None:
        abort(403)
    form = PhoneExportForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("reports/privacy_export.html", form=form, unindexed=count_unindexed(pao)), status
    now = utcnow()
    document = export_phone_data(current_user, form.phone.data, lang=current_lang(), now=now)
    db.session.commit()
    name = f"pdpa-{pao.code}-{to_bangkok(now):%Y%m%d-%H%M%S}.json"
    response = Response(json.dumps(document, ensure_ascii=False, indent=2), mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"  # sealed contacts must not stay in any cache
    return response
