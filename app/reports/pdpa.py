"""PDPA access requests: everything a PAO holds about one phone number, as one JSON document.

Reports are found three ways: the resident's sealed phone (through its blind index, so nothing is
unsealed to search), user accounts of the PAO with that phone, and, best effort, the number written
in a report's texts. Each report found gets an internal "pdpa_export" event, because the export
shows sealed contacts; the event holds no phone number.
"""
import logging

from cryptography.fernet import InvalidToken
from flask_babel import gettext as _

from app.accounts.labels import role_label
from app.accounts.models import User
from app.categories.questions import answer_text, question_label
from app.core.timeutil import to_bangkok, utcnow
from app.extensions import db
from app.reports.labels import status_label
from app.reports.lifecycle import record_event
from app.reports.models import Report, ReportEvent
from app.reports.phone_index import normalise_phone, phone_index_candidates
from app.reports.pii import PHONE, PLACEHOLDERS, find_personal_data
from app.reports.timeline import timeline
from app.security.sealing import unseal

log = logging.getLogger(__name__)

EXPORT_EVENT = "pdpa_export"
# Payload keys of timeline events that hold free text a member or officer wrote.
_FREE_TEXT_KEYS = ("text", "reason", "note")


def export_phone_data(coordinator, phone, lang="th", now=None):
    """Return the PAO's data about a phone number as a JSON-ready dict, recording the export; flush only."""
    canonical = normalise_phone(phone)
    if canonical is None:
        raise ValueError("not a Thai phone number")
    pao, now = coordinator.pao, now or utcnow()
    as_resident = _resident_reports(pao, canonical)
    mentioning = _mentioning_reports(pao, canonical, exclude={r.id for r in as_resident})
    users = [u for u in db.session.scalars(db.select(User).where(User.pao_id == pao.id, User.phone.is_not(None))
                                           .order_by(User.id)) if normalise_phone(u.phone) == canonical]
    document = {
        "title": _("Personal data held about a phone number"),
        "phone": canonical,
        "pao": {"code": pao.code, "name_th": pao.name_th, "name_en": pao.name_en},
        "generated_at": _iso(now),
        "generated_by": coordinator.username,
        "notes": _notes(pao),
        "reports_as_resident": [_resident_entry(r, canonical, coordinator, lang) for r in as_resident],
        "user_accounts": [_user_entry(u) for u in users],
        "reports_mentioning_number": [_mention_entry(r, found, canonical, lang) for r, found in mentioning],
    }
    for report in as_resident + [r for r, _found in mentioning]:
        matched = "resident_phone" if report in as_resident else "text"
        record_event(report, EXPORT_EVENT, coordinator, internal=True, now=now, matched=matched)
    db.session.flush()
    # The phone itself never goes to the log; its index prefix lets an auditor tie repeated requests together.
    fingerprint = (phone_index_candidates(canonical) or [""])[0][:12]
    log.info("pdpa export by %s for PAO %s (subject %s): %d reports as resident, %d mentioning, %d accounts",
             coordinator.username, pao.code, fingerprint, len(as_resident), len(mentioning), len(users))
    return document


def count_unindexed(pao):
    """Return how many of the PAO's reports have a sealed phone but no blind index yet."""
    return db.session.scalar(db.select(db.func.count(Report.id)).where(
        Report.pao_id == pao.id, Report.resident_phone_sealed.is_not(None), Report.resident_phone_index.is_(None)))


def _notes(pao):
    notes = [_("Reports are found by the resident's phone exactly. Numbers written in report texts are "
               "found on a best-effort basis: unusual spacing or spelling may be missed."),
             _("Other people's phone numbers, ID numbers and e-mail addresses in the texts are hidden."),
             _("Internal police notes are not included; ask the police station for them."),
             _("Contacts and original photos are removed some time after a report is closed (retention policy); "
               "removed data cannot be exported.")]
    unindexed = count_unindexed(pao)
    if unindexed:
        notes.append(_("%(n)d reports could not be searched by phone yet: ask the administrator to run "
                       "'flask retention reindex-phones', then export again.", n=unindexed))
    return notes


def _resident_reports(pao, canonical):
    candidates = phone_index_candidates(canonical)
    reports = db.session.scalars(db.select(Report).where(
        Report.pao_id == pao.id, Report.resident_phone_index.in_(candidates)).order_by(Report.id)).all()
    return [r for r in reports if _unsealed_phone_matches(r, canonical)]


def _unsealed_phone_matches(report, canonical):
    try:
        return normalise_phone(unseal(report.resident_phone_sealed)) == canonical
    except InvalidToken:
        return True  # the index matched; the entry says the contact could not be read


def _mentioning_reports(pao, canonical, exclude):
    # The SQL filter only narrows the scan (the last digits are rarely split); Python decides.
    like = f"%{canonical[-3:]}%"
    in_events = db.select(ReportEvent.report_id).where(ReportEvent.internal.is_(False),
                                                       db.cast(ReportEvent.payload, db.Text).like(like))
    query = db.select(Report).where(Report.pao_id == pao.id, db.or_(
        Report.narrative.like(like), Report.address_text.like(like),
        db.cast(Report.answers, db.Text).like(like), Report.id.in_(in_events))).order_by(Report.id)
    found = []
    for report in db.session.scalars(query):
        if report.id in exclude:
            continue
        places = [name for name, texts in _texts(report).items() if any(_mentions(t, canonical) for t in texts)]
        if places:
            found.append((report, places))
    return found


def _texts(report):
    return {"narrative": [report.narrative], "place": [report.address_text or ""],
            "answers": [str(v) for v in (report.answers or {}).values()],
            "comments": [str((e.payload or {}).get(k)) for e in report.events if not e.internal
                         for k in _FREE_TEXT_KEYS if (e.payload or {}).get(k)]}


def _mentions(text, canonical):
    return any(f.kind == PHONE and normalise_phone(text[f.start:f.end]) == canonical
               for f in find_personal_data(text))


def _others_hidden(text, canonical):
    """Return text with every personal data hidden except the subject's own phone number."""
    if not text:
        return text or ""
    parts, last = [], 0
    for f in find_personal_data(text):
        if f.kind == PHONE and normalise_phone(text[f.start:f.end]) == canonical:
            continue
        parts += [text[last:f.start], str(PLACEHOLDERS[f.kind])]
        last = f.end
    return "".join(parts) + text[last:]


def _resident_entry(report, canonical, coordinator, lang):
    try:
        contact = {"name": unseal(report.resident_name_sealed), "phone": unseal(report.resident_phone_sealed)}
    except InvalidToken:
        contact = {"name": None, "phone": None, "unreadable": True}
    return {**_summary(report, lang), "resident": contact,
            "narrative": _others_hidden(report.narrative, canonical),
            "place": _place(report, canonical), "answers": _answers(report, canonical, lang),
            "events": _events(report, coordinator, canonical, lang)}


def _mention_entry(report, found, canonical, lang):
    texts = _texts(report)
    excerpts = [_others_hidden(t, canonical) for name in found for t in texts[name] if _mentions(t, canonical)]
    return {**_summary(report, lang), "found_in": found, "texts": excerpts}


def _summary(report, lang):
    return {"reference_number": report.reference_number, "status": str(status_label(report.status)),
            "category": report.category.name(lang), "created_at": _iso(report.created_at),
            "occurred_at": _iso(report.occurred_at), "closed_at": _iso(report.closed_at)}


def _place(report, canonical):
    return {"description": _others_hidden(report.address_text, canonical) or None,
            "lat": report.lat, "lon": report.lon, "tambon_code": report.tambon_code,
            "amphoe_code": report.amphoe_code}


def _answers(report, canonical, lang):
    questions = {q.get("code"): q for q in report.category.questions or []}
    return [{"question": question_label(questions.get(code, {"code": code}), lang),
             "answer": _others_hidden(answer_text(questions.get(code, {}), value, lang), canonical)}
            for code, value in (report.answers or {}).items()]


def _events(report, coordinator, canonical, lang):
    entries = []
    for entry in timeline(report, coordinator, lang):  # the PAO's view: internal events left out
        event, payload = entry["event"], entry["event"].payload or {}
        raw = next((payload[k] for k in _FREE_TEXT_KEYS if payload.get(k)), None)
        text = _others_hidden(str(raw), canonical) if raw else str(entry["text"] or "")
        entries.append({"at": _iso(event.created_at), "what": str(entry["label"]), "text": text})
    return entries


def _user_entry(user):
    return {"username": user.username, "display_name": user.display_name, "role": str(role_label(user.role)),
            "email": user.email, "phone": user.phone, "active": bool(user.active),
            "created_at": _iso(user.created_at), "last_login_at": _iso(user.last_login_at)}


def _iso(value):
    return to_bangkok(value).isoformat(timespec="seconds") if value else None
