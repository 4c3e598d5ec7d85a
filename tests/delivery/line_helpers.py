"""Fixtures' helpers for the LINE tests: a world with police of a station, and linking through the real pages."""
import re
import uuid

from app.accounts.models import User
from app.extensions import db as _db
from app.reports.intake import ReportDraft
from app.reports.services import submit_report
from tests.delivery.line_fake import deliver, event, text_event
from tests.reports.factories_reports import WEST_POINT

NARRATIVE = "มีการขายยาบ้าที่บ้านหลังสีฟ้าท้ายซอยวัดกลาง ทุกคืนวันศุกร์"
MEMBER_LINE = "U" + "1" * 32
DESK_LINE = "U" + "2" * 32
GROUP_LINE = "C" + "3" * 32


def shown_code(client, element_id="line-code"):
    page = client.get("/delivery/notifications").get_data(as_text=True)
    match = re.search(rf'<code id="{element_id}"[^>]*>([A-Z0-9-]+)</code>', page)
    assert match, page
    return match.group(1), page


def confirm_claim(client, answer="confirm"):
    """Answer the one LINE claim shown on the signed-in user's notifications page, as they would."""
    page = client.get("/delivery/notifications").get_data(as_text=True)
    [code_id] = re.findall(r'id="line-claim-(\d+)"', page)
    response = client.post(f"/delivery/notifications/line-claims/{code_id}", data={"answer": answer})
    assert response.status_code == 302, response.get_data(as_text=True)
    _db.session.expire_all()
    return response


def link_member(client, world, line):
    code, _page = shown_code(client)
    response = deliver(client, text_event(code, user_id=MEMBER_LINE))
    assert response.status_code == 200
    _db.session.expire_all()
    assert _db.session.get(User, world.member.id).line_user_id is None  # not before the member confirms
    confirm_claim(client)
    assert _db.session.get(User, world.member.id).line_user_id == MEMBER_LINE
    return code


def link_group(client, world):
    code, _page = shown_code(client, "station-code")
    assert deliver(client, event("join", group_id=GROUP_LINE),
                   text_event(code, group_id=GROUP_LINE, user_id=DESK_LINE)).status_code == 200
    confirm_claim(client)


def file_report(world):
    draft = ReportDraft(category=world.category, narrative=NARRATIVE, lat=WEST_POINT[0], lon=WEST_POINT[1],
                        idempotency_key=str(uuid.uuid4()), confirmed_new=True)
    report, created = submit_report(world.member, draft)
    assert created and report.station_id == world.west.id
    return report
